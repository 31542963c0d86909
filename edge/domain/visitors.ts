/**
 * @module visitors: who a visitor is and what they care about, as the team reads it. Pure.
 * `ciel('identify', userId, traits)` links the visitor to the site's own user id; a visitor
 * keeps the last one it was identified as.
 */
import type { Json, WireEvent } from '../../snippet/core/wire'
import { score, type InterestState } from './interests'

export interface Identity {
  userId: string
  traits: { [key: string]: Json } | null
}

/** The user the batch identifies its visitor as: its last `identify` event, if any. */
export function identity(events: WireEvent[]): Identity | null {
  let last: WireEvent | undefined
  for (const e of events) if (e.type === 'identify' && e.name && (!last || e.ts >= last.ts)) last = e
  return last ? { userId: last.name!, traits: last.props ?? null } : null
}

/** The visitor's strongest interests now (decayed to `now`), strongest first. */
export function topInterests(state: InterestState | null, now: number, n = 5): { topic: string; score: number }[] {
  if (!state) return []
  return Object.entries(score(state, [], now).scores)
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([topic, s]) => ({ topic, score: Math.round(s * 100) / 100 }))
}
