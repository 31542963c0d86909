/**
 * @module visitors: what a visitor cares about, as the team reads it. Pure.
 * (Who they are, `ciel('identify', …)`, is kept by their profile: profile.ts.)
 */
import { score, type InterestState } from './interests'

/** The visitor's strongest interests now (decayed to `now`), strongest first. */
export function topInterests(state: InterestState | null, now: number, n = 5): { topic: string; score: number }[] {
  if (!state) return []
  return Object.entries(score(state, [], now).scores)
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([topic, s]) => ({ topic, score: Math.round(s * 100) / 100 }))
}
