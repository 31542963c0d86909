/**
 * @module alerts: closing the loop. A negative survey answer (NPS ≤ 6, CSAT ≤ 2, one of the two
 * bad faces, or a `negative` rule of the survey) alerts the site's webhook at once: which
 * answers are negative, the JSON (or Slack) body, its signature, and the retry schedule. Pure;
 * jobs/alerts.ts delivers through the jobs queue.
 *
 * Signature (verify it before trusting a body): header `ciel-signature: t=<unix seconds>,
 * v1=<hex HMAC-SHA256 of "<t>.<raw body>" keyed by the site's webhook secret>` (derived from the
 * site's secret: identity.ts); refuse a `t` older than five minutes (replays). README, "Closing
 * the loop", has a Node snippet.
 */
import type { Answer, Json, SurveyConfig } from '../../snippet/contract/wire'
import { passes, questionsOf, textIn } from '../../snippet/contract/survey-model'
import type { PreparedEvent } from './ingest'
import { identityHash } from './identity'

/** Retries go on, backing off, until this long after the answer; then the alert is `failed`. */
export const RETRY_FOR_MS = 24 * 3_600_000
/** The longest wait between two attempts. */
const MAX_DELAY_S = 4 * 3600

/** Seconds before attempt `n + 1` after `n` failed ones: 10 s, 20 s, 40 s, … at most 4 h (about 16 tries in 24 h). */
export const retryDelay = (attempts: number, base = 10) => Math.min(MAX_DELAY_S, base * 2 ** (attempts - 1))

/** The answer of a `survey_answer` event: which question, its kind, what was said. */
export interface AnswerOf extends Answer {
  q: string
  kind: string
}

/** What an answer event says, in the shape of a question's answer (one-question surveys included). */
export function answerOf(props: PreparedEvent['props']): AnswerOf | null {
  if (!props || typeof props.kind !== 'string') return null
  const a: AnswerOf = { q: typeof props.q === 'string' ? props.q : props.kind, kind: props.kind }
  if (typeof props.score === 'number') a.score = props.score
  if (typeof props.choice === 'string') a.choice = props.choice
  if (Array.isArray(props.choices)) a.choices = props.choices.filter((c): c is string => typeof c === 'string')
  if (typeof props.text === 'string') a.text = props.text
  return a
}

/**
 * Why an answer is negative, as data (the dashboard says it in the team's language): a low
 * score (`nps` 0-6, `csat` 1-2 of 5, `emoji` 1-2 of 5), or a `rule` of the survey's `negative`.
 */
export type NegativeFacts =
  | { kind: 'nps' | 'csat' | 'emoji'; score: number }
  | { kind: 'rule'; q: string; rule: NonNullable<SurveyConfig['negative']>[number] }

/** Why the answer is negative, as data, or null. */
export function negativeFacts(survey: SurveyConfig, a: AnswerOf): NegativeFacts | null {
  const s = a.score
  if (s != null) {
    if (a.kind === 'nps' && s <= 6) return { kind: 'nps', score: s }
    if ((a.kind === 'csat' || a.kind === 'emoji') && s <= 2) return { kind: a.kind, score: s }
  }
  for (const rule of survey.negative ?? [])
    if (rule.q === a.q && passes(rule, a)) return { kind: 'rule', q: rule.q, rule }
  return null
}

/** The same in English: what the alert (and its webhook body) says triggered it. */
export function reasonText(f: NegativeFacts): string {
  switch (f.kind) {
    case 'nps':
      return `NPS ${f.score} (a detractor: 0-6)`
    case 'csat':
      return `CSAT ${f.score} of 5`
    case 'emoji':
      return `face ${f.score} of 5`
    case 'rule':
      return `the survey's rule on '${f.q}': ${JSON.stringify(f.rule)}`
  }
}

/** Why the answer is negative (what the alert says triggered it), or null. */
export function negativeReason(survey: SurveyConfig, a: AnswerOf): string | null {
  const f = negativeFacts(survey, a)
  return f && reasonText(f)
}

/** An alert on its way: the answer event and why it alerts. */
export interface AlertAnswer {
  id: string
  survey: string
  visitor: string
  url: string
  ts: number
  answer: AnswerOf
  reason: string
  lang?: string
}

/** The answers of these fresh, signed, human events that must alert the site. */
export function alertsFor(
  surveys: SurveyConfig[] | undefined,
  visitor: string,
  events: PreparedEvent[],
): AlertAnswer[] {
  const out: AlertAnswer[] = []
  for (const e of events) {
    if (e.type !== 'survey_answer' || !e.name) continue
    const survey = surveys?.find((s) => s.id === e.name)
    const a = survey && answerOf(e.props)
    const reason = a && negativeReason(survey, a)
    if (!reason) continue
    const alert: AlertAnswer = { id: e.id, survey: e.name, visitor, url: e.url, ts: e.ts, answer: a!, reason }
    if (typeof e.props?.lang === 'string') alert.lang = e.props.lang
    out.push(alert)
  }
  return out
}

/** The visitor, as the alert tells the site's team. */
export interface ProfileSummary {
  user: { id: string; traits: { [key: string]: Json } | null } | null
  firstSeen: number | null
  lastSeen: number | null
  sessions: number
  events: number
  interests: { topic: string; score: number }[]
}

/** A friction event the visitor met shortly before answering. */
export interface FrictionSeen {
  type: string
  name: string | null
  url: string
  ts: number
  element: string | null
}

/** The webhook's JSON body. */
export interface AlertBody {
  /** The answer event's id: one alert per answer (receivers may dedupe by it; also the `ciel-delivery` header). */
  id: string
  type: 'survey.negative_answer'
  site: string
  survey: { id: string; questions: { id: string; type: string; text: string }[] }
  /** The answer that triggered the alert, and why. */
  answer: AnswerOf & { at: number }
  reason: string
  /** Every answer of this visitor to this survey in the last hour, oldest first. */
  answers: (AnswerOf & { at: number })[]
  page: string
  language: string | null
  /** What the visitor ran into in the 30 minutes before answering (the survey's trigger among it). */
  friction: FrictionSeen[]
  trigger: SurveyConfig['trigger'] | null
  visitor: { id: string } & ProfileSummary
}

export function alertBody(
  site: string,
  survey: SurveyConfig | undefined,
  a: AlertAnswer,
  answers: (AnswerOf & { at: number })[],
  friction: FrictionSeen[],
  profile: ProfileSummary,
  language: string,
): AlertBody {
  const qs = survey ? questionsOf(survey) : []
  const lang = a.lang ?? language
  return {
    id: a.id,
    type: 'survey.negative_answer',
    site,
    survey: {
      id: a.survey,
      questions: qs.map((q) => ({ id: q.id, type: q.type, text: textIn(q.text, lang, language) })),
    },
    answer: { ...a.answer, at: a.ts },
    reason: a.reason,
    answers,
    page: a.url,
    language: a.lang ?? null,
    friction,
    trigger: survey?.trigger ?? null,
    visitor: { id: a.visitor, ...profile },
  }
}

/**
 * Text for Slack's markup: `& < >` escaped, as Slack asks (else a visitor's `<!channel>` pings
 * everyone and `<https://evil|the dashboard>` is a disguised link), and on one line (else an
 * answer could add lines that read as the alert's own).
 */
export const slackText = (x: unknown) =>
  String(x).replace(/\s+/g, ' ').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

/** The same as a Slack incoming-webhook message (`{text}` with Slack's markup); every value in it escaped. */
export function slackBody(b: AlertBody): { text: string } {
  const t = slackText
  const q = b.survey.questions.find((x) => x.id === b.answer.q)
  const said = [b.answer.score, b.answer.choice, b.answer.choices?.join(', '), b.answer.text].filter((x) => x != null)
  const who = b.visitor.user ? `user ${t(b.visitor.user.id)}` : `visitor ${t(b.visitor.id)}`
  const lines = [
    `:rotating_light: Negative answer to survey *${t(b.survey.id)}*: ${t(b.reason)}`,
    `> ${t(q?.text ?? b.answer.q)}: *${said.map(t).join(' · ')}*`,
    ...b.answers.filter((x) => x.q !== b.answer.q && x.text).map((x) => `> ${t(x.q)}: ${t(x.text)}`),
    `Page: ${t(b.page)} · ${who}, ${b.visitor.sessions} sessions`,
  ]
  if (b.friction.length) lines.push(`Friction before: ${b.friction.map((f) => t(f.type)).join(', ')}`)
  return { text: lines.join('\n') }
}

/** The `ciel-signature` header of a body sent at `t` (unix seconds), keyed by the webhook secret. */
export async function signature(secret: string, t: number, body: string): Promise<string> {
  return `t=${t},v1=${await identityHash(secret, `${t}.${body}`)}`
}
