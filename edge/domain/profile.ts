/**
 * @module profile: one visitor's profile (the single customer view), kept up to date from the
 * events stored for the first time (never from a replay). Pure: the visitor's Durable Object
 * shard (state/visitors.ts) stores it, the routes read it to decide, segments are rules over
 * it, and a snapshot goes to D1 for the team's lists and the experiments' results.
 *
 * Bounded in size (ARCHITECTURE.md): at most 50 interests, 50 surveys, 20 funnels, 20
 * experiments, 100 sessions' ids; short strings; the traits are the identify event's props,
 * which the batch schema already bounds.
 *
 * One clock: every time in it is an event's own (corrected) time, never when its batch arrived,
 * so that a late outbox, a retry or a backfill gives the same profile as the events on time.
 */
import type { Json } from '../../snippet/contract/wire'
import { scoreAt, topicsOf, type InterestState } from './interests'
import { FLAG, UNCOUNTED } from './flags'
import { deviceFlags } from './bots'
import { formEvent, formKey, type Forms } from './forms'

/** What the profile needs of an event (a few of its props: the rest can be large and stays in D1). */
export interface ProfileEvent {
  id: string
  type: string
  name?: string
  /** Corrected event time. */
  ts: number
  topics: string[]
  /** identify: the traits. */
  traits?: { [key: string]: Json } | null
  flags: number
  /** pageview: the page (UTM parameters, landing path) and its referrer; form_abandon, form_submit: the page. */
  url?: string
  ref?: string
  /** step: the step; survey_answer: kind and score; slot_shown: slot and variant. */
  step?: string
  kind?: string
  score?: number
  slot?: string
  variant?: string
  /** slot_shown: the experiment that decided it (absent when a rule or interest did). */
  exp?: string
  /** form_abandon, form_submit: the form (as the snippet names it). */
  form?: string
}

export type Friction = 'rage' | 'dead' | 'error' | 'abandon' | 'stall'
/** Friction counted as it comes (form_abandon: by domain/forms.ts, which a later submit takes back). */
const FRICTION: { [type: string]: Friction } = {
  rage_click: 'rage',
  dead_click: 'dead',
  error_click: 'error',
  stall: 'stall',
}

/** Where a visitor first came from. */
export interface Entry {
  /** The first pageview's time (a pageview that arrives late but happened earlier replaces it). */
  at?: number
  path?: string
  /** The referrer's host, `www.` dropped (empty: direct). */
  referrer?: string
  source?: string
  medium?: string
  campaign?: string
}

/** A visitor's exposure to one slot's experiment, and its conversion. */
export interface Exposure {
  /** The experiment's id. */
  id: string
  /** '' is the default content. */
  variant: string
  /** First exposure. */
  at: number
  /** In the holdout (always the default). */
  h?: 1
  /** First goal event within the window after `at` (by the events' own times). */
  conv?: number
  /** First guardrail event (e.g. a rage click) within the window after `at`. */
  g?: number
}

export interface Profile {
  firstSeen: number
  lastSeen: number
  /** Sessions seen (a new session id counts one). */
  sessions: number
  /** The session of the latest event. */
  lastSession: string
  /**
   * Session id → its latest event's time, for the most recent sessions: a late batch of a
   * session already counted counts nothing. Absent in profiles kept before it existed.
   */
  sessionTimes?: { [id: string]: number }
  /** Events stored for this visitor. */
  events: number
  pageviews: number
  /** The user the visitor was last identified as (verified, where the site asks for it). */
  user: { id: string; traits: { [key: string]: Json } | null; at: number } | null
  interests: InterestState
  /** Survey id → when it was last shown. */
  surveys: { [id: string]: number }
  /** Funnel id → the furthest step reached (index in the config's steps, its id, when). */
  funnels: { [id: string]: { i: number; step: string; at: number } }
  /** Friction seen: how many times, and the last time (abandons: those no submit took back). */
  friction: { [kind in Friction]?: { n: number; last: number } }
  /** Forms reported abandoned or submitted, by form and page (domain/forms.ts). */
  forms?: Forms
  nps?: { score: number; group: 'detractor' | 'passive' | 'promoter'; at: number }
  csat?: { score: number; at: number }
  entry?: Entry
  device?: string
  country?: string
  /** The browser's first language, as last seen (`pl`, `he`). */
  language?: string
  /** Slot id → the experiment the visitor was exposed to there (the first exposure by its own time). */
  exp: { [slot: string]: Exposure }
  /**
   * Experiment id → times of its goal events before the visitor's exposure to it (or while there
   * is none), the latest MAX_GOALS: an exposure that arrives late but happened earlier converts
   * on them, as it would have on time.
   */
  goals?: { [experiment: string]: number[] }
  /** Seen as a bot (user agent or automation): left out of experiments' results and segment sizes. */
  bot?: 1
  /**
   * Funnel id → the profile just before the visitor first reached the funnel's goal (its last
   * step): what propensity models learn from, so that the outcome never leaks into the features.
   */
  before?: { [funnel: string]: BeforeGoal }
  /**
   * Funnel id → the chance (0..1) of reaching its goal, from the site's propensity model
   * (domain/propensity.ts). Never stored: added where the profile is read, when a model exists.
   */
  propensity?: { [funnel: string]: number }
}

/** The parts of a profile that propensity features read, as they were at a moment. */
export interface BeforeGoal {
  sessions: number
  pageviews: number
  events: number
  /** The moment (the goal event's time). */
  at: number
  /** The 10 strongest interests, not decayed (as of `interests.at`). */
  interests: InterestState
  friction: Profile['friction']
  nps?: Profile['nps']
  /** Funnel id → the furthest step index reached. */
  funnels: { [id: string]: number }
}

/** What the site's config tells the profile (small: it travels with every batch to the shard). */
export interface ProfileSpec {
  funnels?: { id: string; steps: string[] }[]
  experiments?: {
    slot: string
    id: string
    goal: { type: string; name?: string; step?: string }
    guardrail?: { type: string; name?: string; step?: string }
    windowMs: number
    holdout: number
  }[]
}

/** What the request says of the visitor (not in any event). */
export interface RequestContext {
  device?: string
  country?: string
  language?: string
}

const MAX_SURVEYS = 50
const MAX_KEYED = 20
const MAX_GOALS = 20
/**
 * Sessions remembered: a batch may be dated up to 30 days back (domain/ingest.ts), so a late
 * batch of a session older than the last 100 would count it again.
 */
const MAX_SESSIONS = 100

/** A profile with nothing in it yet, as of `now`. */
export function emptyProfile(now: number): Profile {
  return {
    firstSeen: now,
    lastSeen: now,
    sessions: 0,
    lastSession: '',
    events: 0,
    pageviews: 0,
    user: null,
    interests: { at: now, scores: {} },
    surveys: {},
    funnels: {},
    friction: {},
    exp: {},
  }
}

export const npsGroup = (s: number) => (s <= 6 ? 'detractor' : s <= 8 ? 'passive' : 'promoter')

/** A stable number in [0, 1) from strings (FNV-1a): assignment and holdout without storage. */
export function hash01(...parts: string[]): number {
  let h = 0x811c9dc5
  const s = parts.join('\u0000')
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193)
  // One more round of mixing: FNV's low bits alone are poorly spread for similar inputs.
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  return (h >>> 0) / 2 ** 32
}

export const inHoldout = (visitor: string, experiment: string, share: number) =>
  share > 0 && hash01(visitor, experiment, 'holdout') < share

/** The first page's context: path, referrer host and UTM parameters. */
export function entryOf(url: string | undefined, ref: string | undefined): Entry {
  const e: Entry = {}
  try {
    const u = new URL(url ?? '')
    e.path = u.pathname.slice(0, 200)
    const q = (k: string) => u.searchParams.get(k)?.slice(0, 100).toLowerCase()
    const [source, medium, campaign] = [q('utm_source'), q('utm_medium'), q('utm_campaign')]
    if (source) e.source = source
    if (medium) e.medium = medium
    if (campaign) e.campaign = campaign
  } catch {}
  try {
    if (ref) e.referrer = new URL(ref).hostname.replace(/^www\./, '').slice(0, 100)
  } catch {}
  return e
}

/** A device class from the User-Agent (the same bits as the events' flags): coarse on purpose. */
export function deviceOf(ua: string | undefined): string {
  if (!ua) return 'unknown'
  const bits = deviceFlags(ua)
  return bits & FLAG.tablet ? 'tablet' : bits & FLAG.mobile ? 'mobile' : 'desktop'
}

/** Drops the oldest keys (by `at`) beyond `max`. */
function bound<T>(map: { [k: string]: T }, max: number, at: (t: T) => number) {
  const keys = Object.keys(map)
  if (keys.length > max)
    for (const k of keys.sort((a, b) => at(map[a]!) - at(map[b]!)).slice(0, keys.length - max)) delete map[k]
}

const goalMet = (g: { type: string; name?: string; step?: string }, e: ProfileEvent) =>
  e.type === g.type && (g.name === undefined || e.name === g.name) && (g.step === undefined || e.step === g.step)

/**
 * Brings the profile up to date with newly stored events of one batch. Every time it keeps is
 * an event's own `ts` (already corrected for the page's clock skew), so the same events give the
 * same profile whatever order and delay their batches arrive in.
 * @param now when the batch arrived: only for a profile with no events yet
 * @param visitor the visitor's id (holdout membership is a hash of it)
 */
export function applyEvents(
  prev: Profile | null,
  events: ProfileEvent[],
  session: string,
  now: number,
  spec: ProfileSpec = {},
  request: RequestContext = {},
  visitor = '',
): Profile {
  let first = Infinity
  let last = -Infinity
  for (const e of events) ((first = Math.min(first, e.ts)), (last = Math.max(last, e.ts)))
  const base = emptyProfile(events.length ? first : now)
  if (events.length) base.lastSeen = last
  const p: Profile = prev
    ? {
        ...base,
        ...prev,
        surveys: { ...prev.surveys },
        funnels: { ...prev.funnels },
        friction: { ...prev.friction },
        exp: { ...prev.exp },
        ...(prev.forms && { forms: { ...prev.forms } }),
        ...(prev.goals && { goals: { ...prev.goals } }),
        sessionTimes: { ...(prev.sessionTimes ?? (prev.lastSession ? { [prev.lastSession]: prev.lastSeen } : {})) },
      }
    : base
  if (request.device) p.device = request.device
  if (request.country) p.country = request.country
  if (request.language) p.language = request.language
  if (!events.length) return p
  p.firstSeen = Math.min(p.firstSeen, first)
  if (last >= p.lastSeen) p.lastSession = session
  p.lastSeen = Math.max(p.lastSeen, last)
  p.events += events.length
  const times = (p.sessionTimes ??= {})
  if (times[session] === undefined) p.sessions += 1
  times[session] = Math.max(times[session] ?? -Infinity, last)
  bound(times, MAX_SESSIONS, (t) => t)
  if (events.some((e) => e.flags & FLAG.bot)) p.bot = 1
  let seen = p.events - events.length
  const sorted = [...events].sort((a, b) => a.ts - b.ts)
  for (const [k, e] of sorted.entries()) {
    if (e.type === 'pageview') {
      p.pageviews += 1
      if (!p.entry || (p.entry.at !== undefined && e.ts < p.entry.at)) p.entry = { at: e.ts, ...entryOf(e.url, e.ref) }
    }
    if (e.type === 'identify' && e.name && !(e.flags & FLAG.unverified) && (!p.user || e.ts >= p.user.at))
      p.user = { id: e.name, traits: e.traits ?? null, at: e.ts }
    if (e.type === 'survey_shown' && e.name) p.surveys[e.name] = Math.max(p.surveys[e.name] ?? 0, e.ts)
    // Answers that count only (signed, one per offer and question; a person's), as NPS and CSAT count them.
    if (
      e.type === 'survey_answer' &&
      !(e.flags & (FLAG.bot | UNCOUNTED)) &&
      typeof e.score === 'number' &&
      Number.isFinite(e.score)
    ) {
      if (e.kind === 'nps' && e.score >= 0 && e.score <= 10 && (!p.nps || e.ts >= p.nps.at))
        p.nps = { score: e.score, group: npsGroup(e.score), at: e.ts }
      if (e.kind === 'csat' && e.score >= 1 && e.score <= 5 && (!p.csat || e.ts >= p.csat.at))
        p.csat = { score: e.score, at: e.ts }
    }
    const f = FRICTION[e.type]
    if (f) {
      const was = p.friction[f]
      p.friction[f] = { n: (was?.n ?? 0) + 1, last: Math.max(was?.last ?? 0, e.ts) }
    }
    // A form the snippet reported abandoned (a hidden tab) and the visitor then submitted: not
    // abandoned after all (the snippet sends form_submit only then), by the events' own times.
    if (e.type === 'form_abandon' || e.type === 'form_submit') {
      const abandon = formEvent((p.forms ??= {}), p.friction.abandon, e.type, formKey(e.form, e.url), e.ts)
      if (abandon) p.friction.abandon = abandon
      else delete p.friction.abandon
    }
    if (e.type === 'step' && e.name && e.step) {
      const steps = spec.funnels?.find((x) => x.id === e.name)?.steps
      const i = steps ? steps.indexOf(e.step) : -1
      const was = p.funnels[e.name]
      if (i >= 0 && (!was || i > was.i)) {
        if (steps && steps.length > 1 && i === steps.length - 1 && !p.before?.[e.name])
          p.before = { ...p.before, [e.name]: beforeGoal(p, sorted.slice(0, k), seen, e.ts) }
        p.funnels[e.name] = { i, step: e.step, at: e.ts }
      } else if (was && i === was.i) was.at = Math.max(was.at, e.ts)
    }
    if (e.type === 'slot_shown' && e.slot) {
      const x = spec.experiments?.find((x) => x.slot === e.slot)
      const was = p.exp[e.slot]
      // The first exposure to an experiment by its own time pins the variant (later pages show
      // the same), whichever arrives first; it converts on the first goal within the window.
      if (x && e.exp === x.id && (!was || was.id !== x.id || e.ts < was.at)) {
        const variant = e.variant ?? ''
        const ex: Exposure = { id: x.id, variant, at: e.ts }
        if (!variant && inHoldout(visitor, x.id, x.holdout)) ex.h = 1
        for (const [key, field] of [
          [x.id, 'conv'],
          [x.id + '#g', 'g'],
        ] as const) {
          const kept = p.goals?.[key] ?? []
          const prior = was?.id === x.id ? was[field] : undefined
          const after = [...kept, ...(prior !== undefined ? [prior] : [])].filter(
            (t) => t >= e.ts && t - e.ts <= x.windowMs,
          )
          if (after.length) ex[field] = Math.min(...after)
          keepGoals(
            p,
            key,
            kept.filter((t) => t < e.ts),
          )
        }
        p.exp[e.slot] = ex
      }
    }
    // The goal and the guardrail: the first of each within the window after the exposure, in any
    // arrival order (times before a known exposure are kept for an exposure that arrives late).
    for (const x of spec.experiments ?? []) {
      for (const [key, rule, field] of [
        [x.id, x.goal, 'conv'],
        [x.id + '#g', x.guardrail, 'g'],
      ] as const) {
        if (!rule || !goalMet(rule, e)) continue
        const ex = p.exp[x.slot]
        if (ex && ex.id === x.id && e.ts >= ex.at) {
          const was = ex[field]
          if (e.ts - ex.at <= x.windowMs && (was === undefined || e.ts < was)) p.exp[x.slot] = { ...ex, [field]: e.ts }
        } else keepGoals(p, key, [...(p.goals?.[key] ?? []), e.ts])
      }
    }
    seen += 1
  }
  bound(p.surveys, MAX_SURVEYS, (t) => t)
  bound(p.funnels, MAX_KEYED, (t) => t.at)
  bound(p.exp, MAX_KEYED, (t) => t.at)
  if (p.before && Object.keys(p.before).length > MAX_KEYED) bound((p.before = { ...p.before }), MAX_KEYED, (t) => t.at)
  p.interests = scoreAt(p.interests, events)
  return p
}

/** Keeps an experiment's goal times before its exposure (the latest MAX_GOALS; experiments bounded as exp). */
function keepGoals(p: Profile, experiment: string, times: number[]) {
  const goals = (p.goals ??= {})
  if (times.length) goals[experiment] = [...times].sort((a, b) => a - b).slice(-MAX_GOALS)
  else delete goals[experiment]
  bound(goals, MAX_KEYED, (t) => t[t.length - 1]!)
  if (!Object.keys(goals).length) delete p.goals
}

/**
 * The profile as it is at `at`, before the event being applied: `earlier` are the batch's events
 * before it (their interests are not yet scored), `events` the visitor's events counted so far.
 */
function beforeGoal(p: Profile, earlier: ProfileEvent[], events: number, at: number): BeforeGoal {
  const interests = earlier.length ? scoreAt(p.interests, earlier, at) : p.interests
  const top = Object.entries(interests.scores)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, 10)
  const b: BeforeGoal = {
    sessions: p.sessions,
    pageviews: p.pageviews,
    events,
    at,
    interests: { at: interests.at, scores: Object.fromEntries(top) },
    friction: { ...p.friction },
    funnels: Object.fromEntries(Object.entries(p.funnels).map(([id, f]) => [id, f.i])),
  }
  if (p.nps) b.nps = p.nps
  return b
}

const str = (x: Json | undefined, max = 200) => (typeof x === 'string' ? x.slice(0, max) : undefined)

/** The part of an event the profile reads. */
export function profileEvent(e: {
  id: string
  type: string
  name?: string
  ts: number
  url?: string
  props?: { [key: string]: Json }
  flags: number
}): ProfileEvent {
  const out: ProfileEvent = { id: e.id, type: e.type, ts: e.ts, topics: topicsOf(e), flags: e.flags }
  if (e.name !== undefined) out.name = e.name
  const p = e.props
  switch (e.type) {
    case 'identify':
      out.traits = p ?? null
      break
    case 'pageview':
      if (e.url) out.url = e.url.slice(0, 1000)
      if (str(p?.ref)) out.ref = str(p?.ref, 500)
      break
    case 'step':
      if (str(p?.step)) out.step = str(p?.step)
      break
    case 'survey_answer':
      if (str(p?.kind)) out.kind = str(p?.kind, 20)
      if (typeof p?.score === 'number') out.score = p.score
      break
    case 'slot_shown':
      if (str(p?.slot)) out.slot = str(p?.slot, 64)
      out.variant = str(p?.variant, 64) ?? ''
      if (str(p?.exp)) out.exp = str(p?.exp, 64)
      break
    case 'form_abandon':
    case 'form_submit':
      if (e.url) out.url = e.url.slice(0, 300)
      if (str(p?.form)) out.form = str(p?.form, 100)
      break
  }
  return out
}
