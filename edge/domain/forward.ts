/**
 * @module forward: prediction that looks forward. Pure. A model learns from visitors as they
 * were at a cutoff date and what they did in the `horizonDays` after it, and is measured the same
 * way on a later cutoff it never saw:
 *
 * - Features: the visitor's profile rebuilt from their events before the cutoff only (the
 *   worker's own profile code, domain/profile.ts, on event time), read as of the cutoff
 *   (domain/propensity.ts). Nothing that happened at or after the cutoff reaches a feature.
 * - Conversion label: reached the funnel's goal within `horizonDays` after the cutoff. Only
 *   visitors seen in the `ACTIVE_DAYS` before the cutoff who had not reached it by then count.
 * - Churn label: a returning visitor (two sessions or more) or an identified user, seen in the
 *   `ACTIVE_DAYS` before the cutoff, sends nothing in the `horizonDays` after it.
 * - Time split: trained at `TRAINING_CUTOFFS` cutoffs, `horizonDays` apart, the last one
 *   `horizonDays` before the holdout cutoff, so no training label looks past the holdout cutoff;
 *   measured on the holdout cutoff: AUC, the same AUC of one feature alone (the baselines a
 *   sceptic would try first), reliability in 10 bins and the Brier score.
 *
 * The model that scores today's visitors is the one measured (trained at the earlier cutoffs).
 */
import type { Json } from '../../snippet/contract/wire'
import { applyEvents, hash01, profileEvent, type Profile, type ProfileSpec } from './profile'
import { FLAG } from './flags'
import { auc, calibration, fitLogistic, sigmoid, type Calibration } from './logistic'
import {
  converted,
  extractors,
  linear,
  viewAt,
  type FunnelSteps,
  type LinearModel,
  type PropensityModel,
  type View,
} from './propensity'

const DAY = 86_400_000
/** Days after a cutoff the labels look (a chance "within 14 days"), unless asked otherwise. */
export const HORIZON_DAYS = 14
/** Cutoffs trained at, before the holdout's. */
export const TRAINING_CUTOFFS = 4
/** A visitor counts at a cutoff when seen in the days before it (others are long gone). */
export const ACTIVE_DAYS = 30
/** Fewer positives or negatives than this at the training cutoffs: no model (its scores would be noise). */
export const MIN_PER_CLASS = 50
/** Fewer than this of either at the holdout cutoff: the model cannot be measured, so none is used. */
export const MIN_HOLDOUT_PER_CLASS = 10
/** Training rows kept at most (a deterministic sample by visitor and cutoff beyond): bounded work. */
const MAX_ROWS = 20_000
/** An AUC this high on a forward test is more likely a leak than foresight. */
export const LEAK_AUC = 0.98

/** When a training run looks: its holdout cutoff, the training cutoffs before it, and the horizon. */
export interface Plan {
  horizonDays: number
  /** The holdout cutoff (ms): the models are measured on visitors as they were then. */
  cutoff: number
  /** The training cutoffs, earliest first, `horizonDays` apart; the last is `horizonDays` before `cutoff`. */
  train: number[]
}

/** The plan of a run at `now`: by default the holdout cutoff is the UTC day `horizonDays` before today. */
export function planFor(now: number, horizonDays = HORIZON_DAYS, cutoff?: number): Plan {
  const c = cutoff ?? Math.floor(now / DAY) * DAY - horizonDays * DAY
  const h = horizonDays * DAY
  return {
    horizonDays,
    cutoff: c,
    train: Array.from({ length: TRAINING_CUTOFFS }, (_, k) => c - (TRAINING_CUTOFFS - k) * h),
  }
}

/** The moments a visitor is read at: each cutoff, then the end of the holdout's horizon. */
const momentsOf = (plan: Plan) => [...plan.train, plan.cutoff, plan.cutoff + plan.horizonDays * DAY]

/** Visitors last seen before this never count (their events need not be read). */
export const earliestOf = (plan: Plan) => plan.train[0]! - ACTIVE_DAYS * DAY
/** Events from here on are never read. */
export const endOf = (plan: Plan) => plan.cutoff + plan.horizonDays * DAY

/** A stored event as training reads it (a row of D1's events, props parsed). */
export interface HistoryEvent {
  id: string
  session: string
  type: string
  name?: string | null
  ts: number
  url?: string | null
  props?: { [key: string]: Json } | null
  flags: number
}

/** What a visitor was at one moment. */
interface State {
  view: View
  /** Funnels whose goal they had reached. */
  done: string[]
  lastSeen: number
  /** Returning (two sessions or more) or identified: who churn is about. */
  regular: boolean
  bot: boolean
}

/** One visitor read at each of a plan's moments (null before their first event). */
export interface Timeline {
  id: string
  states: (State | null)[]
}

const deviceOfFlags = (flags: number) => (flags & FLAG.tablet ? 'tablet' : flags & FLAG.mobile ? 'mobile' : 'desktop')

function stateOf(p: Profile, at: number, funnels: FunnelSteps[]): State {
  return {
    view: viewAt(p, at),
    done: funnels.filter((f) => converted(p, { id: f.id, steps: f.steps.length })).map((f) => f.id),
    lastSeen: p.lastSeen,
    regular: p.sessions > 1 || !!p.user,
    bot: !!p.bot,
  }
}

/** Applies the sorted events from `i` on that happened before `until`; the index it stopped at. */
function applyUntil(
  p: Profile | null,
  sorted: HistoryEvent[],
  i: number,
  until: number,
  id: string,
  spec: ProfileSpec,
): [Profile | null, number] {
  while (i < sorted.length && sorted[i]!.ts < until) {
    // A run of events of one session is one batch, as the visitor's shard got them.
    const session = sorted[i]!.session
    let j = i
    while (j < sorted.length && sorted[j]!.ts < until && sorted[j]!.session === session) j++
    const run = sorted.slice(i, j)
    const batch = run.map((e) =>
      profileEvent({ ...e, name: e.name ?? undefined, url: e.url ?? undefined, props: e.props ?? undefined }),
    )
    p = applyEvents(p, batch, session, run[0]!.ts, spec, { device: deviceOfFlags(run[0]!.flags) }, id)
    i = j
  }
  return [p, i]
}

const byTime = (events: HistoryEvent[]) =>
  [...events].sort((a, b) => a.ts - b.ts || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))

/** A visitor's profile rebuilt from their events before `until` (null before the first). */
export function profileFrom(id: string, events: HistoryEvent[], funnels: FunnelSteps[], until = Infinity) {
  return applyUntil(null, byTime(events), 0, until, id, { funnels })[0]
}

/**
 * A visitor's profile at each of the plan's moments, rebuilt from their events as the visitor's
 * shard builds it, each moment from the events before it only.
 */
export function timelineOf(id: string, events: HistoryEvent[], plan: Plan, funnels: FunnelSteps[]): Timeline {
  const spec: ProfileSpec = { funnels }
  const sorted = byTime(events)
  const states: (State | null)[] = []
  let p: Profile | null = null
  let i = 0
  for (const m of momentsOf(plan)) {
    ;[p, i] = applyUntil(p, sorted, i, m, id, spec)
    states.push(p && stateOf(p, m, funnels))
  }
  return { id, states }
}

/** A visitor at one cutoff (`k`: the cutoff's index among the plan's moments) and its label. */
interface Row {
  id: string
  k: number
  view: View
  y: number
}

/** What a training run came to: a measured model, or why there is none. */
export interface Training<M extends LinearModel = LinearModel> {
  horizonDays: number
  /** The holdout cutoff, and the cutoffs trained at. */
  cutoff: number
  trainCutoffs: number[]
  /** Rows learnt from (a visitor counts once per training cutoff), positives and negatives. */
  n: number
  positives: number
  negatives: number
  /** Visitors at the holdout cutoff, and how many of them turned out positive. */
  holdout: number
  holdoutPositives: number
  /** The model's AUC at the holdout cutoff (null when there is no model). */
  auc: number | null
  /** The AUC of each baseline (one feature alone, fitted the same way) at the holdout cutoff. */
  baselines: { [name: string]: number | null }
  calibration: Calibration | null
  /** Set when the AUC is at least LEAK_AUC. */
  warning: string | null
  model: M | null
  /** Why there is no model, for the team to read. */
  reason?: string
}

/** A funnel's training run: the chance of reaching its goal. */
export interface GoalTraining extends Training<PropensityModel> {
  funnel: string
  goal: string
}

const round = (x: number) => Math.round(x * 1e6) / 1e6
const dayOf = (t: number) => new Date(t).toISOString().slice(0, 10)

/** How a run's outcome is said: what a positive and a negative are. */
interface Words {
  positive: string
  negative: string
}

/**
 * Why there is no model, as data (the API's `messageFacts`; its `message` says it in English):
 * never trained; trained before forward tests; the funnel's goal changed since; a funnel of one
 * step; or too few positives or negatives (`min` of each) at the training cutoffs (`from` to
 * `to`) or at the holdout cutoff. Times in ms.
 */
export type NoModel =
  | { kind: 'untrained' }
  | { kind: 'untested' }
  | { kind: 'goalChanged'; goal: string }
  | { kind: 'tooFewSteps' }
  | { kind: 'tooLittleToTrain'; from: number; to: number; positives: number; negatives: number; min: number }
  | { kind: 'tooLittleToMeasure'; cutoff: number; positives: number; negatives: number; min: number }

/** Whether a run's counts are too few to learn from or to measure on (what `fit` decides on), or null. */
export function tooLittle(
  t: Pick<Training, 'trainCutoffs' | 'cutoff' | 'positives' | 'negatives' | 'holdout' | 'holdoutPositives'>,
): Extract<NoModel, { kind: 'tooLittleToTrain' | 'tooLittleToMeasure' }> | null {
  if (t.positives < MIN_PER_CLASS || t.negatives < MIN_PER_CLASS)
    return {
      kind: 'tooLittleToTrain',
      from: t.trainCutoffs[0]!,
      to: t.trainCutoffs[t.trainCutoffs.length - 1]!,
      positives: t.positives,
      negatives: t.negatives,
      min: MIN_PER_CLASS,
    }
  const negatives = t.holdout - t.holdoutPositives
  if (t.holdoutPositives < MIN_HOLDOUT_PER_CLASS || negatives < MIN_HOLDOUT_PER_CLASS)
    return {
      kind: 'tooLittleToMeasure',
      cutoff: t.cutoff,
      positives: t.holdoutPositives,
      negatives,
      min: MIN_HOLDOUT_PER_CLASS,
    }
  return null
}

/** Trains on the rows before the holdout cutoff and measures at it. */
function fit(
  rows: Row[],
  plan: Plan,
  funnels: FunnelSteps[],
  baselines: { [name: string]: (v: View) => number },
  words: Words,
): Training {
  const K = plan.train.length
  const all = rows.filter((r) => r.k < K)
  const test = rows.filter((r) => r.k === K)
  const positives = all.filter((r) => r.y).length
  const holdoutPositives = test.filter((r) => r.y).length
  const base: Training = {
    horizonDays: plan.horizonDays,
    cutoff: plan.cutoff,
    trainCutoffs: plan.train,
    n: all.length,
    positives,
    negatives: all.length - positives,
    holdout: test.length,
    holdoutPositives,
    auc: null,
    baselines: Object.fromEntries(Object.keys(baselines).map((b) => [b, null])),
    calibration: null,
    warning: null,
    model: null,
  }
  const within = `within ${plan.horizonDays} days`
  const little = tooLittle(base)
  if (little?.kind === 'tooLittleToTrain')
    return {
      ...base,
      reason:
        `Too little data: at the training cutoffs (${dayOf(little.from)} to ${dayOf(little.to)}) ` +
        `${little.positives} ${words.positive} ${within} and ${little.negatives} ${words.negative}; ` +
        `a model needs at least ${little.min} of each.`,
    }
  if (little)
    return {
      ...base,
      reason:
        `Too little data to measure: at the holdout cutoff (${dayOf(little.cutoff)}) ` +
        `${little.positives} ${words.positive} ${within} and ${little.negatives} ${words.negative}; ` +
        `measuring needs at least ${little.min} of each.`,
    }
  // Deterministic sample beyond MAX_ROWS (by visitor and cutoff): the same rows give the same model.
  const train =
    all.length > MAX_ROWS ? all.filter((r) => hash01(r.id, String(r.k), 'rows') < MAX_ROWS / all.length) : all
  const fx = extractors(
    train.map((r) => r.view),
    funnels.map((f) => ({ id: f.id, steps: f.steps.length })),
  )
  const raw = (v: View) => fx.map(([, f]) => f(v))
  const xs = train.map((r) => raw(r.view))
  const ys = train.map((r) => r.y)
  const means = fx.map((_, j) => xs.reduce((s, r) => s + r[j]!, 0) / xs.length)
  const scales = fx.map((_, j) => {
    const sd = Math.sqrt(xs.reduce((s, r) => s + (r[j]! - means[j]!) ** 2, 0) / xs.length)
    return sd > 1e-9 ? sd : 1
  })
  const z = (r: number[]) => r.map((x, j) => (x - means[j]!) / scales[j]!)
  const w = fitLogistic(xs.map(z), ys)
  const model: LinearModel = {
    features: fx.map(([name]) => name),
    means: means.map(round),
    scales: scales.map(round),
    weights: w.slice(0, -1).map(round),
    intercept: round(w[w.length - 1]!),
    funnels: funnels.map((f) => ({ id: f.id, steps: f.steps.length })),
    horizonDays: plan.horizonDays,
  }
  const testRaw = test.map((r) => raw(r.view))
  const labels = test.map((r) => r.y)
  const chances = testRaw.map((x) => sigmoid(linear(model, x)))
  const a = auc(chances, labels)
  // Each baseline: one number alone, fitted as the model is (so its direction is learnt too).
  const measured = Object.fromEntries(
    Object.entries(baselines).map(([name, read]) => {
      const x = train.map((r) => read(r.view))
      const mean = x.reduce((s, a) => s + a, 0) / x.length
      const sd = Math.sqrt(x.reduce((s, a) => s + (a - mean) ** 2, 0) / x.length) || 1
      const [bw] = fitLogistic(
        x.map((a) => [(a - mean) / sd]),
        ys,
      )
      const b = auc(
        test.map((r) => bw! * read(r.view)),
        labels,
      )
      return [name, b === null ? null : round(b)]
    }),
  )
  return {
    ...base,
    auc: a === null ? null : round(a),
    baselines: measured,
    calibration: calibration(chances, labels, positives / all.length),
    warning:
      a !== null && a >= LEAK_AUC
        ? `AUC ${a.toFixed(3)} at the holdout cutoff is at least ${LEAK_AUC}: check for leakage (a feature that is only known once the outcome has happened).`
        : null,
    model,
  }
}

/** The visits baseline: sessions so far. */
const visits = (v: View) => v.sessions

/** The rows at each cutoff, labelled by what the visitor was at the end of its horizon. */
function rowsOf(
  timelines: Timeline[],
  plan: Plan,
  keep: (s: State) => boolean,
  label: (s: State, next: State, cutoff: number) => boolean,
): Row[] {
  const moments = momentsOf(plan)
  const rows: Row[] = []
  for (const t of timelines)
    for (let k = 0; k <= plan.train.length; k++) {
      const s = t.states[k]
      const next = t.states[k + 1]
      const c = moments[k]!
      if (!s || !next || s.bot || s.lastSeen < c - ACTIVE_DAYS * DAY || !keep(s)) continue
      rows.push({ id: t.id, k, view: s.view, y: label(s, next, c) ? 1 : 0 })
    }
  return rows
}

/**
 * A funnel's model: the chance that a visitor who has not reached its goal by a cutoff reaches
 * it within `horizonDays`. Baselines: the funnel's current step alone; sessions alone.
 */
export function trainGoal(timelines: Timeline[], plan: Plan, funnel: FunnelSteps, all: FunnelSteps[]): GoalTraining {
  const goal = funnel.steps[funnel.steps.length - 1] ?? ''
  const rows = rowsOf(
    timelines,
    plan,
    (s) => !s.done.includes(funnel.id),
    (_, next) => next.done.includes(funnel.id),
  )
  const t =
    funnel.steps.length < 2
      ? {
          ...fit([], plan, all, {}, { positive: '', negative: '' }),
          reason: `funnel '${funnel.id}' needs at least two steps`,
        }
      : fit(
          rows,
          plan,
          all,
          { step: (v) => v.funnels[funnel.id] ?? -1, visits },
          {
            positive: `visitors reached '${goal}'`,
            negative: 'did not',
          },
        )
  return { ...t, funnel: funnel.id, goal, model: t.model && { ...t.model, funnel: funnel.id, goal } }
}

/**
 * Churn: the chance that a returning visitor or identified user seen lately sends nothing within
 * `horizonDays` after the cutoff. Baselines: days since last seen alone; sessions alone.
 */
export function trainChurn(timelines: Timeline[], plan: Plan, funnels: FunnelSteps[]): Training {
  const rows = rowsOf(
    timelines,
    plan,
    (s) => s.regular,
    (_, next, cutoff) => next.lastSeen < cutoff,
  )
  return fit(
    rows,
    plan,
    funnels,
    { recency: (v) => v.at - v.lastSeen, visits },
    {
      positive: 'returning visitors did not come back',
      negative: 'did',
    },
  )
}
