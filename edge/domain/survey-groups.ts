/**
 * @module survey-groups: who said what in a survey. Pure. The visitors behind a survey's numbers:
 * each group of its scale question's scores (NPS: detractors 0–6, passives 7–8, promoters 9–10;
 * CSAT: unsatisfied 1–2, neutral 3, satisfied 4–5), and each theme of its written answers. From
 * the same stored answers that count (store/surveys.ts surveyAnswerRows, newest first) for the
 * survey's numbers and for the lists behind them, so a list's length is its number.
 */
import type { SurveyConfig } from '../../snippet/contract/wire'
import { questionsOf } from '../../snippet/contract/survey-model'
import { answerOf } from './alerts'
import { answerText } from './answer-text'
import type { AnswerRow } from './surveys'

/** The groups of a scale's scores, in the order the dashboard shows them: [name, lowest, highest]. */
export const SCORE_GROUPS = {
  nps: [
    ['promoters', 9, 10],
    ['passives', 7, 8],
    ['detractors', 0, 6],
  ],
  csat: [
    ['satisfied', 4, 5],
    ['neutral', 3, 3],
    ['unsatisfied', 1, 2],
  ],
} as const satisfies Record<string, readonly (readonly [string, number, number])[]>

export const GROUP_NAMES = [...new Set(Object.values(SCORE_GROUPS).flatMap((g) => g.map((x) => x[0])))]

/** A survey's scale question (its first NPS or CSAT one) and its groups; null when it has none. */
export function scaleOf(s: SurveyConfig) {
  const q = questionsOf(s).find((q) => q.type === 'nps' || q.type === 'csat')
  return q ? { question: q.id, groups: SCORE_GROUPS[q.type as keyof typeof SCORE_GROUPS] } : null
}

/**
 * Who answered survey `s` with a score in each group of its scale, who answered its scale on each
 * UTC day (`days`, YYYY-MM-DD: the points of its NPS or CSAT by day), and who wrote an answer
 * (scored when it arrived) carrying each theme: visitor ids, each once, the latest to answer
 * first (`rows` newest first, answers that count only).
 */
export function whoSaid(s: SurveyConfig, rows: AnswerRow[]) {
  const scale = scaleOf(s)
  const groups = new Map<string, Set<string>>((scale?.groups ?? []).map(([g]) => [g, new Set()]))
  const themes = new Map<string, Set<string>>()
  const days = new Map<string, Set<string>>()
  for (const r of rows) {
    if (r.survey !== s.id) continue
    const a = answerOf(r.props ?? undefined)
    if (!a) continue
    // A follow-up's score is not the scale's (surveyDetails reads it as the follow-up's).
    if (scale && r.type === 'survey_answer' && a.q === scale.question && Number.isInteger(a.score))
      for (const [g, lo, hi] of scale.groups) if (a.score! >= lo && a.score! <= hi) groups.get(g)!.add(r.visitor)
    // As surveyDetails draws the score by day: every numeric score of the scale question.
    if (scale && r.type === 'survey_answer' && a.q === scale.question && typeof a.score === 'number') {
      const day = new Date(r.ts).toISOString().slice(0, 10)
      days.set(day, (days.get(day) ?? new Set()).add(r.visitor))
    }
    if (answerText(r.props) && r.analysis)
      for (const t of new Set(r.analysis.themes)) themes.set(t, (themes.get(t) ?? new Set()).add(r.visitor))
  }
  const list = (m: Map<string, Set<string>>) => new Map([...m].map(([k, v]) => [k, [...v]]))
  return { groups: list(groups), themes: list(themes), days: list(days) }
}
