/**
 * @module sample-size: how many visitors per arm a test needs to detect a difference between
 * two conversion rates. Pure.
 *
 * The fixed-horizon answer is the textbook one (Fleiss; R's `power.prop.test`): look once, at
 * the end. ciel's intervals may be looked at any time (lift.ts), which costs visitors: with
 * `taus` given, the answer is for the always-valid test instead, whose critical value is the
 * normal-mixture boundary of Johari, Pekelis & Walsh ("Always valid inference", 2017; here a
 * mixture of several spreads) rather than z₁₋α/₂. Both use the normal approximation of the difference in rates.
 */
import { normalQuantile } from './normal'

export interface Power {
  /** Two-sided level (default 0.05). */
  alpha?: number
  /** Chance to detect the difference when it is real (default 0.8). */
  power?: number
  /** The always-valid test's mixture spreads on the log rate ratio (lift.ts TAUS); none: fixed horizon. */
  taus?: number[]
}

/**
 * The always-valid test's critical |difference| at variance v: where the mixture of normal
 * likelihood ratios, Σ √(v/(v+t²)) exp(d² t² / (2v(v+t²))) / k, reaches 1/α.
 */
function mixtureBoundary(v: number, spreads: number[], alpha: number): number {
  const m = (d: number) =>
    spreads.reduce((a, t2) => a + Math.sqrt(v / (v + t2)) * Math.exp((d * d * t2) / (2 * v * (v + t2))), 0) /
    spreads.length
  let hi = Math.sqrt(v)
  while (m(hi) < 1 / alpha) hi *= 2
  let lo = 0
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2
    if (m(mid) < 1 / alpha) lo = mid
    else hi = mid
  }
  return hi
}

/** Visitors per arm to tell rate `p2` from `p1` (rounded up); Infinity when they are equal. */
export function visitorsPerArm(p1: number, p2: number, { alpha = 0.05, power = 0.8, taus }: Power = {}): number {
  const d = Math.abs(p2 - p1)
  if (!(d > 0)) return Infinity
  const mean = (p1 + p2) / 2
  const null1 = 2 * mean * (1 - mean)
  const alt1 = p1 * (1 - p1) + p2 * (1 - p2)
  const zb = normalQuantile(power)
  // The mixture's spreads on the difference: taus are on the log ratio, and d ≈ mean · log ratio.
  const spreads = (taus ?? []).map((t) => (t * mean) ** 2)
  const critical = (v: number) =>
    taus === undefined ? normalQuantile(1 - alpha / 2) * Math.sqrt(v) : mixtureBoundary(v, spreads, alpha)
  const enough = (n: number) => d - zb * Math.sqrt(alt1 / n) >= critical(null1 / n)
  // The condition holds from some n on: double, then halve the gap.
  let hi = 2
  while (!enough(hi)) hi *= 2
  let lo = hi / 2
  while (hi - lo > 0.01) {
    const mid = (lo + hi) / 2
    if (enough(mid)) hi = mid
    else lo = mid
  }
  return Math.ceil(hi)
}
