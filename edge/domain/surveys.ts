/**
 * @module surveys: which micro-survey a visitor should see now, and what the answers say. Pure.
 * (A survey's definition is checked by the site schema, site.ts.)
 *
 * A survey with a trigger is due when an event stored for the first time matches it (type,
 * name, URL path prefix: each only when given). A visitor is offered each survey once, whether
 * they answer it or not, and no survey within a day of the last one shown, so a page never
 * turns into a questionnaire. `ciel('survey', id)` shows one regardless: the site asked.
 *
 * The survey UI records, each named after the survey: `survey_shown`, `survey_answer` ({score}
 * or {text}), `survey_comment` (the follow-up's {score, text}) and `survey_dismiss`.
 */
import type { SurveyConfig, SurveyDue, SurveyTrigger, WireEvent } from '../../snippet/core/wire'

/** The least time between two surveys offered to one visitor. */
export const SURVEY_GAP_MS = 24 * 3_600_000

function pathOf(url: string): string {
  try {
    return new URL(url).pathname
  } catch {
    return ''
  }
}

/** Does the event match the trigger? Each of its parts, when given, must match. */
export function triggers(t: SurveyTrigger | undefined, e: WireEvent): boolean {
  if (!t) return false
  return (
    (t.event === undefined || t.event === e.type) &&
    (t.name === undefined || t.name === e.name) &&
    (t.path === undefined || pathOf(e.url).startsWith(t.path))
  )
}

/** What the snippet needs to show a survey: its definition without the targeting. */
export function publicSurvey({ id, kind, question, followUp, labels }: SurveyConfig): SurveyDue {
  const s: SurveyDue = { id, kind, question }
  if (followUp) s.followUp = followUp
  if (labels) s.labels = labels
  return s
}

/**
 * The surveys to show now (at most one), for a visitor whose new events are `events` and who
 * was last offered each survey at `shown[id]`.
 */
export function dueSurveys(
  surveys: SurveyConfig[] | undefined,
  events: WireEvent[],
  shown: { [id: string]: number },
  now: number,
): SurveyDue[] {
  // Shown in this very batch counts as shown.
  const seen = { ...shown }
  for (const e of events) if (e.type === 'survey_shown' && e.name) seen[e.name] = Math.max(seen[e.name] ?? 0, e.ts)
  const last = Math.max(0, ...Object.values(seen))
  if (now - last < SURVEY_GAP_MS) return []
  const due = (surveys ?? []).find((s) => !(s.id in seen) && events.some((e) => triggers(s.trigger, e)))
  return due ? [publicSurvey(due)] : []
}

/** Does any of these events trigger any of the surveys? (Saves a query when none does.) */
export const anyTriggered = (surveys: SurveyConfig[] | undefined, events: WireEvent[]) =>
  !!surveys?.some((s) => events.some((e) => triggers(s.trigger, e)))

export interface SurveyCounts {
  survey: string
  type: string
  visitors: number
}

export interface SurveyScore {
  survey: string
  score: number
  n: number
}

export interface SurveyComment {
  survey: string
  text: string
  score: number | null
  url: string
  ts: number
}

export interface SurveyReport {
  id: string
  kind: SurveyConfig['kind']
  question: string
  /** Visitors offered the survey, who answered, who closed it. */
  shown: number
  answered: number
  dismissed: number
  /** answered / shown (0..1), or null before anybody saw it. */
  responseRate: number | null
  /** Answers per score, lowest score first (nps: 0-10, csat: 1-5). */
  scores: { score: number; n: number }[]
  /** nps: % promoters (9-10) − % detractors (0-6), -100..100; csat: % of 4-5 answers. */
  headline: number | null
  /** The newest written answers. */
  comments: { text: string; score: number | null; url: string; ts: number }[]
}

const RANGE = { nps: [0, 10], csat: [1, 5], text: [0, -1] } as const

/** Per survey of the config: reach, response rate, score distribution, headline and comments. */
export function surveyReport(
  surveys: SurveyConfig[] | undefined,
  counts: SurveyCounts[],
  scores: SurveyScore[],
  comments: SurveyComment[],
  perSurvey = 20,
): SurveyReport[] {
  return (surveys ?? []).map((s) => {
    const count = (type: string) => counts.find((c) => c.survey === s.id && c.type === type)?.visitors ?? 0
    const [lo, hi] = RANGE[s.kind] ?? RANGE.text
    const dist = scores
      .filter((r) => r.survey === s.id && Number.isInteger(r.score) && r.score >= lo && r.score <= hi)
      .sort((a, b) => a.score - b.score)
      .map(({ score, n }) => ({ score, n }))
    const total = dist.reduce((a, r) => a + r.n, 0)
    const share = (f: (score: number) => boolean) => dist.filter((r) => f(r.score)).reduce((a, r) => a + r.n, 0) / total
    const headline = !total
      ? null
      : s.kind === 'nps'
        ? Math.round(100 * (share((x) => x >= 9) - share((x) => x <= 6)))
        : s.kind === 'csat'
          ? Math.round(100 * share((x) => x >= 4))
          : null
    const shown = count('survey_shown')
    const answered = count('survey_answer')
    return {
      id: s.id,
      kind: s.kind,
      question: s.question,
      shown,
      answered,
      dismissed: count('survey_dismiss'),
      responseRate: shown ? Math.min(1, answered / shown) : null,
      scores: dist,
      headline,
      comments: comments
        .filter((c) => c.survey === s.id)
        .slice(0, perSurvey)
        .map(({ text, score, url, ts }) => ({ text, score, url, ts })),
    }
  })
}
