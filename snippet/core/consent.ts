/**
 * Consent: what ciel may do on this page, from the site's mode, the visitor's choice and the
 * browser's privacy signals. Pure.
 *
 * | mode       | no choice yet                                  | granted | denied |
 * |------------|------------------------------------------------|---------|--------|
 * | opt-out    | full                                           | full    | none   |
 * | opt-in     | wait: nothing stored, nothing sent (held in    | full    | none   |
 * |            | memory, sent if the visitor grants on the page) |         |        |
 * | cookieless | anonymous: a per-page id, nothing written to   | full    | none   |
 * |            | the device                                     |         |        |
 *
 * Without an explicit choice, Global Privacy Control counts as a denial (unless the config
 * says `gpc: false`) and Do Not Track does when the config says `dnt: true`.
 */
import type { ConsentMode, SiteConfig } from '../contract/wire'

export type Choice = 'granted' | 'denied' | null
/** What consent allows (numbers: they cost the snippet fewer bytes than names). */
export const NONE = 0
export const WAIT = 1
export const ANONYMOUS = 2
export const FULL = 3
export type Allowed = typeof NONE | typeof WAIT | typeof ANONYMOUS | typeof FULL

export interface Signals {
  gpc: boolean
  dnt: boolean
}

export function allowed(mode: ConsentMode | undefined, choice: Choice, signals: Signals, config: SiteConfig): Allowed {
  if (choice === 'denied') return NONE
  if (choice === 'granted') return FULL
  if ((signals.gpc && config.gpc !== false) || (signals.dnt && config.dnt === true)) return NONE
  return mode === 'opt-in' ? WAIT : mode === 'cookieless' ? ANONYMOUS : FULL
}

export function browserSignals(): Signals {
  const n = navigator as Navigator & { globalPrivacyControl?: boolean }
  return { gpc: n.globalPrivacyControl === true, dnt: n.doNotTrack === '1' }
}
