/** @module dashboard/i18n/views: the longer sentences of the insights' views, in the dashboard's four languages. */
import type { Message } from '../i18n'

const en = {} satisfies Record<string, Message>

type Words = Partial<Record<keyof typeof en, Message>>
const pl: Words = {}
const he: Words = {}
const ar: Words = {}

export const viewsText = { en, pl, he, ar }
