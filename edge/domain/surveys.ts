/**
 * @module surveys: which micro-survey a visitor should see now, the checks on a survey's
 * definition, and what the answers say. Pure.
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
import { isObject } from './validate'

/** The least time between two surveys offered to one visitor. */
export const SURVEY_GAP_MS = 24 * 3_600_000

const KINDS = new Set(['nps', 'csat', 'text'])
const LABELS = new Set(['low', 'high', 'send', 'close', 'thanks'])
const ID = /^[\w-]{1,64}$/
const text = (v: unknown, max: number) => typeof v === 'string' && v.trim().length > 0 && v.length <= max

/** The first thing wrong with config.surveys, as a message for the site owner; null when fine. */
export function surveysError(list: unknown[]): string | null {
  const ids = new Set<string>()
  for (const [i, s] of list.entries()) {
    const at = `config.surveys[${i}]`
    if (!isObject(s)) return `${at} must be an object`
    if (typeof s.id !== 'string' || !ID.test(s.id)) return `${at}.id must be 1-64 letters, digits, '-' or '_'`
    if (ids.has(s.id)) return `${at}.id '${s.id}' is used twice`
    ids.add(s.id)
    if (!KINDS.has(s.kind as string)) return `${at}.kind must be nps, csat or text`
    if (!text(s.question, 300)) return `${at}.question must be a non-empty string of at most 300 characters`
    if (s.followUp !== undefined && !text(s.followUp, 300))
      return `${at}.followUp must be a non-empty string of at most 300 characters`
    if (s.labels !== undefined) {
      if (!isObject(s.labels)) return `${at}.labels must be an object`
      for (const [k, v] of Object.entries(s.labels))
        if (!LABELS.has(k) || !text(v, 60))
          return `${at}.labels may hold low, high, send, close and thanks, each a string of at most 60 characters`
    }
    const t = s.trigger
    if (t === undefined) continue
    if (!isObject(t)) return `${at}.trigger must be an object`
    if (t.event !== undefined && !text(t.event, 40)) return `${at}.trigger.event must be an event type`
    if (t.name !== undefined && !text(t.name, 200)) return `${at}.trigger.name must be a string`
    if (t.path !== undefined && !(text(t.path, 500) && (t.path as string).startsWith('/')))
      return `${at}.trigger.path must be a URL path starting with /`
    if (t.event === undefined && t.name === undefined && t.path === undefined)
      return `${at}.trigger needs an event, a name or a path`
  }
  return null
}

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
