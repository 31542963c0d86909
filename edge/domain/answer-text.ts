/**
 * @module answer-text: which survey answers are written ones (scored for language, sentiment,
 * topics and themes by jobs/score.ts), their text, and the language the survey was shown in.
 * Pure.
 */
import type { Json, SurveyConfig } from '../../snippet/contract/wire'
import { languagesOf, questionsOf } from '../../snippet/contract/survey-model'
import type { Label, Topic } from './text/analyse'

/** Survey events that can carry text: answers (open question, "Other") and one-question surveys' follow-ups. */
export const ANSWER_TYPES = ['survey_answer', 'survey_comment'] as const

/** The text of a written answer (trimmed), or null when the answer has none. */
export function answerText(props: { [key: string]: Json } | null | undefined): string | null {
  const t = props?.text
  if (typeof t !== 'string') return null
  const s = t.trim()
  return s ? s : null
}

/** At most this much of an answer is scored (the survey's text field allows no more). */
export const TEXT_CHARS = 2000

const primary = (tag: string) => tag.toLowerCase().split(/[-_]/)[0]!

/**
 * The language the visitor saw the survey in, when it is written in several and the answer says
 * which (`lang`, recorded by the survey chunk): that one. A survey written in one language only
 * records the site's default (or nothing, for one-question surveys), which says nothing of the
 * language the visitor writes in: undefined, and the answer's language is detected from its text.
 */
export function shownLanguage(survey: SurveyConfig | undefined, lang: Json | undefined): string | undefined {
  if (!survey || typeof lang !== 'string' || !lang) return undefined
  const have = languagesOf(questionsOf(survey)).map(primary)
  return have.includes(primary(lang)) ? primary(lang) : undefined
}

/** One answer's analysis, as stored with it (store/analysis.ts) and as the insights read it. */
export interface StoredAnalysis {
  lang: string
  label: Label
  score: number
  topics: Topic[]
  themes: string[]
  /** What gave the label: the offline scorer's name, or the Workers AI model and prompt. */
  scorer: string
  /** The offline scorer's version (language, topics, themes; the label too when it gave it). */
  version: number
  /** Why the offline scorer stood in for Workers AI on this answer; null when it did not. */
  fallback: string | null
}
