/**
 * @module text/language: what the scorer knows of one language, written as readable word lists
 * and compiled once. A list is words separated by spaces: `stem*` matches any word starting
 * with it, a bare entry the word itself, `word:0.5` gives it a weight other than 1. Entries are
 * written as people spell them and folded (text/fold.ts) when compiled.
 */
import type { Topic } from './analyse'
import { fold } from './fold'

export interface LanguageData {
  /** Praise: +1 each unless weighted. */
  pos: string
  /** Complaint, including what only says something went wrong ("gave", "waited", "again"): -1 each unless weighted. */
  neg: string
  /** Several words with a value of their own, matched before single words; 0 takes them out ("would love", "po prostu"). */
  phrases: [string, number | 'but'][]
  /** Flip the next sentiment word among the next three words; none there but a verb or noun: a complaint ("doesn't load"). */
  not: string
  /** A negation before these is no complaint ("not sure", "no comment"). */
  notNeutral: string
  /** What follows counts double ("but"). */
  but: string
  /** Its own clause counts double ("…, worth it though"). */
  though?: string
  /** The next sentiment word counts half ("a bit", "trochę"). */
  down: string
  /** The next sentiment word counts half as much again ("very"). */
  up: string
  /** The next word, unless praise, is a complaint ("too many", "za dużo"). */
  too: string
  /** Openers that make praise ironic when a complaint follows ("oh great", "no super"), separated by `|`. */
  ironic: string
  /** Verbs of clicking: a capitalised name after one is a button's, not the visitor's word. */
  click: string
  /** Words left out of themes (connectives, pronouns, auxiliaries…); negators and "but" are added. */
  stop: string
  /** Praise or blame so general it says nothing as a theme ("great", "bad"). */
  generic: string
  /** Letters or syllables attached in front of words, tried off (Hebrew ו ה ב ל מ ש כ; Arabic ال و ب…). */
  prefixes?: string
  /** Endings tried off when a word is not known whole (Arabic pronoun clitics). */
  suffixes?: string
  /** Words of each topic (same syntax, folded). */
  topics: { [T in Topic]: string }
  /** Words known to this language, so a word is only stripped of a prefix when what is left is one. */
  nouns?: string
}

export interface Compiled {
  exact: Map<string, number>
  stems: [string, number][]
  phrases: { words: string[]; value: number | 'but' }[]
  not: Set<string>
  notNeutral: Set<string>
  but: Set<string>
  though: Set<string>
  down: Set<string>
  up: Set<string>
  too: Set<string>
  click: string[]
  ironic: string[]
  stop: Set<string>
  generic: Set<string>
  prefixes: string[]
  suffixes: string[]
  topicExact: Map<string, Topic>
  topicStems: [string, Topic][]
  known: Set<string>
}

export const words = (list: string) => fold(list).split(/\s+/).filter(Boolean)

function entries(list: string, sign: number, exact: Map<string, number>, stems: [string, number][]) {
  for (const entry of words(list)) {
    const [w, weight] = entry.split(':') as [string, string | undefined]
    const value = sign * (weight ? Number(weight) : 1)
    if (w.endsWith('*')) stems.push([w.slice(0, -1), value])
    else exact.set(w, value)
  }
}

export function compile(l: LanguageData): Compiled {
  const exact = new Map<string, number>()
  const stems: [string, number][] = []
  entries(l.pos, 1, exact, stems)
  entries(l.neg, -1, exact, stems)
  stems.sort((a, b) => b[0].length - a[0].length)
  const topicExact = new Map<string, Topic>()
  const topicStems: [string, Topic][] = []
  for (const [topic, list] of Object.entries(l.topics) as [Topic, string][])
    for (const w of words(list))
      if (w.endsWith('*')) topicStems.push([w.slice(0, -1), topic])
      else topicExact.set(w, topic)
  topicStems.sort((a, b) => b[0].length - a[0].length)
  const set = (list = '') => new Set(words(list))
  const not = set(l.not)
  const but = set(l.but)
  const though = set(l.though)
  const known = new Set([
    ...exact.keys(),
    ...topicExact.keys(),
    ...words(l.stop),
    ...words(l.nouns ?? ''),
    ...not,
    ...but,
  ])
  return {
    exact,
    stems,
    phrases: l.phrases
      .map(([p, value]) => ({
        words: fold(p)
          .split(/[\s-]+/)
          .filter(Boolean),
        value,
      }))
      .sort((a, b) => b.words.length - a.words.length),
    not,
    notNeutral: set(l.notNeutral),
    but,
    though,
    down: set(l.down),
    up: set(l.up),
    too: set(l.too),
    click: l.click.split(/\s+/).filter(Boolean),
    ironic: l.ironic
      .split('|')
      .map((x) => fold(x).trim())
      .filter(Boolean),
    stop: new Set([
      ...words(l.stop),
      ...words(l.click),
      ...not,
      ...but,
      ...though,
      ...words(l.down),
      ...words(l.up),
      ...words(l.too),
    ]),
    generic: set(l.generic),
    prefixes: words(l.prefixes ?? '').sort((a, b) => b.length - a.length),
    suffixes: words(l.suffixes ?? '').sort((a, b) => b.length - a.length),
    topicExact,
    topicStems,
    known,
  }
}
