/**
 * @module propensity: what the prediction models read of a visitor's profile at one moment, the
 * models themselves, and how a profile is scored with them. Pure. How the models are trained and
 * measured, looking forward from cutoff dates, is domain/forward.ts; the jobs queue trains
 * (jobs/propensity.ts), D1 keeps the models (store/propensity.ts), the routes score profiles.
 *
 * A view is the profile as of a moment `at`: a cutoff date in training, now when scoring. Every
 * time in it is measured against `at` (tenure, recency, friction's recency, interest decay), so
 * that a model trained on visitors as they were at a cutoff reads today's visitors the same way.
 */
import type { Profile } from './profile'
import { scoreAt } from './interests'
import { sigmoid } from './logistic'

/** A site's funnels as the models need them. */
export interface FunnelSteps {
  id: string
  steps: string[]
}

/** A linear model over a view's features (standardised), without its training data. */
export interface LinearModel {
  /** Feature names, in the order of `means`, `scales` and `weights`. */
  features: string[]
  means: number[]
  scales: number[]
  weights: number[]
  intercept: number
  /** The funnels (and their step counts) the progress features read, as at training. */
  funnels: { id: string; steps: number }[]
  /** The chance is of something within this many days (the label's window after a cutoff). */
  horizonDays: number
}

/** A funnel's model: the chance of reaching its goal (last step) within `horizonDays`. */
export interface PropensityModel extends LinearModel {
  funnel: string
  goal: string
}

const DAY = 86_400_000
const FRICTION = ['rage', 'dead', 'error', 'abandon', 'stall'] as const
/** How many of the commonest values of a categorical field become features. */
const TOP = { source: 5, medium: 5, topics: 8 }

/** The inputs of one visitor at one moment: the profile's parts the features read. */
export interface View {
  at: number
  sessions: number
  pageviews: number
  firstSeen: number
  lastSeen: number
  identified: boolean
  /** Interest scores decayed to `at`. */
  interests: { [topic: string]: number }
  friction: Profile['friction']
  nps?: { score: number }
  /** Funnel id → the furthest step index reached. */
  funnels: { [id: string]: number }
  device?: string
  source?: string
  medium?: string
  direct: boolean
}

/** The profile as of `at` (the profile holds only what happened before it). */
export function viewAt(p: Profile, at: number): View {
  const e = p.entry
  return {
    at,
    sessions: p.sessions,
    pageviews: p.pageviews,
    firstSeen: p.firstSeen,
    lastSeen: p.lastSeen,
    identified: !!p.user,
    interests: scoreAt(p.interests, [], at).scores,
    friction: p.friction,
    ...(p.nps && { nps: p.nps }),
    funnels: Object.fromEntries(Object.entries(p.funnels).map(([id, f]) => [id, f.i])),
    ...(p.device && { device: p.device }),
    ...(e?.source && { source: e.source }),
    ...(e?.medium && { medium: e.medium }),
    direct: !e?.referrer && !e?.source,
  }
}

/** Whether the profile has reached the funnel's goal. */
export function converted(p: Profile, f: { id: string; steps: number }): boolean {
  const x = p.funnels[f.id]
  return !!x && f.steps > 1 && x.i >= f.steps - 1
}

const log1p = (x: number) => Math.log1p(Math.max(0, x))

/** The commonest values (ties by name) among the views, at most `n`, each seen 5 times or more. */
function commonest(values: (string | undefined)[], n: number): string[] {
  const counts = new Map<string, number>()
  for (const v of values) if (v) counts.set(v, (counts.get(v) ?? 0) + 1)
  return [...counts]
    .filter(([, c]) => c >= 5)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, n)
    .map(([v]) => v)
}

export type Extractor = [name: string, read: (v: View) => number]

/** The features that need no vocabulary: counts, times, friction, NPS, device, funnel progress. */
function fixed(funnels: { id: string; steps: number }[]): Extractor[] {
  const out: Extractor[] = [
    // Sessions a week since the first: how often the visitor comes (a count alone mostly says
    // how long ago they arrived, which tenure says).
    ['sessions', (v) => log1p(v.sessions)],
    // Per session rather than in all: totals grow with sessions and tenure, and three counts that
    // move together share (and can flip) one another's weights.
    ['pageviewsPerSession', (v) => log1p(v.pageviews / Math.max(1, v.sessions))],
    ['identified', (v) => (v.identified ? 1 : 0)],
    ['tenureDays', (v) => log1p((v.at - v.firstSeen) / DAY)],
    ['recencyDays', (v) => log1p((v.at - v.lastSeen) / DAY)],
    ...FRICTION.map((k): Extractor => [`friction.${k}`, (v) => log1p(v.friction[k]?.n ?? 0)]),
    [
      'friction.recent',
      (v) => {
        const last = Math.max(0, ...FRICTION.map((k) => v.friction[k]?.last ?? 0))
        return last ? Math.exp(-Math.max(0, v.at - last) / DAY) : 0
      },
    ],
    // Answered, and the answer's group: each weight reads against those who did not answer
    // (a score as a number would make 'answered' mean 'answered 0').
    ['nps.answered', (v) => (v.nps ? 1 : 0)],
    ['nps.promoter', (v) => (v.nps && v.nps.score >= 9 ? 1 : 0)],
    ['nps.detractor', (v) => (v.nps && v.nps.score <= 6 ? 1 : 0)],
    ['device.mobile', (v) => (v.device === 'mobile' ? 1 : 0)],
    ['device.tablet', (v) => (v.device === 'tablet' ? 1 : 0)],
    ['entry.direct', (v) => (v.direct ? 1 : 0)],
  ]
  for (const f of funnels)
    out.push([`funnels.${f.id}`, (v) => (v.funnels[f.id] === undefined ? 0 : (v.funnels[f.id]! + 1) / f.steps)])
  return out
}

/** Every feature, with the vocabulary (sources, mediums, topics) of the views learnt from. */
export function extractors(views: View[], funnels: { id: string; steps: number }[]): Extractor[] {
  const out = fixed(funnels)
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
  for (const t of commonest(
    views.flatMap((v) => Object.keys(v.interests)),
    TOP.topics,
  ))
    out.push([`interests.${t}`, (v) => log1p(v.interests[t] ?? 0)])
  return out
}

/** Rebuilds a model's extractors from its feature names (the vocabulary is in the names). */
function extractorsOf(m: LinearModel): ((v: View) => number)[] {
  const known = new Map(fixed(m.funnels))
  return m.features.map((name) => {
    const f = known.get(name)
    if (f) return f
    const value = name.slice(name.indexOf('=') + 1)
    if (name.startsWith('entry.source=')) return (v: View) => (v.source === value ? 1 : 0)
    if (name.startsWith('entry.medium=')) return (v: View) => (v.medium === value ? 1 : 0)
    if (name.startsWith('interests.')) {
      const t = name.slice('interests.'.length)
      return (v: View) => log1p(v.interests[t] ?? 0)
    }
    return () => 0
  })
}

const round = (x: number) => Math.round(x * 1e6) / 1e6

/** The model's linear score (log-odds) of raw feature values, in the order of its features. */
export function linear(m: LinearModel, raw: number[]): number {
  let s = m.intercept
  for (let j = 0; j < raw.length; j++) s += m.weights[j]! * ((raw[j]! - m.means[j]!) / m.scales[j]!)
  return s
}

/** The model's chance for a profile as of `now`. */
export function chanceOf(m: LinearModel, p: Profile, now: number): number {
  const v = viewAt(p, now)
  return round(
    sigmoid(
      linear(
        m,
        extractorsOf(m).map((f) => f(v)),
      ),
    ),
  )
}

/** A profile's chance of reaching the model's goal within its horizon, as of `now` (1 once it has). */
export function scoreProfile(m: PropensityModel, p: Profile, now: number): number {
  const own = m.funnels.find((f) => f.id === m.funnel)
  if (own && converted(p, own)) return 1
  return chanceOf(m, p, now)
}

/** The profile with `propensity.<funnel>` for each model, as of `now` (a copy; the profile is not changed). */
export function withScores(p: Profile, models: PropensityModel[], now: number): Profile {
  if (!models.length) return p
  return { ...p, propensity: Object.fromEntries(models.map((m) => [m.funnel, scoreProfile(m, p, now)])) }
}

/** The features with the largest weights (what drives the model), for the dashboard. */
export function drivers(m: LinearModel, n = 5): { feature: string; weight: number }[] {
  return m.features
    .map((feature, j) => ({ feature, weight: m.weights[j]! }))
    .sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight))
    .slice(0, n)
}
