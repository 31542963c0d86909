/**
 * @module experiments: who sees which variant of a slot's experiment, and what the results
 * say. Pure; randomness comes from seeded generators, so tests and simulations repeat.
 *
 * Assignment is sticky: a fixed split is a hash of (visitor, slot, experiment); a Thompson draw
 * is seeded by (visitor, experiment) and the results it samples from, and the visitor's first
 * exposure pins it in their profile (domain/profile.ts) for every later page and tab.
 */
import type { ExperimentConfig } from '../../snippet/contract/wire'
import { hash01, inHoldout } from './profile'

/** Exposed visitors and conversions of one arm ('' is the default content). */
export interface ArmStats {
  variant: string
  exposed: number
  conversions: number
}

/** The arms an experiment splits visitors between, default content first when it is one. */
export const armsOf = (x: ExperimentConfig) => [...(x.control === false ? [] : ['']), ...x.variants]

/** mulberry32: a small, fast, seedable generator of [0, 1). */
export function rng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function normal(r: () => number): number {
  // Box-Muller; 1 - r() keeps log away from 0.
  return Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r())
}

/** Gamma(shape, 1) by Marsaglia and Tsang (shape < 1 boosted). */
function gamma(shape: number, r: () => number): number {
  if (shape < 1) return gamma(shape + 1, r) * Math.pow(1 - r(), 1 / shape)
  const d = shape - 1 / 3
  const c = 1 / Math.sqrt(9 * d)
  for (;;) {
    let x: number
    let v: number
    do {
      x = normal(r)
      v = 1 + c * x
    } while (v <= 0)
    v = v * v * v
    const u = 1 - r()
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v
  }
}

export function beta(a: number, b: number, r: () => number): number {
  const x = gamma(a, r)
  return x / (x + gamma(b, r))
}

/** The arm a visitor gets, or null for the holdout (default content, measured apart). */
export function assign(
  x: ExperimentConfig,
  visitor: string,
  slot: string,
  stats: ArmStats[] = [],
): { variant: string; holdout: boolean } {
  if (inHoldout(visitor, x.id, x.holdout ?? 0)) return { variant: '', holdout: true }
  const arms = armsOf(x)
  if (x.allocation === 'thompson') {
    // One posterior draw per arm, Beta(1 + conversions, 1 + non-conversions); the best draw wins.
    // Seeded by the visitor and the results: the same page asked twice answers the same.
    const seen = stats.reduce((a, s) => a + s.exposed, 0)
    const r = rng(Math.floor(hash01(visitor, x.id, String(seen)) * 2 ** 32))
    let best = arms[0]!
    let top = -1
    for (const v of arms) {
      const s = stats.find((t) => t.variant === v)
      const draw = beta(1 + (s?.conversions ?? 0), 1 + Math.max(0, (s?.exposed ?? 0) - (s?.conversions ?? 0)), r)
      if (draw > top) ((top = draw), (best = v))
    }
    return { variant: best, holdout: false }
  }
  const w = x.weights && x.weights.length === arms.length ? x.weights : arms.map(() => 1)
  const total = w.reduce((a, b) => a + b, 0)
  let u = hash01(visitor, slot, x.id) * total
  for (let i = 0; i < arms.length; i++) if ((u -= w[i]!) < 0) return { variant: arms[i]!, holdout: false }
  return { variant: arms[arms.length - 1]!, holdout: false }
}

const Z = 1.959964

/** Wilson score interval for a proportion (95%). */
export function wilson(k: number, n: number): [number, number] {
  if (!n) return [0, 0]
  const p = k / n
  const d = 1 + (Z * Z) / n
  const mid = (p + (Z * Z) / (2 * n)) / d
  const half = (Z * Math.sqrt((p * (1 - p)) / n + (Z * Z) / (4 * n * n))) / d
  return [Math.max(0, mid - half), Math.min(1, mid + half)]
}

/**
 * Relative lift of `a` over the baseline `b`, (pa - pb) / pb, with a 95% interval from the
 * delta method on the log of the ratio. Null when the baseline has no conversions.
 */
export function lift(a: ArmStats, b: ArmStats): { lift: number; interval: [number, number] } | null {
  if (!a.exposed || !b.exposed || !b.conversions) return null
  const pa = a.conversions / a.exposed
  const pb = b.conversions / b.exposed
  const ratio = pa / pb
  if (!a.conversions) return { lift: -1, interval: [-1, -1] }
  const se = Math.sqrt((1 - pa) / a.conversions + (1 - pb) / b.conversions)
  return { lift: ratio - 1, interval: [ratio * Math.exp(-Z * se) - 1, ratio * Math.exp(Z * se) - 1] }
}

/** Probability that each arm has the best conversion rate (Monte Carlo over Beta posteriors, seeded). */
export function probabilityBest(arms: ArmStats[], draws = 4000, seed = 1): number[] {
  const r = rng(seed)
  const wins = arms.map(() => 0)
  for (let d = 0; d < draws; d++) {
    let best = 0
    let top = -1
    arms.forEach((s, i) => {
      const x = beta(1 + s.conversions, 1 + Math.max(0, s.exposed - s.conversions), r)
      if (x > top) ((top = x), (best = i))
    })
    wins[best]! += 1
  }
  return wins.map((w) => Math.round((w / draws) * 1000) / 1000)
}
