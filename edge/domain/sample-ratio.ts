/**
 * @module sample-ratio: is the split that was measured the split that was served? A chi-square
 * goodness-of-fit test of exposures against the configured shares (sample ratio mismatch, SRM).
 * A mismatch means something other than chance decides who is counted where (a redirect that
 * loses one arm's visitors, a bot, a page reporting the wrong arm), and no lift can be trusted.
 * Pure.
 */
import { logGamma } from './normal'

/** Below this p the split is flagged: a real experiment almost never gets there by chance. */
export const SRM_P = 0.001

/** P(χ²(df) ≥ x): the regularized upper incomplete gamma Q(df/2, x/2) (Numerical Recipes' gser/gcf). */
export function chiSquareP(x: number, df: number): number {
  if (!(x > 0)) return 1
  const a = df / 2
  const z = x / 2
  const front = Math.exp(-z + a * Math.log(z) - logGamma(a))
  if (z < a + 1) {
    // Series for the lower part P(a, z); Q = 1 - P.
    let term = 1 / a
    let sum = term
    for (let n = 1; n < 1000 && Math.abs(term) > Math.abs(sum) * 1e-16; n++) sum += term *= z / (a + n)
    return Math.max(0, 1 - sum * front)
  }
  // Continued fraction for Q(a, z), by the modified Lentz method.
  const tiny = 1e-300
  let b = z + 1 - a
  let c = 1 / tiny
  let d = 1 / b
  let h = d
  for (let i = 1; i < 1000; i++) {
    const an = -i * (i - a)
    b += 2
    d = an * d + b
    if (Math.abs(d) < tiny) d = tiny
    c = b + an / c
    if (Math.abs(c) < tiny) c = tiny
    d = 1 / d
    const step = d * c
    h *= step
    if (Math.abs(step - 1) < 1e-16) break
  }
  return front * h
}

export interface SampleRatio {
  /** The test's p-value; null when a cell expects fewer than 5 visitors (too few to test). */
  p: number | null
  /** p < 0.001: the arms' counts do not follow the split. */
  flagged: boolean
}

/**
 * Tests `observed` counts against `shares` (weights, one per cell). A cell whose share is 0 but
 * that has visitors is a mismatch whatever the numbers (p 0).
 */
export function sampleRatio(observed: number[], shares: number[]): SampleRatio {
  const total = observed.reduce((a, b) => a + b, 0)
  const sum = shares.reduce((a, b) => a + b, 0)
  if (observed.some((o, i) => o > 0 && !(shares[i]! > 0))) return { p: 0, flagged: true }
  const cells = observed.map((o, i) => ({ o, e: (total * shares[i]!) / sum })).filter((c) => c.e > 0)
  if (cells.length < 2 || cells.some((c) => c.e < 5)) return { p: null, flagged: false }
  const x = cells.reduce((a, c) => a + (c.o - c.e) ** 2 / c.e, 0)
  const p = chiSquareP(x, cells.length - 1)
  return { p, flagged: p < SRM_P }
}
