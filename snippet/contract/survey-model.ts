/**
 * @module contract/survey-model: a survey as a list of questions, where an answer leads, and which
 * language to speak. Pure and DOM-free: the survey chunk runs it, and the worker imports the
 * same functions (its alert rules test answers as branches do; its reports name languages).
 */
import type { Answer, AnswerTest, Question, SurveyConfig, Text } from './wire'

/** Where a branch goes to finish the survey. */
export const END = 'end'

/**
 * The survey's questions. A one-question survey (`kind`, `question`, `followUp`) is the same
 * as two required questions: the scale (or the open question), then the follow-up.
 */
export function questionsOf(s: Pick<SurveyConfig, 'kind' | 'question' | 'followUp' | 'questions'>): Question[] {
  if (s.questions) return s.questions
  const qs: Question[] = [{ id: s.kind!, type: s.kind!, text: s.question!, required: true }]
  if (s.followUp && s.kind !== 'text') qs.push({ id: 'followUp', type: 'text', text: s.followUp, required: true })
  return qs
}

/** Does the answer pass the test? (A skipped question passes none.) */
export function passes(t: AnswerTest, a: Answer | undefined): boolean {
  if (!a) return false
  const s = a.score
  if ((t.min != null || t.max != null) && s == null) return false
  return (
    (t.min == null || s! >= t.min) &&
    (t.max == null || s! <= t.max) &&
    (t.choice == null || a.choice == t.choice || (a.choices || []).indexOf(t.choice) >= 0)
  )
}

/** The index of the question after `i` given its answer, or -1 for the end. */
export function nextOf(qs: Question[], i: number, a: Answer | undefined): number {
  const q = qs[i]!
  const hit = (q.branch || []).filter((b) => passes(b, a))[0]
  const to = hit ? hit.to : q.next
  if (to == null) return i + 1 < qs.length ? i + 1 : -1
  return to == END ? -1 : qs.map((x) => x.id).indexOf(to)
}

/** The languages a survey is written in: those of its first text given as a map, or none. */
export function languagesOf(qs: Question[]): string[] {
  const t = qs[0] && qs[0].text
  return t && typeof t == 'object' ? Object.keys(t) : []
}

const primary = (tag: string) => tag.toLowerCase().split('-')[0]!

/**
 * The language to show: the first of `wanted` (the page's, then the browser's) that the
 * survey has, exactly or by its primary subtag (`pl-PL` → `pl`), else `fallback`.
 */
export function pickLanguage(wanted: (string | null | undefined)[], have: string[], fallback: string): string {
  for (const w of wanted) {
    if (!w) continue
    for (const h of have) if (h.toLowerCase() == w.toLowerCase()) return h
    for (const h of have) if (primary(h) == primary(w)) return h
  }
  return fallback
}

/** A text in a language: the string, or the map's entry for it, else the fallback's, else any. */
export function textIn(t: Text | undefined, lang: string, fallback: string): string {
  if (t == null || typeof t == 'string') return t || ''
  return t[lang] || t[fallback] || t[Object.keys(t)[0]!] || ''
}

/** Languages written right to left. */
export const isRtl = (lang: string) => /^(ar|he|fa|ur|yi|ps|sd|ckb|dv)$/.test(primary(lang))
