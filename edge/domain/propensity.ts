/**
 * @module propensity: who will reach a funnel's goal, learnt per site from its visitors'
 * profiles. Pure: the jobs queue trains (jobs/propensity.ts), D1 keeps the model
 * (store/propensity.ts), the routes score profiles with it.
 *
 * - Outcome: the visitor reached the funnel's last step (the goal).
 * - Features: read from the profile as it was just before the goal (`Profile.before`, kept by
 *   the visitor's shard when the goal is first reached) for converters, and from the profile now
 *   for everyone else, so nothing that happened at or after the goal leaks into them. Nothing
 *   is measured against the wall clock either (time since last seen would mostly tell when the
 *   model was trained, since converters are seen at their goal): tenure, and friction's recency,
 *   are measured from the profile's own latest activity.
 * - Model: logistic regression over standardised features, L2-regularised, fitted by Newton's
 *   method (IRLS); 25% of visitors, chosen by a hash of their id, are held out to measure AUC.
 *   The same profiles always give the same model.
 */
import { hash01, type BeforeGoal, type Profile } from './profile'

/** A site's funnels as the model needs them. */
export interface FunnelSteps {
  id: string
  steps: string[]
}

/** What a trained model holds: enough to score a profile without the training data. */
export interface PropensityModel {
  funnel: string
  /** The goal: the funnel's last step. */
  goal: string
  /** Feature names, in the order of `means`, `scales` and `weights`. */
  features: string[]
  means: number[]
  scales: number[]
  weights: number[]
  intercept: number
  /** The funnels (and their step counts) the progress features read, as at training. */
  funnels: { id: string; steps: number }[]
}

/** A training run's outcome: a model, or why there is none. */
export interface Training {
  funnel: string
  goal: string
  /** Visitors used (converters with no snapshot before their goal are left out). */
  n: number
  converters: number
  others: number
  /** Held-out visitors, and the AUC on them (null when there is no model). */
  holdout: number
  auc: number | null
  model: PropensityModel | null
  /** Why there is no model (too little data), for the team to read. */
  reason?: string
}

/** Fewer visitors than this in either class: no model (its scores would be noise). */
export const MIN_PER_CLASS = 50
/** Share of visitors held out to measure the model (by a hash of their id). */
export const HOLDOUT = 0.25
/** L2 penalty on the (standardised) weights: keeps a separable set's weights finite. */
export const LAMBDA = 1

const DAY = 86_400_000
const FRICTION = ['rage', 'dead', 'error', 'abandon', 'stall'] as const
/** How many of the commonest values of a categorical field become features. */
const TOP = { source: 5, medium: 5, topics: 8 }

/** The inputs of one visitor: the profile's parts the features read, at one moment. */
interface View {
  sessions: number
  pageviews: number
  events: number
  firstSeen: number
  at: number
  interests: { [topic: string]: number }
  friction: Profile['friction']
  nps?: { score: number }
  funnels: { [id: string]: number }
  device?: string
  source?: string
  medium?: string
  direct: boolean
}

const index = (p: Profile) => Object.fromEntries(Object.entries(p.funnels).map(([id, f]) => [id, f.i]))

/** The profile now, or (for `before`) as it was just before the goal. */
function view(p: Profile, before?: BeforeGoal): View {
  const b = before
  const e = p.entry
  return {
    sessions: b ? b.sessions : p.sessions,
    pageviews: b ? b.pageviews : p.pageviews,
    events: b ? b.events : p.events,
    firstSeen: p.firstSeen,
    at: b ? b.at : p.lastSeen,
    interests: (b ? b.interests : p.interests).scores,
    friction: b ? b.friction : p.friction,
    ...((b ? b.nps : p.nps) && { nps: b ? b.nps : p.nps }),
    funnels: b ? b.funnels : index(p),
    ...(p.device && { device: p.device }),
    ...(e?.source && { source: e.source }),
    ...(e?.medium && { medium: e.medium }),
    direct: !e?.referrer && !e?.source,
  }
}

/** Index of the goal step (the last), or -1 for a funnel too short to have one. */
const goalIndex = (f: FunnelSteps) => (f.steps.length > 1 ? f.steps.length - 1 : -1)

/** Whether the profile has reached the funnel's goal. */
export function converted(p: Profile, f: { id: string; steps: number }): boolean {
  const x = p.funnels[f.id]
  return !!x && f.steps > 1 && x.i >= f.steps - 1
}

const log1p = (x: number) => Math.log1p(Math.max(0, x))

/** The commonest values (ties by name) among the views, at most `n`. */
function commonest(values: (string | undefined)[], n: number): string[] {
  const counts = new Map<string, number>()
  for (const v of values) if (v) counts.set(v, (counts.get(v) ?? 0) + 1)
  return [...counts]
    .filter(([, c]) => c >= 5)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, n)
    .map(([v]) => v)
}

/** Feature name → how it is read from a view (`own` is the funnel being predicted). */
function extractors(
  views: View[],
  own: string,
  funnels: { id: string; steps: number }[],
): [string, (v: View) => number][] {
  const out: [string, (v: View) => number][] = [
    ['sessions', (v) => log1p(v.sessions)],
    ['pageviews', (v) => log1p(v.pageviews)],
    ['events', (v) => log1p(v.events)],
    ['returning', (v) => (v.sessions > 1 ? 1 : 0)],
    ['tenureDays', (v) => log1p((v.at - v.firstSeen) / DAY)],
    ...FRICTION.map((k): [string, (v: View) => number] => [`friction.${k}`, (v) => log1p(v.friction[k]?.n ?? 0)]),
    [
      'friction.recent',
      (v) => {
        const last = Math.max(0, ...FRICTION.map((k) => v.friction[k]?.last ?? 0))
        return last ? Math.exp(-Math.max(0, v.at - last) / DAY) : 0
      },
    ],
    ['nps.answered', (v) => (v.nps ? 1 : 0)],
    ['nps.score', (v) => (v.nps ? v.nps.score / 10 : 0)],
    ['device.mobile', (v) => (v.device === 'mobile' ? 1 : 0)],
    ['device.tablet', (v) => (v.device === 'tablet' ? 1 : 0)],
    ['entry.direct', (v) => (v.direct ? 1 : 0)],
  ]
  for (const f of funnels) {
    // The funnel's own progress stops before its goal: reaching the goal is the outcome.
    const cap = f.id === own ? f.steps - 2 : f.steps - 1
    out.push([
      `funnels.${f.id}`,
      (v) => (v.funnels[f.id] === undefined ? 0 : (Math.min(v.funnels[f.id]!, cap) + 1) / f.steps),
    ])
  }
  for (const s of commonest(
    views.map((v) => v.source),
    TOP.source,
  ))
    out.push([`entry.source=${s}`, (v) => (v.source === s ? 1 : 0)])
  for (const m of commonest(
    views.map((v) => v.medium),
    TOP.medium,
  ))
    out.push([`entry.medium=${m}`, (v) => (v.medium === m ? 1 : 0)])
  const topics = commonest(
    views.flatMap((v) => Object.keys(v.interests)),
    TOP.topics,
  )
  for (const t of topics) out.push([`interests.${t}`, (v) => log1p(v.interests[t] ?? 0)])
  return out
}

/** Rebuilds a model's extractors from its feature names (the vocabulary is in the names). */
function extractorsOf(m: PropensityModel): ((v: View) => number)[] {
  const fixed = new Map(extractors([], m.funnel, m.funnels))
  return m.features.map((name) => {
    const f = fixed.get(name)
    if (f) return f
    const [kind, value] = [name.slice(0, name.indexOf('=')), name.slice(name.indexOf('=') + 1)]
    if (kind === 'entry.source') return (v: View) => (v.source === value ? 1 : 0)
    if (kind === 'entry.medium') return (v: View) => (v.medium === value ? 1 : 0)
    if (name.startsWith('interests.')) {
      const t = name.slice('interests.'.length)
      return (v: View) => log1p(v.interests[t] ?? 0)
    }
    return () => 0
  })
}

const sigmoid = (z: number) => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)))

/**
 * L2-regularised logistic regression by Newton's method (IRLS). `x` is standardised; the
 * intercept (last weight) is not penalised. Deterministic.
 */
export function fitLogistic(x: number[][], y: number[], lambda = LAMBDA, iterations = 30): number[] {
  const d = (x[0]?.length ?? 0) + 1
  const w = new Array<number>(d).fill(0)
  for (let it = 0; it < iterations; it++) {
    const g = new Array<number>(d).fill(0)
    const h = Array.from({ length: d }, () => new Array<number>(d).fill(0))
    for (let i = 0; i < x.length; i++) {
      const row = [...x[i]!, 1]
      let z = 0
      for (let j = 0; j < d; j++) z += w[j]! * row[j]!
      const p = sigmoid(z)
      const r = p - y[i]!
      const s = Math.max(p * (1 - p), 1e-9)
      for (let j = 0; j < d; j++) {
        g[j]! += r * row[j]!
        const hj = h[j]!
        for (let k = j; k < d; k++) hj[k]! += s * row[j]! * row[k]!
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
 * Area under the ROC curve: the chance that a converter scores above a non-converter (ties
 * count half), by ranks. Null without both classes.
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

/** Whether a visitor is in the held-out share (the same visitor always is, per funnel). */
export const heldOut = (visitor: string, funnel: string) => hash01(visitor, funnel, 'propensity') < HOLDOUT

/**
 * Trains one funnel's model from the site's profiles. A converter without a snapshot from before
 * its goal (a profile older than this feature) is left out rather than read as it is now.
 */
export function train(rows: { id: string; profile: Profile }[], funnel: FunnelSteps, all: FunnelSteps[]): Training {
  const g = goalIndex(funnel)
  const goal = funnel.steps[funnel.steps.length - 1] ?? ''
  const base = { funnel: funnel.id, goal, holdout: 0, auc: null, model: null }
  const funnels = all.filter((f) => f.steps.length > 0).map((f) => ({ id: f.id, steps: f.steps.length }))
  const own = { id: funnel.id, steps: funnel.steps.length }
  const data: { id: string; view: View; y: number }[] = []
  for (const r of rows) {
    if (g < 0) break
    const y = converted(r.profile, own) ? 1 : 0
    const before = r.profile.before?.[funnel.id]
    if (y && !before) continue
    data.push({ id: r.id, view: view(r.profile, y ? before : undefined), y })
  }
  const converters = data.filter((d) => d.y).length
  const others = data.length - converters
  const counts = { n: data.length, converters, others }
  if (g < 0) return { ...base, ...counts, reason: `funnel '${funnel.id}' needs at least two steps` }
  if (converters < MIN_PER_CLASS || others < MIN_PER_CLASS)
    return {
      ...base,
      ...counts,
      reason:
        `Too little data: ${converters} visitors reached '${goal}' and ${others} did not; ` +
        `a model needs at least ${MIN_PER_CLASS} of each.`,
    }
  const fx = extractors(
    data.map((d) => d.view),
    funnel.id,
    funnels,
  )
  const trainSet = data.filter((d) => !heldOut(d.id, funnel.id))
  const testSet = data.filter((d) => heldOut(d.id, funnel.id))
  const raw = (v: View) => fx.map(([, f]) => f(v))
  const xs = trainSet.map((d) => raw(d.view))
  const means = fx.map((_, j) => xs.reduce((s, r) => s + r[j]!, 0) / Math.max(1, xs.length))
  const scales = fx.map((_, j) => {
    const sd = Math.sqrt(xs.reduce((s, r) => s + (r[j]! - means[j]!) ** 2, 0) / Math.max(1, xs.length))
    return sd > 1e-9 ? sd : 1
  })
  const z = (r: number[]) => r.map((x, j) => (x - means[j]!) / scales[j]!)
  const w = fitLogistic(
    xs.map(z),
    trainSet.map((d) => d.y),
  )
  const model: PropensityModel = {
    funnel: funnel.id,
    goal,
    features: fx.map(([name]) => name),
    means: means.map(round),
    scales: scales.map(round),
    weights: w.slice(0, -1).map(round),
    intercept: round(w[w.length - 1]!),
    funnels,
  }
  const scores = testSet.map((d) => linear(model, raw(d.view)))
  const a = auc(
    scores,
    testSet.map((d) => d.y),
  )
  return { ...base, ...counts, holdout: testSet.length, auc: a === null ? null : round(a), model }
}

const round = (x: number) => Math.round(x * 1e6) / 1e6

function linear(m: PropensityModel, raw: number[]): number {
  let s = m.intercept
  for (let j = 0; j < raw.length; j++) s += m.weights[j]! * ((raw[j]! - m.means[j]!) / m.scales[j]!)
  return s
}

/** A profile's chance of reaching the model's goal (1 once it has). */
export function scoreProfile(m: PropensityModel, p: Profile): number {
  const own = m.funnels.find((f) => f.id === m.funnel)
  if (own && converted(p, own)) return 1
  const v = view(p)
  const raw = extractorsOf(m).map((f) => f(v))
  return round(sigmoid(linear(m, raw)))
}

/** The profile with `propensity.<funnel>` for each model (a copy; the profile is not changed). */
export function withScores(p: Profile, models: PropensityModel[]): Profile {
  if (!models.length) return p
  return { ...p, propensity: Object.fromEntries(models.map((m) => [m.funnel, scoreProfile(m, p)])) }
}

/** The features with the largest weights (what drives the model), for the dashboard. */
export function drivers(m: PropensityModel, n = 5): { feature: string; weight: number }[] {
  return m.features
    .map((feature, j) => ({ feature, weight: m.weights[j]! }))
    .sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight))
    .slice(0, n)
}
