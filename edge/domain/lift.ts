/**
 * @module lift: an arm's lift over the control with an interval that stays valid however often
 * the results are looked at (a confidence sequence), and at 0 conversions. Pure.
 *
 * The method (after Lindon & Malek, "Anytime-valid inference for multinomial count data",
 * NeurIPS 2022): within one period of first exposures (a day, or consecutive days until each
 * side has 20 visitors; merged by visitors, never by conversions), a visitor who converted is in
 * the arm with probability q = πρ / (πρ + 1 − π), where π is the arm's share of the period's
 * exposures (arm and control) and ρ the ratio of the two conversion rates. Only converters carry
 * information about ρ, so an exposure whose window is still open is never read as a failure,
 * and the period's base rate (weekday, season, a campaign) cancels: a drifting base rate under a
 * shifting split (the bandit) cannot fake a lift. The likelihood of ρ is mixed over normal priors
 * on log ρ (sds TAUS, weighed equally) centred on each tested ρ₀; by Ville's inequality that
 * mixture ratio exceeds 1/α with probability at most α at any time, ever. The interval holds
 * every ρ₀ it has not exceeded for. It is wider than a fixed-horizon interval: the price of
 * peeking.
 */

/** Exposed visitors and conversions. */
export interface Counts {
  exposed: number
  conversions: number
}

/** One period (a day of first exposures): the control's counts and the compared arm's. */
export interface Period {
  control: Counts
  arm: Counts
}

export interface Lift {
  /** Relative lift (rate ratio − 1), null when the control has no conversions yet. */
  lift: number | null
  /** The always-valid interval of the lift; the upper end is null (unbounded) while the control has no conversions. */
  interval: [number, number | null]
}

/**
 * The mixture's spreads on log ρ, weighed equally: small ones detect lifts of a few percent at
 * scale, large ones tell 20 conversions from 0 early (a single narrow spread cannot).
 */
export const TAUS = [0.05, 0.15, 0.45, 1.35]

/** The log rate ratios searched: beyond e^±12 (a factor of 160,000) an interval is unbounded. */
const FAR = 12

interface Stratum {
  converters: number
  inArm: number
  /** log(π / (1 − π)) */
  logit: number
  logPi: number
  log1Pi: number
}

/** Periods are merged, in order, until both sides have this many visitors: a day with all of a bandit's traffic on one arm says nothing alone. */
const MIN_EXPOSED = 20

function strataOf(periods: Period[]): Stratum[] {
  const merged: Period[] = []
  let open: Period | null = null
  const plus = (a: Counts, b: Counts) => ({
    exposed: a.exposed + b.exposed,
    conversions: a.conversions + b.conversions,
  })
  for (const p of periods) {
    open = open ? { control: plus(open.control, p.control), arm: plus(open.arm, p.arm) } : p
    if (open.control.exposed >= MIN_EXPOSED && open.arm.exposed >= MIN_EXPOSED) {
      merged.push(open)
      open = null
    }
  }
  // What is left joins the last period, unless it can stand alone.
  const last = merged.at(-1)
  if (open && last && !(open.control.exposed && open.arm.exposed))
    merged[merged.length - 1] = { control: plus(last.control, open.control), arm: plus(last.arm, open.arm) }
  else if (open) merged.push(open)
  return merged.flatMap(({ control, arm }) => {
    const converters = control.conversions + arm.conversions
    if (!converters || !control.exposed || !arm.exposed) return []
    const pi = arm.exposed / (arm.exposed + control.exposed)
    return [
      {
        converters,
        inArm: arm.conversions,
        logit: Math.log(pi / (1 - pi)),
        logPi: Math.log(pi),
        log1Pi: Math.log(1 - pi),
      },
    ]
  })
}

/** The log-likelihood of x = log ρ (up to a constant), and its first two derivatives. */
function logLik(strata: Stratum[], x: number): [number, number, number] {
  let l = 0
  let d1 = 0
  let d2 = 0
  for (const s of strata) {
    const a = x + s.logPi
    const m = Math.max(a, s.log1Pi)
    l += s.inArm * x - s.converters * (m + Math.log(Math.exp(a - m) + Math.exp(s.log1Pi - m)))
    const q = 1 / (1 + Math.exp(-(x + s.logit)))
    d1 += s.inArm - s.converters * q
    d2 -= s.converters * q * (1 - q)
  }
  return [l, d1, d2]
}

/** ln of the mixture likelihood ratio against ρ₀ = e^x0, averaged over the spreads. */
function logMixture(strata: Stratum[], x0: number, taus: number[]): number {
  const [l0, d1, d2] = logLik(strata, x0)
  // Where each integrand peaks, by one Newton step from x0 (a normal likelihood's exact answer).
  const logs = taus.map((tau) => logNormalMixture(strata, x0, l0, tau, x0 + d1 / (1 / (tau * tau) - d2)))
  const top = Math.max(...logs)
  return top + Math.log(logs.reduce((a, l) => a + Math.exp(l - top), 0) / taus.length)
}

/** Gauss–Hermite nodes and weights (∫ e^(−t²) f(t) dt ≈ Σ w f(t)), by Newton on the Hermite recurrence (Numerical Recipes' gauher). */
function hermite(n: number): { t: number[]; w: number[] } {
  const t: number[] = []
  const w: number[] = []
  let z = 0
  for (let i = 0; i < (n + 1) >> 1; i++) {
    // Initial guesses for the largest roots first.
    if (i === 0) z = Math.sqrt(2 * n + 1) - 1.85575 * Math.pow(2 * n + 1, -1 / 6)
    else if (i === 1) z -= (1.14 * Math.pow(n, 0.426)) / z
    else if (i === 2) z = 1.86 * z - 0.86 * t[0]!
    else if (i === 3) z = 1.91 * z - 0.91 * t[1]!
    else z = 2 * z - t[i - 2]!
    let pp = 0
    for (let it = 0; it < 100; it++) {
      let p1 = Math.pow(Math.PI, -0.25)
      let p2 = 0
      for (let j = 1; j <= n; j++) {
        const p3 = p2
        p2 = p1
        p1 = z * Math.sqrt(2 / j) * p2 - Math.sqrt((j - 1) / j) * p3
      }
      pp = Math.sqrt(2 * n) * p2
      const z1 = z
      z = z1 - p1 / pp
      if (Math.abs(z - z1) <= 1e-14) break
    }
    t[i] = z
    w[i] = 2 / (pp * pp)
  }
  return { t: [...t, ...t.map((x) => -x)], w: [...w, ...w] }
}

const GH = hermite(16)

/**
 * ln ∫ L(x)/L(x0) N(x; x0, tau²) dx, with l0 = ln L(x0). The integrand is log-concave: Newton
 * finds its mode (from the normal approximation's guess), Gauss–Hermite integrates around it.
 */
function logNormalMixture(strata: Stratum[], x0: number, l0: number, tau: number, guess: number): number {
  const t2 = tau * tau
  let x = guess
  let [l, d1, d2] = logLik(strata, x)
  for (let i = 0; i < 50; i++) {
    let step = -(d1 - (x - x0) / t2) / (d2 - 1 / t2)
    const here = l - (x - x0) ** 2 / (2 * t2)
    let next = logLik(strata, x + step)
    // Halve a step that overshoots (the likelihood can bend sharply where a side has few converters).
    for (let k = 0; k < 30 && next[0] - (x + step - x0) ** 2 / (2 * t2) < here; k++)
      next = logLik(strata, x + (step /= 2))
    x += step
    ;[l, d1, d2] = next
    if (Math.abs(step) < 1e-9) break
  }
  const width = Math.SQRT2 / Math.sqrt(1 / t2 - d2)
  const top = l - (x - x0) ** 2 / (2 * t2)
  let sum = 0
  for (let i = 0; i < GH.t.length; i++) {
    const y = x + width * GH.t[i]!
    sum += GH.w[i]! * Math.exp(logLik(strata, y)[0] - (y - x0) ** 2 / (2 * t2) - top + GH.t[i]! ** 2)
  }
  return top - l0 + Math.log(sum * width) - Math.log(tau * Math.sqrt(2 * Math.PI))
}

/** The maximum-likelihood log ρ, ±Infinity when one side has no converters. */
function mle(strata: Stratum[]): number {
  const inArm = strata.reduce((a, s) => a + s.inArm, 0)
  const all = strata.reduce((a, s) => a + s.converters, 0)
  if (inArm === 0) return -Infinity
  if (inArm === all) return Infinity
  let x = 0
  for (let i = 0; i < 200; i++) {
    const [, d1, d2] = logLik(strata, x)
    const step = Math.max(-2, Math.min(2, -d1 / d2))
    x += step
    if (Math.abs(step) < 1e-12) break
  }
  return x
}

/**
 * The always-valid p-value of "the arm converts like the control" now (1 / the mixture ratio at
 * ρ = 1, at most 1): below α, the interval at level α excludes no lift.
 */
export function alwaysValidP(periods: Period[], taus = TAUS): number {
  const strata = strataOf(periods)
  return strata.length ? Math.min(1, Math.exp(-logMixture(strata, 0, taus))) : 1
}

/** The arm's lift over the control with its always-valid interval at level `alpha` (default 5%). */
export function liftOf(periods: Period[], alpha = 0.05, taus = TAUS): Lift {
  const strata = strataOf(periods)
  const x = strata.length ? mle(strata) : NaN
  const lift = Number.isNaN(x) || x === Infinity ? null : Math.exp(x) - 1
  if (!strata.length) return { lift: null, interval: [-1, null] }
  const limit = Math.log(1 / alpha)
  const outside = (x0: number) => logMixture(strata, x0, taus) >= limit
  const clamp = (y: number) => Math.max(-FAR, Math.min(FAR, y))
  const centre = clamp(x)
  /** The edge of the interval on one side of the centre, or ±Infinity when there is none. */
  const edge = (dir: 1 | -1) => {
    let inside = centre
    let step = 0.05
    let out = clamp(centre + dir * step)
    while (!outside(out)) {
      if (Math.abs(out) >= FAR) return dir * Infinity
      inside = out
      step *= 2
      out = clamp(out + dir * step)
    }
    for (let i = 0; i < 50 && Math.abs(out - inside) > 2e-4; i++) {
      const mid = (inside + out) / 2
      if (outside(mid)) out = mid
      else inside = mid
    }
    return inside
  }
  const lo = edge(-1)
  const hi = edge(1)
  return { lift, interval: [Math.exp(lo) - 1, hi === Infinity ? null : Math.exp(hi) - 1] }
}
