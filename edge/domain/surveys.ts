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
import type {
  SegmentRule,
  Answer,
  Json,
  QuestionType,
  SurveyConfig,
  SurveyDue,
  SurveyTrigger,
  WireEvent,
} from '../../snippet/contract/wire'
import { answerOf, negativeFacts, reasonText, type NegativeFacts } from './alerts'
import { SCORER, topicSentiment, type Label, type Topic } from './text/analyse'
import { answerText, shownLanguage, type StoredAnalysis } from './answer-text'
import { questionsOf, textIn } from '../../snippet/contract/survey-model'

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
  const { trigger: _t, audience: _a, sample: _s, recontactDays: _r, negative: _n, on: _o, ...shown } = s
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
  /** Whether the visitor is in a segment (or matches a rule), from their profile. */
  inSegment?: (rule: string | SegmentRule) => boolean
}

/** Does the survey's audience include this visitor, on the page of event `e`? */
function inAudience(s: SurveyConfig, e: WireEvent, who: Target | undefined): boolean {
  const a = s.audience
  if (a?.paths && !a.paths.some((p) => pathOf(e.url).startsWith(p))) return false
  const n = who?.sessions ?? 1
  if (a?.minSessions !== undefined && n < a.minSessions) return false
  if (a?.maxSessions !== undefined && n > a.maxSessions) return false
  if (a?.segment !== undefined && !(who?.inSegment?.(a.segment) ?? false)) return false
  return s.sample === undefined || sampleSpot(who?.visitor ?? '', s.id) < s.sample
}

/**
 * The surveys to show now (at most one), for a visitor whose new events are `events` and who
 * was last offered each survey at `shown[id]` (on any of their devices, once identified).
 * A survey is offered once, or again `recontactDays` after it was last shown; never within a
 * day of any survey. A trigger with `seconds` or `scroll` comes with them as `when`: the page
 * waits for them. `after`: the type of the event that triggered it (the page withdraws a
 * survey about an abandoned form once that visitor submits a form after all).
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
    if (s.on === false) continue
    const at = seen[s.id]
    if (at !== undefined && !(s.recontactDays && now - at >= s.recontactDays * DAY_MS)) continue
    const e = events.find((e) => triggers(s.trigger, e) && inAudience(s, e, who) && !takenBack(e, events))
    if (!e) continue
    const due = publicSurvey(s)
    due.after = e.type
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

/**
 * A form reported abandoned and, in the same batch, submitted after all (the snippet's
 * `form_submit`: a hidden tab's send failed, and the retry carries both): nothing to ask about.
 */
const takenBack = (e: WireEvent, events: WireEvent[]) =>
  e.type === 'form_abandon' &&
  events.some((s) => s.type === 'form_submit' && s.ts >= e.ts && s.url === e.url && s.props?.form === e.props?.form)

/**
 * Surveys the page itself showed (`ciel('survey', id)`: a fresh `survey_shown` with `asked`),
 * which the worker has not offered: they get their signed offer in the answer to the batch.
 */
export function askedSurveys(surveys: SurveyConfig[] | undefined, events: WireEvent[]): SurveyDue[] {
  const out: SurveyDue[] = []
  for (const e of events) {
    if (e.type !== 'survey_shown' || e.props?.asked !== true) continue
    const s = surveys?.find((x) => x.id === e.name && x.on !== false)
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
  /**
   * Signed answers beyond the one that counts per offer and question (and re-ask period; see
   * answers.ts): left out of the scores and the headline.
   */
  extra: number
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
  extra: { [survey: string]: number } = {},
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
      extra: extra[s.id] ?? 0,
    }
  })
}

/** One stored survey answer, as the detailed report reads it (answers that count only). */
export interface AnswerRow {
  id: string
  visitor: string
  survey: string
  type: 'survey_answer' | 'survey_comment'
  props: { [key: string]: Json } | null
  url: string
  ts: number
  /** What a written answer says, as scored when it arrived (null: not scored yet, or not written). */
  analysis: StoredAnalysis | null
}

export interface QuestionReport {
  id: string
  type: QuestionType
  text: string
  /** Answers that count. */
  answered: number
  /** Scales: answers per score, lowest first. */
  scores?: { score: number; n: number }[]
  /** Choices: answers per option (`other` last). */
  options?: { id: string; text: string; n: number }[]
  /** nps: NPS; csat: % satisfied (4-5); emoji: % of the two good faces. */
  headline: number | null
}

/** Written answers by sentiment. */
export interface Split {
  positive: number
  neutral: number
  negative: number
}

/** A written answer as the report quotes it. */
export interface Quote {
  id: string
  text: string
  /** The question it answers (`followUp`: a one-question survey's follow-up). */
  q: string
  /** Its language: the survey's when shown in one of several, else detected (as scored; not scored yet: as shown, else the site's). */
  lang: string
  /** null: not scored yet (the scoring job runs moments after the answer reaches D1). */
  sentiment: Label | null
  /** -1..1 */
  score: number | null
  topics: Topic[]
  /** What gave the label (the offline scorer, or a Workers AI model). */
  scorer: string | null
  /** Why the offline scorer stood in for Workers AI on this answer; null when it did not. */
  fallback: string | null
  ts: number
  url: string
}

export interface SurveyDetails {
  questions: QuestionReport[]
  /** The first nps or csat question's headline per day (answers that count). */
  trend: { day: string; n: number; headline: number }[]
  /** Written answers (scored) by sentiment. */
  sentiment: Split
  /** The most frequent themes (in two answers or more), each with its answers' sentiment. */
  themes: ({ theme: string; n: number } & Split)[]
  /** What written answers are about (one list across languages), each with its sentiment and newest answers. */
  topics: ({ topic: Topic; n: number; answers: Quote[] } & Split)[]
  /** Answers per language. */
  languages: { lang: string; n: number }[]
  /**
   * The newest negative answers, and what became of their alert (`none`: no webhook); why each
   * is negative in English (`reason`) and as data (`reasonFacts`, alerts.ts).
   */
  negative: {
    id: string
    ts: number
    url: string
    reason: string
    reasonFacts: NegativeFacts
    answer: Answer & { q: string }
    alert: string
  }[]
  /** The newest written answers with their sentiment and language. */
  written: Quote[]
  /**
   * How the written answers were scored: `pending` not yet (moments after arriving), `stale`
   * by an older version of the offline scorer (scored again by the hourly job), `fallbacks`
   * by the offline scorer because Workers AI failed on them; `scorers`: answers per scorer.
   */
  scoring: {
    scored: number
    pending: number
    stale: number
    fallbacks: number
    scorers: { scorer: string; n: number }[]
  }
}

const headlineOf = (type: string, dist: { score: number; n: number }[]): number | null => {
  const total = dist.reduce((a, r) => a + r.n, 0)
  if (!total) return null
  const share = (f: (s: number) => boolean) => dist.filter((r) => f(r.score)).reduce((a, r) => a + r.n, 0) / total
  if (type === 'nps') return Math.round(100 * (share((x) => x >= 9) - share((x) => x <= 6)))
  if (type === 'csat' || type === 'emoji') return Math.round(100 * share((x) => x >= 4))
  return null
}

/**
 * Per question, trend, sentiment, themes, topics, languages and negative answers of one survey,
 * from its stored answers that count (newest first, already in the period and filter). What a
 * written answer says is read as stored when it arrived (`analysis`): nothing here scores text.
 */
export function surveyDetails(
  s: SurveyConfig,
  rows: AnswerRow[],
  alerts: Map<string, string>,
  language = 'en',
  perList = 20,
): SurveyDetails {
  const qs = questionsOf(s)
  const site = primaryOf(language)
  const mine = rows.filter((r) => r.survey === s.id)
  // A score carries no language of its own: it is in the language the visitor wrote their
  // answers to the survey in (their newest written one), else the one it was shown in.
  const wrote = new Map<string, string>()
  for (const r of mine) if (r.analysis && !wrote.has(r.visitor)) wrote.set(r.visitor, r.analysis.lang)
  const answers = mine.flatMap((r) => {
    const a = answerOf(r.props ?? undefined)
    if (!a) return []
    if (r.type === 'survey_comment') ((a.q = 'followUp'), (a.kind = 'text'), delete a.score)
    const text = answerText(r.props)
    const shown = shownLanguage(s, r.props?.lang)
    const lang = (text ? r.analysis?.lang : undefined) ?? shown ?? wrote.get(r.visitor) ?? site
    return [{ row: r, a, lang, text }]
  })
  const questions = qs.map((q): QuestionReport => {
    const of = answers.filter((x) => x.a.q === q.id)
    const report: QuestionReport = {
      id: q.id,
      type: q.type,
      text: textIn(q.text, language, language),
      answered: of.length,
      headline: null,
    }
    const range = RANGE[q.type]
    if (range) {
      const n = new Map<number, number>()
      for (const { a } of of)
        if (Number.isInteger(a.score) && a.score! >= range[0] && a.score! <= range[1])
          n.set(a.score!, (n.get(a.score!) ?? 0) + 1)
      report.scores = [...n].map(([score, k]) => ({ score, n: k })).sort((x, y) => x.score - y.score)
      report.headline = headlineOf(q.type, report.scores)
    }
    if (q.options) {
      const opts = [...q.options.map((o) => ({ id: o.id, text: textIn(o.text, language, language) }))]
      if (q.other) opts.push({ id: 'other', text: 'Other' })
      report.options = opts.map((o) => ({
        ...o,
        n: of.filter(({ a }) => a.choice === o.id || a.choices?.includes(o.id)).length,
      }))
    }
    return report
  })
  const scale = qs.find((q) => q.type === 'nps' || q.type === 'csat')
  const byDay = new Map<string, { score: number; n: number }[]>()
  if (scale)
    for (const { row, a } of answers)
      if (a.q === scale.id && typeof a.score === 'number') {
        const day = new Date(row.ts).toISOString().slice(0, 10)
        const dist = byDay.get(day) ?? []
        const hit = dist.find((d) => d.score === a.score)
        if (hit) hit.n++
        else dist.push({ score: a.score, n: 1 })
        byDay.set(day, dist)
      }
  const trend = [...byDay]
    .sort((a, b) => (a[0] < b[0] ? -1 : 1))
    .map(([day, dist]) => ({ day, n: dist.reduce((x, d) => x + d.n, 0), headline: headlineOf(scale!.type, dist)! }))
  const quotes: Quote[] = answers.flatMap(({ row, a, lang, text }) => {
    if (!text) return []
    const x = row.analysis
    return [
      {
        id: row.id,
        text,
        q: a.q,
        lang,
        sentiment: x?.label ?? null,
        score: x?.score ?? null,
        topics: x?.topics ?? [],
        scorer: x?.scorer ?? null,
        fallback: x?.fallback ?? null,
        ts: row.ts,
        url: row.url,
      },
    ]
  })
  const scored = quotes.filter((t) => t.sentiment)
  const sentiment = split()
  for (const t of scored) sentiment[t.sentiment!]++
  const langs = new Map<string, number>()
  for (const x of answers) langs.set(x.lang, (langs.get(x.lang) ?? 0) + 1)
  const negative = answers
    .flatMap(({ row, a }) => {
      const facts = negativeFacts(s, a)
      return facts
        ? [
            {
              id: row.id,
              ts: row.ts,
              url: row.url,
              reason: reasonText(facts),
              reasonFacts: facts,
              answer: a,
              alert: alerts.get(row.id) ?? 'none',
            },
          ]
        : []
    })
    .slice(0, perList)
  const scorers = new Map<string, number>()
  for (const r of answers)
    if (r.text && r.row.analysis) scorers.set(r.row.analysis.scorer, (scorers.get(r.row.analysis.scorer) ?? 0) + 1)
  return {
    questions,
    trend,
    sentiment,
    themes: themesOf(answers.flatMap((x) => (x.text && x.row.analysis ? [x.row.analysis] : []))),
    topics: topicSentiment(scored.map((t) => ({ label: t.sentiment!, topics: t.topics }))).map((t) => ({
      ...t,
      answers: scored.filter((x) => x.topics.includes(t.topic)).slice(0, perList),
    })),
    languages: [...langs].map(([lang, n]) => ({ lang, n })).sort((a, b) => b.n - a.n || (a.lang < b.lang ? -1 : 1)),
    negative,
    written: quotes.slice(0, perList),
    scoring: {
      scored: scored.length,
      pending: quotes.length - scored.length,
      stale: answers.filter((x) => x.text && x.row.analysis && x.row.analysis.version !== SCORER.version).length,
      fallbacks: answers.filter((x) => x.text && x.row.analysis?.fallback).length,
      scorers: [...scorers].map(([scorer, n]) => ({ scorer, n })).sort((a, b) => b.n - a.n),
    },
  }
}

const split = (): Split => ({ positive: 0, neutral: 0, negative: 0 })
const primaryOf = (tag: string) => tag.toLowerCase().split(/[-_]/)[0]!

/** The themes found in two answers or more, most frequent first (at most `n`), with their answers' sentiment. */
export function themesOf(analyses: Pick<StoredAnalysis, 'themes' | 'label'>[], n = 10) {
  const by = new Map<string, { theme: string; n: number } & Split>()
  for (const a of analyses)
    for (const theme of new Set(a.themes)) {
      const t = by.get(theme) ?? { theme, n: 0, ...split() }
      t.n++
      t[a.label]++
      by.set(theme, t)
    }
  return [...by.values()]
    .filter((t) => t.n >= 2)
    .sort((a, b) => b.n - a.n || b.negative - a.negative || (a.theme < b.theme ? -1 : 1))
    .slice(0, n)
}
