/**
 * @module funnel-steps: what event a funnel step is, and the ordered cohort of a funnel. Pure.
 * A visitor reaches step k when they did steps 1..k in that order, each within the funnel's
 * window from their step 1 (which must fall in the period). Of a visitor's step-1 events, the
 * one that gets furthest counts (the first of those on a tie).
 */
import type { FunnelConfig } from '../../snippet/contract/wire'
import { pathMatches } from './paths'

/** What event a step is. */
export type StepRule =
  { kind: 'step'; funnel: string; step: string } | { kind: 'page'; pattern: string } | { kind: 'track'; name: string }

/**
 * A visitor's events that are steps of a funnel, in time order: each one's time and the steps
 * it is (bit k: step k). Two arrays, not an object per event: a funnel follows every starter's.
 */
export interface Hits {
  ts: Float64Array
  mask: Float64Array
}

type Step = FunnelConfig['steps'][number]

/** The rule of a saved funnel's step: a `step` event of `funnel` with its id unless it names another. */
export function ruleOf(funnel: string, s: Step): StepRule {
  if (s.page !== undefined) return { kind: 'page', pattern: s.page }
  if (s.track !== undefined) return { kind: 'track', name: s.track }
  if (s.step !== undefined) {
    const at = s.step.indexOf('/')
    return { kind: 'step', funnel: s.step.slice(0, at), step: s.step.slice(at + 1) }
  }
  return { kind: 'step', funnel, step: s.id }
}

/** A rule as the ad hoc syntax writes it: `page:/pricing`, `track:signup`, `step:onboarding/done`. */
export const ruleText = (r: StepRule) =>
  r.kind === 'page' ? `page:${r.pattern}` : r.kind === 'track' ? `track:${r.name}` : `step:${r.funnel}/${r.step}`

const KINDS = 'page, track or step'

/**
 * The steps of an ad hoc funnel, `kind:value` separated by commas (`page:/pricing,track:signup_started,
 * step:onboarding/done`), as a saved funnel's steps; or the problem with them.
 */
export function adHocSteps(text: string): { steps: Step[] } | { problem: string } {
  const parts = text.split(',').map((p) => p.trim())
  if (parts.length < 2) return { problem: 'steps must list at least two steps, like page:/pricing,track:signup' }
  if (parts.length > 20) return { problem: 'steps may list at most 20 steps' }
  const steps: Step[] = []
  for (const p of parts) {
    const at = p.indexOf(':')
    const kind = at < 0 ? p : p.slice(0, at)
    const value = at < 0 ? '' : p.slice(at + 1)
    if (!['page', 'track', 'step'].includes(kind))
      return { problem: `steps: '${p}' has an unknown kind '${kind}' (use ${KINDS}, as kind:value)` }
    if (!value || value.length > 200)
      return { problem: `steps: '${p}' needs a value of 1-200 characters after '${kind}:'` }
    if (kind === 'page' && !/^\/\S*$/.test(value))
      return { problem: `steps: '${p}' must name a path starting with /, like page:/pricing` }
    if (kind === 'step' && !/^[\w-]{1,64}\/.+$/.test(value))
      return { problem: `steps: '${p}' must name funnel/step, like step:onboarding/done` }
    if (steps.some((s) => s.id === p)) return { problem: `steps: '${p}' is listed twice` }
    steps.push({ id: p, [kind]: value })
  }
  return { steps }
}

/** One visitor's way through a funnel: steps reached and when. */
export interface Path {
  visitor: string
  /** When each reached step was done (ms), in order: its length is the steps reached. */
  times: number[]
}

/** Whether mask `m` has step `k` (masks outgrow 32 bits: up to 50 steps). */
const has = (m: number, k: number) => Math.floor(m / 2 ** k) % 2 === 1

/**
 * The keys of the events a rule can be, as the rollups key them (store/rollup-tables.ts,
 * roll_hits: `page:` and a raw path, `track:` and a name, `step:` and funnel/step): one key, or
 * for a page pattern every key starting with its literal start (a superset: matchesKey decides).
 */
export function keysOf(r: StepRule): { key: string } | { prefix: string } {
  if (r.kind !== 'page') return { key: ruleText(r) }
  const at = r.pattern.search(/\/(:|\*)/)
  return at < 0 ? { key: `page:${r.pattern}` } : { prefix: `page:${r.pattern.slice(0, at)}` }
}

/** Whether the events of a rollup key are of rule `r`. */
export function matchesKey(r: StepRule, key: string): boolean {
  if (r.kind !== 'page') return key === ruleText(r)
  return key.startsWith('page:') && pathMatches(r.pattern, key.slice(5))
}

/** The steps (bit k: step k) whose rule the events of a rollup key are of. */
export const maskOf = (rules: StepRule[], key: string) =>
  rules.reduce((m, r, k) => (matchesKey(r, key) ? m + 2 ** k : m), 0)

/** The lowest step of a mask (hits at the same millisecond are taken in step order). */
const lowest = (m: number) => {
  let k = 0
  while (k < 64 && !has(m, k)) k++
  return k
}

/**
 * Hits a and b compared: by time; at the same millisecond, the lower step first, then the
 * smaller mask (an order that does not depend on the order the rows were read in).
 */
const before = (list: Hits, a: number, b: number) =>
  list.ts[a]! - list.ts[b]! || lowest(list.mask[a]!) - lowest(list.mask[b]!) || list.mask[a]! - list.mask[b]!

/** Above this many hits, a visitor's are sorted rather than each inserted in place. */
const INSERTED = 64

/** Puts a visitor's hits (as read: each row's times ascending) in time order, in place. */
export function orderHits(list: Hits): Hits {
  const { ts, mask } = list
  const n = ts.length
  if (n > INSERTED) {
    const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => before(list, a, b))
    const t = order.map((i) => ts[i]!)
    const m = order.map((i) => mask[i]!)
    for (let i = 0; i < n; i++) {
      ts[i] = t[i]!
      mask[i] = m[i]!
    }
    return list
  }
  // Few hits (most visitors), nearly in order already: each inserted in place.
  for (let i = 1; i < n; i++) {
    const t = ts[i]!
    const m = mask[i]!
    let k = i
    while (k > 0 && before(list, k - 1, i) > 0) k--
    if (k === i) continue
    for (let j = i; j > k; j--) {
      ts[j] = ts[j - 1]!
      mask[j] = mask[j - 1]!
    }
    ts[k] = t
    mask[k] = m
  }
  return list
}

/** next[k * (n + 1) + i]: the first hit from i on that is step k (n: none); grown as needed. */
let next = new Int32Array(1024)

/**
 * A visitor's ordered path through `rules`: when each step reached was done, from their hits in
 * time order (hitsOf). `windowMs`: how long after step 1 the later steps count.
 */
export function orderedPath(rules: StepRule[], list: Hits, windowMs: number): number[] {
  const n = list.ts.length
  const K = rules.length
  const w = n + 1
  if (next.length < K * w) next = new Int32Array(K * w * 2)
  // Each start is then followed through the steps in one look per step, however many hits lie
  // between (a visitor with thousands of views of a step-1 page stays linear).
  for (let k = 0; k < K; k++) {
    next[k * w + n] = n
    for (let i = n - 1; i >= 0; i--) next[k * w + i] = has(list.mask[i]!, k) ? i : next[k * w + i + 1]!
  }
  let best: number[] = []
  for (let i = next[0]!; i < n && best.length < K; i = next[i + 1]!) {
    const start = list.ts[i]!
    const times = [start]
    let j = i
    let cut = false
    for (let k = 1; k < K; k++) {
      const m = next[k * w + j + 1]!
      if (m >= n) break
      if (list.ts[m]! > start + windowMs) {
        cut = true
        break
      }
      times.push(list.ts[m]!)
      j = m
    }
    if (times.length > best.length) best = times
    // A later start reaches each step no earlier: only the window can let it get further.
    if (!cut) break
  }
  return best
}

/** Each visitor's ordered path from their hits (those who reached no step left out). */
export function orderedPaths(rules: StepRule[], visitors: { visitor: string; hits: Hits }[], windowMs: number): Path[] {
  return visitors.flatMap((v) => {
    const times = orderedPath(rules, orderHits(v.hits), windowMs)
    return times.length ? [{ visitor: v.visitor, times }] : []
  })
}

/**
 * Visitors who did step 1 and no step 2 after it, counted apart (store/insights/ordered.ts):
 * how many, and the latest of them to start (their first step 1).
 */
export interface FirstOnly {
  visitors: number
  latest: { visitor: string; ts: number }[]
}

/**
 * Per step but the last: who stopped there (reached it, not the next), the latest to stop first,
 * `n` at most; `first` stopped at step 1 too.
 */
export function stoppedAt(
  paths: Path[],
  steps: number,
  n: number,
  first: FirstOnly['latest'] = [],
): { visitor: string; ts: number }[][] {
  return Array.from({ length: steps }, (_, k) =>
    k === steps - 1
      ? []
      : paths
          .filter((p) => p.times.length === k + 1)
          .map((p) => ({ visitor: p.visitor, ts: p.times[k]! }))
          .concat(k === 0 ? first : [])
          .sort((a, b) => b.ts - a.ts || (a.visitor < b.visitor ? -1 : 1))
          .slice(0, n),
  )
}

/**
 * Who reached step k (from 0) of an ordered funnel, the latest to reach it first: the paths that
 * got that far, and for step 1 also those counted apart as reaching step 1 only (`first`, all of
 * them). The same visitors orderedSteps counts.
 */
export function reachedStep(
  paths: Path[],
  k: number,
  first: FirstOnly['latest'] = [],
): { visitor: string; ts: number }[] {
  return paths
    .filter((p) => p.times.length > k)
    .map((p) => ({ visitor: p.visitor, ts: p.times[k]! }))
    .concat(k === 0 ? first : [])
    .sort((a, b) => b.ts - a.ts || (a.visitor < b.visitor ? -1 : 1))
}

/** Median and 90th percentile (nearest rank) of seconds, or null for none. */
export function spread(seconds: number[]): { median: number; p90: number } | null {
  if (!seconds.length) return null
  const s = [...seconds].sort((a, b) => a - b)
  const rank = (p: number) => s[Math.max(0, Math.ceil(s.length * p) - 1)]!
  return { median: rank(0.5), p90: rank(0.9) }
}

export interface OrderedStep {
  visitors: number
  /** Seconds from the previous step, over those who reached this one (null for the first step). */
  fromPrevious: { median: number; p90: number } | null
}

/** Visitors per step and the time between consecutive steps (`first`: more who did step 1 only). */
export function orderedSteps(paths: Path[], steps: number, first = 0): OrderedStep[] {
  return Array.from({ length: steps }, (_, k) => {
    const reached = paths.filter((p) => p.times.length > k)
    return {
      visitors: reached.length + (k === 0 ? first : 0),
      fromPrevious: k === 0 ? null : spread(reached.map((p) => Math.round((p.times[k]! - p.times[k - 1]!) / 1000))),
    }
  })
}

/** The most frequent of labels, at most `n`, with how many had each (on a tie, the first seen). */
export function topOf(labels: (string | null)[], n = 5): { event: string | null; visitors: number }[] {
  const counts = new Map<string | null, number>()
  for (const l of labels) counts.set(l, (counts.get(l) ?? 0) + 1)
  return [...counts]
    .map(([event, visitors]) => ({ event, visitors }))
    .sort((a, b) => b.visitors - a.visitors)
    .slice(0, n)
}
