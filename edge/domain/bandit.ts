/**
 * @module bandit: the shares of new visitors each arm of a Thompson-sampled experiment gets.
 * Pure; seeded, so a simulation repeats.
 *
 * Three things keep it honest:
 * - It learns only from what has matured. Like the lift (lift.ts), it reads which arm each
 *   converter was in, against how that converter's period (a day of first exposures) was split;
 *   an exposure still inside its attribution window without a conversion is not a failure (it
 *   may yet convert), only part of its period's split. Conversions that arrive days late
 *   therefore do not favour the arm that was shown less recently.
 * - Recent periods weigh more (their weight halves every `halfLife` periods), so an arm whose
 *   advantage fades loses its traffic again; a base rate that drifts cancels within a period.
 * - Every arm keeps a floor (10% of traffic split between the arms by default), so an arm
 *   unlucky early is still seen, and the results can still tell the arms apart.
 * Each arm's share is then the posterior probability that it converts best (Thompson sampling
 * in expectation), from a Laplace approximation of the posterior of the log rate ratios.
 */
import { normalCdf } from './normal'
import { rng } from './experiments'
import type { Counts } from './lift'

/** One period's counts per arm (the arms in one order throughout), and how old it is. */
export interface BanditPeriod {
  /** In the unit of `halfLife` (days in the worker). */
  age: number
  arms: Counts[]
}

export interface BanditOptions {
  /** Share of traffic split evenly whatever the results (default 0.1). */
  explore?: number
  /** A period's weight halves every this many units of age (default 14: two weeks in days). */
  halfLife?: number
  /** Prior sd of each arm's log rate (default 1). */
  priorSd?: number
  seed?: number
}

/** The Cholesky factor L (A = L Lᵀ) of a symmetric positive-definite matrix. */
function cholesky(a: number[][]): number[][] {
  const n = a.length
  const l = a.map(() => new Array<number>(n).fill(0))
  for (let i = 0; i < n; i++)
    for (let j = 0; j <= i; j++) {
      let s = a[i]![j]!
      for (let k = 0; k < j; k++) s -= l[i]![k]! * l[j]![k]!
      l[i]![j] = i === j ? Math.sqrt(Math.max(s, 1e-300)) : s / l[j]![j]!
    }
  return l
}

/** y with L Lᵀ y = b. */
function solve(l: number[][], b: number[]): number[] {
  const n = b.length
  const y = [...b]
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < i; k++) y[i]! -= l[i]![k]! * y[k]!
    y[i]! /= l[i]![i]!
  }
  for (let i = n - 1; i >= 0; i--) {
    for (let k = i + 1; k < n; k++) y[i]! -= l[k]![i]! * y[k]!
    y[i]! /= l[i]![i]!
  }
  return y
}

/** The posterior mode of the arms' log rates and the precision matrix there. */
function posterior(periods: BanditPeriod[], k: number, o: Required<BanditOptions>) {
  const used = periods
    .map((p) => {
      const exposed = p.arms.reduce((a, c) => a + c.exposed, 0)
      const converters = p.arms.reduce((a, c) => a + c.conversions, 0)
      return { w: Math.pow(0.5, p.age / o.halfLife), arms: p.arms, exposed, converters }
    })
    .filter((p) => p.converters > 0 && p.exposed > 0)
  const x = new Array<number>(k).fill(0)
  let precision: number[][] = []
  for (let it = 0; it < 50; it++) {
    const g = x.map((xi) => -xi / o.priorSd ** 2)
    precision = x.map((_, i) => x.map((_, j) => (i === j ? 1 / o.priorSd ** 2 : 0)))
    for (const p of used) {
      const e = p.arms.map((c, i) => (c.exposed / p.exposed) * Math.exp(x[i]!))
      const sum = e.reduce((a, b) => a + b, 0)
      const s = e.map((v) => v / sum)
      for (let i = 0; i < k; i++) {
        g[i]! += p.w * (p.arms[i]!.conversions - p.converters * s[i]!)
        for (let j = 0; j < k; j++) precision[i]![j]! += p.w * p.converters * ((i === j ? s[i]! : 0) - s[i]! * s[j]!)
      }
    }
    const step = solve(cholesky(precision), g)
    for (let i = 0; i < k; i++) x[i]! += step[i]!
    if (step.every((d) => Math.abs(d) < 1e-9)) break
  }
  return { mode: x, precision }
}

/** The share of new visitors for each arm (in the order of each period's `arms`), summing to 1. */
export function banditShares(periods: BanditPeriod[], k: number, options: BanditOptions = {}): number[] {
  const o = { explore: 0.1, halfLife: 14, priorSd: 1, seed: 1, ...options }
  const { mode, precision } = posterior(periods, k, o)
  let best: number[]
  if (k === 2) {
    // Var(x1 − x0) from the 2×2 precision matrix's inverse.
    const [[a, b], [, d]] = precision as [[number, number], [number, number]]
    const det = a * d - b * b
    const sd = Math.sqrt((a + d + 2 * b) / det)
    const p1 = normalCdf((mode[1]! - mode[0]!) / sd)
    best = [1 - p1, p1]
  } else {
    // Draws from the normal approximation: x = mode + L⁻ᵀ z, with precision = L Lᵀ.
    const l = cholesky(precision)
    const r = rng(o.seed)
    const wins = new Array<number>(k).fill(0)
    const draws = 4000
    for (let d = 0; d < draws; d++) {
      const z = mode.map(() => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r()))
      const y = [...z]
      for (let i = k - 1; i >= 0; i--) {
        for (let j = i + 1; j < k; j++) y[i]! -= l[j]![i]! * y[j]!
        y[i]! /= l[i]![i]!
      }
      let top = 0
      for (let i = 1; i < k; i++) if (mode[i]! + y[i]! > mode[top]! + y[top]!) top = i
      wins[top]! += 1
    }
    best = wins.map((w) => w / draws)
  }
  return best.map((b) => o.explore / k + (1 - o.explore) * b)
}

const DAY = 86_400_000

/**
 * A Thompson-sampled experiment's shares from its results: per day of first exposure and arm,
 * visitors exposed and converted (store/experiments.ts; the holdout left out). Days are periods,
 * their age counted from `now`; equal shares before any conversion.
 */
export function sharesFromDays(
  arms: string[],
  rows: { variant: string; day: string; exposed: number; conversions: number }[],
  now: number,
): number[] {
  const days = new Map<string, Counts[]>()
  for (const r of rows) {
    const i = arms.indexOf(r.variant)
    if (i < 0) continue // a variant since removed
    const day = days.get(r.day) ?? arms.map(() => ({ exposed: 0, conversions: 0 }))
    day[i]!.exposed += r.exposed
    day[i]!.conversions += r.conversions
    days.set(r.day, day)
  }
  const periods = [...days].map(([day, counts]) => ({
    age: Math.max(0, (now - Date.parse(`${day}T12:00:00Z`)) / DAY),
    arms: counts,
  }))
  return banditShares(periods, arms.length)
}
