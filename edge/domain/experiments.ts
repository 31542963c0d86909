/**
 * @module experiments: who sees which variant of a slot's experiment, and what the results
 * say. Pure; randomness comes from seeded generators, so tests and simulations repeat.
 *
 * Assignment is sticky: the same hash of (visitor, slot, experiment) places a visitor in the
 * fixed split, or in a Thompson-sampled experiment's current shares (bandit.ts), and the
 * visitor's first exposure pins the arm in their profile (domain/profile.ts) for every later
 * page and tab.
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

/**
 * The arm a visitor gets, or the holdout (default content, measured apart). `shares`: a
 * Thompson-sampled experiment's current share per arm (bandit.ts), equal without one.
 */
export function assign(
  x: ExperimentConfig,
  visitor: string,
  slot: string,
  shares?: number[],
): { variant: string; holdout: boolean } {
  if (inHoldout(visitor, x.id, x.holdout ?? 0)) return { variant: '', holdout: true }
  const arms = armsOf(x)
  const w =
    x.allocation === 'thompson'
      ? shares && shares.length === arms.length
        ? shares
        : arms.map(() => 1)
      : x.weights && x.weights.length === arms.length
        ? x.weights
        : arms.map(() => 1)
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
 * Per arm, from Beta(1 + conversions, 1 + non-conversions) posteriors (seeded Monte Carlo): the
 * probability that it converts best, and its expected loss: how much conversion rate (absolute,
 * 0.001 = 0.1 point) one gives up on average by shipping it rather than the truly best arm.
 */
export function posteriorOf(arms: ArmStats[], draws = 4000, seed = 1) {
  const r = rng(seed)
  const wins = arms.map(() => 0)
  const loss = arms.map(() => 0)
  const x = arms.map(() => 0)
  for (let d = 0; d < draws; d++) {
    let best = 0
    arms.forEach((s, i) => {
      x[i] = beta(1 + s.conversions, 1 + Math.max(0, s.exposed - s.conversions), r)
      if (x[i]! > x[best]!) best = i
    })
    wins[best]! += 1
    for (let i = 0; i < arms.length; i++) loss[i]! += x[best]! - x[i]!
  }
  return {
    probabilityBest: wins.map((w) => w / draws),
    expectedLoss: loss.map((l) => l / draws),
  }
}
