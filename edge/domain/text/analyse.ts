/**
 * @module text/analyse: what one written survey answer says, offline, for en, pl, he and ar: its
 * language, sentiment (label and score), topics and themes. Pure, no I/O: the worker runs it when
 * an answer arrives and stores the result with the scorer's name and version. Measured on
 * held-out answers by `npm run sentiment -- --eval` (docs/surveys.md).
 */
import { guessLang } from './detect'
import { fold } from './fold'
import { isSupported, language } from './languages'
import { tally, THRESHOLD, tokens } from './score'
import { themeForm, topicIn } from './words'

/** Name and version stored with every scored answer; a new version means stored answers are re-scored. */
export const SCORER = { name: 'ciel-offline', version: 2 } as const

export type Label = 'positive' | 'neutral' | 'negative'

/** What in-app answers are about, one list across languages. */
export type Topic =
  'price' | 'speed' | 'bugs' | 'onboarding' | 'team' | 'support' | 'docs' | 'integrations' | 'data' | 'design'

/** In the order the dashboard lists them. */
export const TOPICS: readonly Topic[] = [
  'price',
  'speed',
  'bugs',
  'onboarding',
  'team',
  'support',
  'docs',
  'integrations',
  'data',
  'design',
]

export interface Analysis {
  /** 'en' | 'pl' | 'he' | 'ar', another primary tag when the survey's language is another, 'und' for no letters. */
  lang: string
  label: Label
  /** -1 (negative) .. 1 (positive); 0 for neutral answers with nothing either way. */
  score: number
  /** The topics it mentions, each once, in TOPICS order. */
  topics: Topic[]
  /** Normalised words, each once: no stop words, negators or connectives; Hebrew and Arabic prefixes, Polish endings, plurals off. */
  themes: string[]
}

const primary = (lang: string) => lang.trim().toLowerCase().split(/[-_]/)[0]!

/**
 * The answer's language: the hint (the survey's language) when given, unless the answer is
 * written in the other script (a Hebrew answer to an English survey is Hebrew); otherwise guessed
 * from the text.
 */
export function detectLang(text: string, hint?: string): string {
  const guess = guessLang(text)
  const h = hint ? primary(hint) : ''
  if (!h) return guess
  const script = (l: string) => (l === 'he' || l === 'ar' ? l : 'latin')
  if ((guess === 'he' || guess === 'ar') && script(h) !== guess) return guess
  if (isSupported(h)) return h
  // A language the scorer has no lists for: keep it, unless the text is plainly Polish.
  return guess === 'pl' ? 'pl' : h
}

/** Language, sentiment, topics and themes of one answer. */
export function analyse(text: string, lang?: string): Analysis {
  const l = detectLang(text, lang)
  const { total } = tally(text, l)
  const c = language(l)
  const en = language('en')
  const topics = new Set<Topic>()
  const themes = new Set<string>()
  let quoted = false
  for (const k of tokens(text, c)) {
    // A button's name ("clicked Choose Team") is not what the answer is about.
    if (k.t === 'q') quoted = k.open
    if (k.t !== 'w' || quoted) continue
    const t = topicIn(k.w, c)
    if (t) topics.add(t)
    const latin = /^[a-z]/.test(k.w)
    const skip = (w: string) => c.stop.has(w) || c.generic.has(w) || (latin && (en.stop.has(w) || en.generic.has(w)))
    if (skip(k.w) || /^\p{N}/u.test(k.w) || k.w.length < (latin ? 3 : 2)) continue
    const f = themeForm(k.w, c, latin && (l === 'he' || l === 'ar') ? 'en' : l)
    if (!skip(fold(f)) && f.length >= 2) themes.add(f)
  }
  return {
    lang: l,
    label: total > THRESHOLD ? 'positive' : total < -THRESHOLD ? 'negative' : 'neutral',
    score: Math.round(Math.tanh(total / 2) * 1000) / 1000,
    topics: TOPICS.filter((t) => topics.has(t)),
    themes: [...themes],
  }
}

/** Per topic over many analyses: how many answers, and how many of each label; most mentioned first. */
export function topicSentiment(
  analyses: readonly Pick<Analysis, 'label' | 'topics'>[],
): { topic: Topic; n: number; positive: number; neutral: number; negative: number }[] {
  const by = new Map<Topic, { topic: Topic; n: number; positive: number; neutral: number; negative: number }>()
  for (const a of analyses)
    for (const t of a.topics) {
      const row = by.get(t) ?? { topic: t, n: 0, positive: 0, neutral: 0, negative: 0 }
      row.n++
      row[a.label]++
      by.set(t, row)
    }
  return [...by.values()].sort((a, b) => b.n - a.n || TOPICS.indexOf(a.topic) - TOPICS.indexOf(b.topic))
}
