/**
 * @module interests: a visitor's interest in each topic, from the events they produce. Pure.
 * Scores decay with a half-life (old interest fades), and stronger signals weigh more: a
 * click or a custom event says more than a pageview. Only events stored for the first time
 * are scored, so a retried batch never inflates them.
 */
import type { SiteConfig, WireEvent } from '../../snippet/contract/wire'

export interface InterestState {
  /** When the scores were last brought up to date (ms since epoch). */
  at: number
  /** topic → score */
  scores: { [topic: string]: number }
}

export const HALF_LIFE_MS = 7 * 24 * 3600 * 1000
const WEIGHT: { [type: string]: number } = { pageview: 1, click: 2, track: 3, step: 2, page_leave: 0 }
const MAX_TOPICS = 50

/** Topics an event carries: props.topics (strings), lower-cased. */
export function topicsOf(e: Pick<WireEvent, 'props'>): string[] {
  const t = e.props?.topics
  return Array.isArray(t)
    ? t.filter((x): x is string => typeof x === 'string' && !!x).map((x) => x.toLowerCase().slice(0, 40))
    : []
}

/** Decays the scores to `now` and adds the events' weights (as if they happened at `now`). */
export function score(
  state: InterestState | null,
  events: Pick<WireEvent, 'type' | 'props'>[],
  now: number,
): InterestState {
  return scoreAt(
    state,
    events.map((e) => ({ type: e.type, topics: topicsOf(e), ts: now })),
    now,
  )
}

/**
 * Adds events, each decayed from its own time: the scores are as of the latest event seen
 * (`at` never moves back), so a late or replayed-out-of-order event weighs what it would have
 * weighed on time, and the same events give the same scores whatever their arrival order.
 * @param now the time to decay to when it is later than every event (otherwise ignored)
 */
export function scoreAt(
  state: InterestState | null,
  events: { type: string; topics: string[]; ts: number }[],
  now = -Infinity,
): InterestState {
  let at = Math.max(state?.at ?? -Infinity, now)
  for (const e of events) at = Math.max(at, e.ts)
  if (!Number.isFinite(at)) return state ?? { at: 0, scores: {} }
  const decay = (from: number) => 0.5 ** (Math.max(0, at - from) / HALF_LIFE_MS)
  const scores: { [topic: string]: number } = {}
  if (state) {
    const d = decay(state.at)
    for (const [k, v] of Object.entries(state.scores)) scores[k] = v * d
  }
  for (const e of events) {
    const w = WEIGHT[e.type] ?? 1
    if (!w) continue
    for (const t of e.topics) scores[t] = (scores[t] ?? 0) + w * decay(e.ts)
  }
  // Keep the strongest topics only: a bounded row per visitor.
  const kept = Object.entries(scores)
    .filter(([, v]) => v >= 0.01)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, MAX_TOPICS)
    .map(([k, v]) => [k, Math.round(v * 1000) / 1000] as const)
  return { at, scores: Object.fromEntries(kept) }
}

/** A page's topics from the config's URL path prefixes (what the snippet adds from the page itself is not known here). */
export function pathTopics(config: SiteConfig, url: string): string[] {
  let path: string
  try {
    path = new URL(url).pathname
  } catch {
    return []
  }
  const out = new Set<string>()
  for (const [prefix, topics] of Object.entries(config.capture?.topics ?? {}))
    if (path.startsWith(prefix)) for (const t of topics) out.add(t.toLowerCase())
  return [...out].slice(0, 10)
}
