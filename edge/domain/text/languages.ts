/** @module text/languages: the compiled data of each language the scorer reads, en for the rest. */
import { compile, type Compiled } from './language'
import { ar } from './lang/ar'
import { en } from './lang/en'
import { he } from './lang/he'
import { pl } from './lang/pl'

const DATA = { en, pl, he, ar }
type Supported = keyof typeof DATA
export const isSupported = (lang: string): lang is Supported => lang in DATA

const compiled = new Map<Supported, Compiled>()
/** The language's lists, compiled on first use (English for a language the scorer does not know). */
export function language(lang: string): Compiled {
  const key: Supported = isSupported(lang) ? lang : 'en'
  let c = compiled.get(key)
  if (!c) compiled.set(key, (c = compile(DATA[key])))
  return c
}
