/**
 * @module wire: every field that travels between the snippet and the worker, defined once.
 * The snippet and the worker both import these types (the worker with `import type`).
 * Field names here are public: never rename them to save bytes.
 */

/** Any JSON value a custom event may carry in `props` or `traits`. */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json }

/** One event, as stored in the outbox and sent in a batch. */
export interface WireEvent {
  /** Client-made unique id (UUID); never changes on retry, so the worker can count it once. */
  id: string
  /** `pageview`, `click`, `rage_click`, `dead_click`, `track`, `identify`, `step`, ... */
  type: string
  /** When it happened, in milliseconds since the Unix epoch, by the visitor's clock. */
  ts: number
  /** The page's URL (without its fragment unless the site routes by hash). */
  url: string
  /** Custom event name (`track`), funnel name (`step`) or user id (`identify`). */
  name?: string
  /** Free-form properties: custom props, or the evidence of a built-in event. */
  props?: { [key: string]: Json }
  /** identify only: hex HMAC-SHA256 of `name` keyed by the site's identity secret; see README. */
  hash?: string
}

/** The body of `POST /v1/events`. */
export interface Batch {
  /** The site's public key, from the script tag's `data-site`. */
  site: string
  /** Random id of this browser for this site; persisted unless consent forbids it. */
  visitor: string
  /** Session id; renews after 30 minutes without activity. */
  session: string
  /** When this request was sent, by the visitor's clock (ms since epoch); used to correct skew. */
  sentAt: number
  /** The events, oldest first. */
  events: WireEvent[]
  /** Events the outbox had to evict (it was full) since the last acknowledged batch. */
  evicted?: number
  /** Events dropped because the worker refused their batch as invalid (4xx). */
  dropped?: number
  /** The browser says it is automated (navigator.webdriver): stored, but flagged as a bot. */
  automation?: boolean
}

/** The answer to `POST /v1/events` (and, without the counts, to `POST /v1/decide`). */
export interface BatchAnswer {
  /** Events stored for the first time by this request. */
  accepted: number
  /** Events the worker already had (a retry); stored nothing. */
  duplicates: number
  /** Personalisation: slot name → variant to show. A slot not listed keeps its default. */
  decisions: { [slot: string]: string }
  /**
   * Slot → experiment id, for slots an experiment decided ('' in `decisions` is then its
   * default arm). The page's `slot_shown` carries it, which counts the exposure.
   */
  experiments?: { [slot: string]: string }
  /** Surveys that should show now, best first. */
  surveys: SurveyDue[]
  /**
   * Events the worker refused for bad input: their index in the batch's `events`, their `id` when
   * it could read one, and why. Every other event of the batch was stored. The worker counts
   * these as dropped itself, so the snippet deletes them with the rest and does not report them.
   */
  rejected?: { index: number; id?: string; error: string }[]
}

/**
 * A survey the worker wants shown now: what the snippet needs to render it (the targeting and
 * alert rules stay on the worker), with the worker's signed offer.
 */
export type SurveyDue = Omit<SurveyConfig, 'trigger' | 'audience' | 'sample' | 'recontactDays' | 'negative'> & {
  /**
   * The worker's signature of this offer (survey, visitor, time; HMAC with the site's secret).
   * The snippet sends it back as the `hash` of the survey's events; answers without a valid
   * one are stored but flagged and left out of NPS/CSAT.
   */
  offer?: string
  /** Show once the visitor has been on the page this long / scrolled this far (from the trigger). */
  when?: SurveyWhen
  /**
   * The type of the event that triggered the offer. After `form_abandon` the page withdraws the
   * survey if the visitor submits a form before it shows (they came back to finish it).
   */
  after?: string
}

export interface SurveyWhen {
  /** The triggering event's time (visitor's clock, ms); `seconds` count from it. */
  from: number
  seconds?: number
  /** Scroll depth in % of the page (0-100). */
  scroll?: number
}

/** The body of `POST /v1/decide`. */
export interface DecideRequest {
  site: string
  visitor: string
  /** Optional: a first page has none yet. */
  session?: string
  url: string
  /** The page's referrer: a first pageview is decided from its context (landing topics, source). */
  referrer?: string
}

/**
 * Text a visitor reads: one string, or a map by language code (`{"en": "How likely…", "he": "…"}`).
 * The snippet shows the page's language (`<html lang>`, else the browser's), else the site's default.
 */
export type Text = string | { [lang: string]: string }

/** When a survey is offered: an event matching every part given (e.g. `{event: 'stall', name: 'onboarding'}`). */
export interface SurveyTrigger {
  /** Event type: `stall`, `rage_click`, `pageview`, `track`, ... */
  event?: string
  /** Event name: the funnel of a `step`/`stall`, the name of a `track` event. */
  name?: string
  /** URL path prefix of the page the event happened on. */
  path?: string
  /** Then wait until the visitor has spent this many seconds on the page (since the event). */
  seconds?: number
  /** Then wait until the visitor has scrolled this far down the page (%). */
  scroll?: number
}

/** `nps` 0-10, `csat` 1-5, `emoji` 1-5 faces, `single` / `multi` choice, `text` an open question. */
export type QuestionType = 'nps' | 'csat' | 'emoji' | 'single' | 'multi' | 'text'

/**
 * A test on one answer (branching, alert rules): every part given must hold. `min`/`max` bound
 * a score (nps, csat, emoji); `choice` is an option picked (`other` for the free-text one).
 */
export interface AnswerTest {
  min?: number
  max?: number
  choice?: string
}

/** A branch: when the answer passes the test, go to the question `to` (later in the list) or `end`. */
export interface Branch extends AnswerTest {
  to: string
}

export interface Question {
  /** Unique in the survey; answers name it (`q`). */
  id: string
  type: QuestionType
  text: Text
  /** Needs an answer to go on (default false: the Next button skips it). */
  required?: boolean
  /** single / multi: the options, in order. */
  options?: { id: string; text: Text }[]
  /** single / multi: an "Other" option with a text field (answered as choice `other` with `text`). */
  other?: boolean
  /** nps / csat: the scale's ends, instead of the built-in words. */
  low?: Text
  high?: Text
  /** The first branch whose test the answer passes decides what comes next... */
  branch?: Branch[]
  /** ...else this question id or `end`, else the next question in the list. */
  next?: string
}

/** An answer, as recorded in `survey_answer` props (with `q`, `kind` and `lang`). */
export interface Answer {
  score?: number
  choice?: string
  choices?: string[]
  text?: string
}

/**
 * A micro-survey defined in the site's config: either one question (`kind` and `question`, with
 * an optional `followUp`: the original shape, unchanged), or a list of `questions`.
 */
export interface SurveyConfig {
  id: string
  /** One-question surveys: `nps` (0–10), `csat` (1–5) or `text`. */
  kind?: 'nps' | 'csat' | 'text'
  question?: Text
  /** nps/csat: an open question asked after the score, e.g. "What is the main reason?". */
  followUp?: Text
  /** Multi-question surveys. */
  questions?: Question[]
  /** The last screen: its text (default: the built-in "Thank you!") and a link. */
  thanks?: { text?: Text; link?: { url: string; text: Text } }
  /** Without one, the survey shows only when the page calls `ciel('survey', id)`. */
  trigger?: SurveyTrigger
  /** false switches it off: never offered, not served to pages, its answers kept (default true). */
  on?: boolean
  /** Who may be offered it: pages under these paths, visitors with this many sessions. */
  /** Who may be asked: page paths, sessions so far, a segment (its id, or a rule) of the site. */
  audience?: { paths?: string[]; minSessions?: number; maxSessions?: number; segment?: string | SegmentRule }
  /** Share of the matching visitors offered it (0-1, default 1), stable per visitor. */
  sample?: number
  /** Offer it again this many days after it was last shown (default: never again). */
  recontactDays?: number
  /** Answers that alert the site's webhook, besides NPS ≤ 6, CSAT ≤ 2 and the two bad faces. */
  negative?: (AnswerTest & { q: string })[]
  /** The UI's own words, instead of the built-in ones (en, pl, he, ar). */
  labels?: SurveyLabels
}

export interface SurveyLabels {
  /** The lowest and highest end of the scale ("Not likely", "Very likely"). */
  low?: Text
  high?: Text
  send?: Text
  close?: Text
  thanks?: Text
  next?: Text
  other?: Text
}

/** An onboarding funnel: ordered steps, each with the time a visitor is expected to need. */
export interface FunnelConfig {
  id: string
  steps: { id: string; maxSeconds?: number }[]
}

/**
 * A condition over a visitor's profile (ARCHITECTURE.md lists the fields), e.g.
 * `{field: 'sessions', op: 'gte', value: 2}`, `{field: 'nps.group', op: 'in', value: ['detractor']}`,
 * `{field: 'friction.rage.last', op: 'within', value: 7}` (days). Combined with all/any/not, or
 * naming another segment.
 */
export type SegmentRule =
  | { all: SegmentRule[] }
  | { any: SegmentRule[] }
  | { not: SegmentRule }
  | { segment: string }
  | {
      field: string
      op: 'eq' | 'ne' | 'gt' | 'gte' | 'lt' | 'lte' | 'in' | 'exists' | 'within' | 'contains'
      value?: string | number | boolean | (string | number)[]
    }

/** A named group of visitors, evaluated at the edge over their profiles. */
export interface SegmentConfig {
  id: string
  description?: string
  rule: SegmentRule
}

/** An experiment on a slot: who sees which variant, and what counts as success. */
export interface ExperimentConfig {
  /** Changing the id starts a new experiment: assignments and results start again. */
  id: string
  /** Variants of the slot's templates; the page's default content is an arm too unless `control` is false. */
  variants: string[]
  control?: boolean
  /** The conversion: an event type (`step`, `track`, ...), with its name (funnel, custom event) and, for `step`, the step. */
  goal: { type: string; name?: string; step?: string }
  /** An event that must not rise (e.g. `rage_click`): counted like the goal, shown beside it. */
  guardrail?: { type: string; name?: string; step?: string }
  /** The smallest relative lift worth detecting, for the visitors still needed (default 0.1: 10%). */
  minimumLift?: number
  /** A conversion counts when it follows the first exposure within this many days (default 14). */
  windowDays?: number
  /** Share of visitors (0-0.5) kept on the default content, to measure lift against (default 0). */
  holdout?: number
  /** `split` (default): fixed shares, `weights` or equal; `thompson`: more traffic to what converts. */
  allocation?: 'split' | 'thompson'
  weights?: number[]
  /** Who enters (a segment id or a rule); others see the default and are not counted. */
  audience?: string | SegmentRule
  /** false stops it: everyone sees the default, results are kept. */
  on?: boolean
}

/** A content slot: ordered rules, then an experiment, then interests, else its default content. */
export interface SlotConfig {
  id: string
  /** The variants the slot's pages carry (`<template data-variant>`): when listed, rules and experiments may only name these. */
  variants?: string[]
  /** First match wins: `when` is a segment id or a rule. */
  rules?: { when: string | SegmentRule; variant: string }[]
  experiment?: ExperimentConfig
  /** Variant shown to a visitor whose top interest is the key, e.g. {pricing: 'pricing'}. */
  byInterest?: { [topic: string]: string }
  /**
   * Never saved: the worker adds it to the config it serves to pages. How a first visit's slot is
   * decided from its landing page alone, so that the page decides it without a round trip:
   * the first entry whose test holds gives the variant (null: only the worker can tell, the page
   * asks `/v1/decide`); when none holds, the default content.
   */
  first?: FirstVisitRule[]
}

/**
 * One step of a first visit's decision, made in the page. `when` (none: always) is a rule over
 * the landing context only: `entry.path`, `entry.referrer`, `entry.source`, `entry.medium`,
 * `entry.campaign`, `device`, `topInterest` (ops eq, ne, in, exists, contains) and
 * `interests.<topic>` (exists: the landing page's URL maps to the topic).
 */
export interface FirstVisitRule {
  when?: SegmentRule
  variant: string | null
}

/** What a visitor has to agree to before ciel stores or sends anything. */
export type ConsentMode = 'opt-out' | 'opt-in' | 'cookieless'

/** The public part of a site's config, served by `GET /v1/config?site=KEY`. */
export interface SiteConfig {
  consent?: ConsentMode
  /** The language of texts given as plain strings, and the fallback of maps (default `en`). */
  language?: string
  /** Treat Global Privacy Control as a denial (default true) / honour Do Not Track (default false). */
  gpc?: boolean
  dnt?: boolean
  capture?: {
    /** Click autocapture: true (default), false, or a list of CSS selectors to limit it to. */
    clicks?: boolean | string[]
    rage?: { clicks?: number; ms?: number; px?: number }
    deadMs?: number
    vitals?: boolean
    /** URL path patterns mapped to topics, e.g. {"/pricing": ["pricing"]}. */
    topics?: { [pathPrefix: string]: string[] }
  }
  /** Most events the visitor's outbox keeps while the worker is unreachable (default 1,000). */
  outboxMax?: number
  funnels?: FunnelConfig[]
  /** Named visitor groups for slot rules, experiments' audiences and insights (not served to pages). */
  segments?: SegmentConfig[]
  slots?: SlotConfig[]
  surveys?: SurveyConfig[]
}
