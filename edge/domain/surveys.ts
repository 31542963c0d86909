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
import type { QuestionType, SurveyConfig, SurveyDue, SurveyTrigger, WireEvent } from '../../snippet/core/wire'
import { questionsOf, textIn } from '../../snippet/surveys/model'

/** The least time between two surveys offered to one visitor. */
export const SURVEY_GAP_MS = 24 * 3_600_000
const DAY_MS = 86_400_000

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

/** What the snippet needs to show a survey: its definition without the targeting and alert rules. */
export function publicSurvey(s: SurveyConfig): SurveyDue {
  const { trigger: _t, audience: _a, sample: _s, recontactDays: _r, negative: _n, ...shown } = s
  return shown
}

/** A stable number in [0, 1) for a visitor and a survey: the same visitor is always in or out of a sample. */
export function sampleSpot(visitor: string, survey: string): number {
  let h = 0x811c9dc5
  const key = `${survey}:${visitor}`
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193)
  h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d)
  return ((h ^ (h >>> 13)) >>> 0) / 2 ** 32
}

/** The visitor being targeted: their id (the sample) and sessions so far (the audience). */
export interface Target {
  visitor: string
  sessions: number
}

/** Does the survey's audience include this visitor, on the page of event `e`? */
function inAudience(s: SurveyConfig, e: WireEvent, who: Target | undefined): boolean {
  const a = s.audience
  if (a?.paths && !a.paths.some((p) => pathOf(e.url).startsWith(p))) return false
  const n = who?.sessions ?? 1
  if (a?.minSessions !== undefined && n < a.minSessions) return false
  if (a?.maxSessions !== undefined && n > a.maxSessions) return false
  return s.sample === undefined || sampleSpot(who?.visitor ?? '', s.id) < s.sample
}

/**
 * The surveys to show now (at most one), for a visitor whose new events are `events` and who
 * was last offered each survey at `shown[id]` (on any of their devices, once identified).
 * A survey is offered once, or again `recontactDays` after it was last shown; never within a
 * day of any survey. A trigger with `seconds` or `scroll` comes with them as `when`: the page
 * waits for them.
 */
export function dueSurveys(
  surveys: SurveyConfig[] | undefined,
  events: WireEvent[],
  shown: { [id: string]: number },
  now: number,
  who?: Target,
): SurveyDue[] {
  // Shown in this very batch counts as shown.
  const seen = { ...shown }
  for (const e of events) if (e.type === 'survey_shown' && e.name) seen[e.name] = Math.max(seen[e.name] ?? 0, e.ts)
  const last = Math.max(0, ...Object.values(seen))
  if (now - last < SURVEY_GAP_MS) return []
  for (const s of surveys ?? []) {
    const at = seen[s.id]
    if (at !== undefined && !(s.recontactDays && now - at >= s.recontactDays * DAY_MS)) continue
    const e = events.find((e) => triggers(s.trigger, e) && inAudience(s, e, who))
    if (!e) continue
    const due = publicSurvey(s)
    const { seconds, scroll } = s.trigger!
    if (seconds || scroll) {
      due.when = { from: e.ts }
      if (seconds) due.when.seconds = seconds
      if (scroll) due.when.scroll = scroll
    }
    return [due]
  }
  return []
}

/** Does any of these events trigger any of the surveys? (Saves a query when none does.) */
export const anyTriggered = (surveys: SurveyConfig[] | undefined, events: WireEvent[]) =>
  !!surveys?.some((s) => events.some((e) => triggers(s.trigger, e)))

/**
 * Surveys the page itself showed (`ciel('survey', id)`: a fresh `survey_shown` with `asked`),
 * which the worker has not offered: they get their signed offer in the answer to the batch.
 */
export function askedSurveys(surveys: SurveyConfig[] | undefined, events: WireEvent[]): SurveyDue[] {
  const out: SurveyDue[] = []
  for (const e of events) {
    if (e.type !== 'survey_shown' || e.props?.asked !== true) continue
    const s = surveys?.find((x) => x.id === e.name)
    if (s && !out.some((x) => x.id === s.id)) out.push(publicSurvey(s))
  }
  return out
}

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
  /** The first question's type (the survey's, for one-question surveys). */
  kind: QuestionType
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
  /** Answers stored without a valid signed offer: left out of the scores and the headline. */
  unsigned: number
}

const RANGE: { [type: string]: readonly [number, number] } = { nps: [0, 10], csat: [1, 5], emoji: [1, 5] }
const NONE = [0, -1] as const

/** Per survey of the config: reach, response rate, score distribution, headline and comments. */
export function surveyReport(
  surveys: SurveyConfig[] | undefined,
  counts: SurveyCounts[],
  scores: SurveyScore[],
  comments: SurveyComment[],
  perSurvey = 20,
  language = 'en',
  unsigned: { [survey: string]: number } = {},
): SurveyReport[] {
  return (surveys ?? []).map((s) => {
    const count = (type: string) => counts.find((c) => c.survey === s.id && c.type === type)?.visitors ?? 0
    const first = questionsOf(s)[0]!
    const kind = first.type
    const [lo, hi] = RANGE[kind] ?? NONE
    const dist = scores
      .filter((r) => r.survey === s.id && Number.isInteger(r.score) && r.score >= lo && r.score <= hi)
      .sort((a, b) => a.score - b.score)
      .map(({ score, n }) => ({ score, n }))
    const total = dist.reduce((a, r) => a + r.n, 0)
    const share = (f: (score: number) => boolean) => dist.filter((r) => f(r.score)).reduce((a, r) => a + r.n, 0) / total
    const headline = !total
      ? null
      : kind === 'nps'
        ? Math.round(100 * (share((x) => x >= 9) - share((x) => x <= 6)))
        : kind === 'csat'
          ? Math.round(100 * share((x) => x >= 4))
          : null
    const shown = count('survey_shown')
    const answered = count('survey_answer')
    return {
      id: s.id,
      kind,
      question: textIn(first.text, language, language),
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
      unsigned: unsigned[s.id] ?? 0,
    }
  })
}
