/**
 * @module logistic: the numbers behind the prediction models (domain/propensity.ts,
 * domain/forward.ts): an L2-regularised logistic regression fitted by Newton's method, and how a
 * model is measured on visitors it did not see (AUC, reliability in bins, Brier score). Pure and
 * deterministic: the same rows always give the same weights.
 */

export const sigmoid = (z: number) => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)))

/** L2 penalty on the (standardised) weights: keeps a separable set's weights finite. */
export const LAMBDA = 1

/**
 * L2-regularised logistic regression by Newton's method (IRLS). `x` is standardised; the
 * intercept (last weight) is not penalised. Deterministic.
 */
export function fitLogistic(x: number[][], y: number[], lambda = LAMBDA, iterations = 30): number[] {
  const d = (x[0]?.length ?? 0) + 1
  const w = new Array<number>(d).fill(0)
  const row = new Array<number>(d).fill(1)
  for (let it = 0; it < iterations; it++) {
    const g = new Array<number>(d).fill(0)
    const h = Array.from({ length: d }, () => new Array<number>(d).fill(0))
    for (let i = 0; i < x.length; i++) {
      const xi = x[i]!
      for (let j = 0; j < d - 1; j++) row[j] = xi[j]!
      let z = 0
      for (let j = 0; j < d; j++) z += w[j]! * row[j]!
      const p = sigmoid(z)
      const r = p - y[i]!
      const s = Math.max(p * (1 - p), 1e-9)
      for (let j = 0; j < d; j++) {
        g[j]! += r * row[j]!
        const hj = h[j]!
        const sj = s * row[j]!
        for (let k = j; k < d; k++) hj[k]! += sj * row[k]!
      }
    }
    for (let j = 0; j < d; j++) {
      for (let k = 0; k < j; k++) h[j]![k] = h[k]![j]!
      if (j < d - 1) ((g[j]! += lambda * w[j]!), (h[j]![j]! += lambda))
    }
    h[d - 1]![d - 1]! += 1e-9
    const step = solve(h, g)
    let most = 0
    for (let j = 0; j < d; j++) ((w[j]! -= step[j]!), (most = Math.max(most, Math.abs(step[j]!))))
    if (most < 1e-8) break
  }
  return w
}

/** Solves a·x = b (Gaussian elimination with partial pivoting; a is positive definite here). */
function solve(a: number[][], b: number[]): number[] {
  const n = b.length
  const m = a.map((row, i) => [...row, b[i]!])
  for (let c = 0; c < n; c++) {
    let p = c
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r]![c]!) > Math.abs(m[p]![c]!)) p = r
    ;[m[c], m[p]] = [m[p]!, m[c]!]
    const pivot = m[c]![c]! || 1e-12
    for (let r = c + 1; r < n; r++) {
      const f = m[r]![c]! / pivot
      if (f) for (let k = c; k <= n; k++) m[r]![k]! -= f * m[c]![k]!
    }
  }
  const x = new Array<number>(n).fill(0)
  for (let r = n - 1; r >= 0; r--) {
    let s = m[r]![n]!
    for (let k = r + 1; k < n; k++) s -= m[r]![k]! * x[k]!
    x[r] = s / (m[r]![r]! || 1e-12)
  }
  return x
}

/**
 * Area under the ROC curve: the chance that a positive scores above a negative (ties count
 * half), by ranks. Null without both classes.
 */
export function auc(scores: number[], labels: number[]): number | null {
  const order = scores.map((s, i) => [s, labels[i]!] as const).sort((a, b) => a[0] - b[0])
  let pos = 0
  let rankSum = 0
  for (let i = 0; i < order.length;) {
    let j = i
    while (j < order.length && order[j]![0] === order[i]![0]) j++
    const rank = (i + j + 1) / 2 // average of ranks i+1 … j
    for (let k = i; k < j; k++) if (order[k]![1]) ((pos += 1), (rankSum += rank))
    i = j
  }
  const neg = order.length - pos
  if (!pos || !neg) return null
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * neg)
}

/** One bin of a reliability diagram: the chances from `from` to `to` (the last bin includes 1). */
export interface ReliabilityBin {
  from: number
  to: number
  /** Visitors whose chance fell in the bin. */
  n: number
  /** Their mean chance, and the share of them that turned out positive (null for an empty bin). */
  predicted: number | null
  observed: number | null
}

/** Whether a model's chances mean what they say, on visitors it did not see. */
export interface Calibration {
  /** 10 equal bins of the chance, 0–0.1 … 0.9–1. */
  bins: ReliabilityBin[]
  /** Mean squared gap between chance and outcome (0 is perfect; lower is better). */
  brier: number
  /** The positive share the model learnt from, and the Brier score of saying it for everyone. */
  baseRate: number
  brierBaseRate: number
}

const round4 = (x: number) => Math.round(x * 1e4) / 1e4

/** Reliability in `bins` equal bins and the Brier score of `chances` against `labels`. */
export function calibration(chances: number[], labels: number[], baseRate: number, bins = 10): Calibration {
  const acc = Array.from({ length: bins }, () => ({ n: 0, p: 0, y: 0 }))
  let brier = 0
  let brierBase = 0
  for (let i = 0; i < chances.length; i++) {
    const p = chances[i]!
    const y = labels[i]!
    const b = acc[Math.min(bins - 1, Math.floor(p * bins))]!
    ;((b.n += 1), (b.p += p), (b.y += y))
    brier += (p - y) ** 2
    brierBase += (baseRate - y) ** 2
  }
  const n = Math.max(1, chances.length)
  return {
    bins: acc.map((b, i) => ({
      from: i / bins,
      to: (i + 1) / bins,
      n: b.n,
      predicted: b.n ? round4(b.p / b.n) : null,
      observed: b.n ? round4(b.y / b.n) : null,
    })),
    brier: round4(brier / n),
    baseRate: round4(baseRate),
    brierBaseRate: round4(brierBase / n),
  }
}
