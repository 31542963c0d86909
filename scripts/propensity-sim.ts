/**
 * A simulated demo SaaS for the prediction models (`npm run propensity`, and the unit tests that
 * bound what the models may find): visitors arrive over `days`, come back session after
 * session, browse, rage-click, answer NPS and go through onboarding (account → workspace →
 * invite → done). Seeded: the same options give the same events.
 *
 * With intent (the default), each visitor has a hidden intent that makes them come back more
 * often and stay longer, browse more, rage-click less, answer NPS more and more kindly, come from
 * the newsletter more often and pass each onboarding step more readily (less so on a phone).
 *
 * Without intent (`intent: false`), every visitor is alike and nothing they did tells what they
 * will do: sessions come at one steady rate for everyone and nobody leaves, each session's step
 * is a coin toss among the steps before the goal, and the goal a coin toss of its own. A model
 * measured forward on this site can find nothing: an AUC away from 0.5 would be a leak.
 */
import type { HistoryEvent } from '../edge/domain/forward'

export const SIM_FUNNEL = { id: 'onboarding', steps: ['account', 'workspace', 'invite', 'done'] }
const DAY = 86_400_000
/** The simulated site's last moment (fixed, so that every run is the same). */
export const SIM_END = Date.UTC(2026, 11, 1)

export interface SimOptions {
  visitors: number
  seed: number
  /** Whether visitors have a hidden intent (false: steps and the goal are coin tosses). */
  intent: boolean
  /** Days the site runs, ending at `end` (default SIM_END). */
  days: number
  end?: number
}

/** A small seeded generator (mulberry32), with the draws the simulation needs. */
function random(seed: number) {
  let a = seed | 0
  const next = () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const normal = () => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next())
  const poisson = (l: number) => {
    let k = 0
    for (let p = next(), e = Math.exp(-l); p > e; p *= next()) k++
    return k
  }
  const exponential = (rate: number) => -Math.log(1 - next()) / rate
  return { next, normal, poisson, exponential }
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z))

/** Each visitor's events, in time order. */
export function simulateSite(o: SimOptions): { id: string; events: HistoryEvent[] }[] {
  const r = random(o.seed)
  const end = o.end ?? SIM_END
  const start = end - o.days * DAY
  const steps = SIM_FUNNEL.steps
  const out: { id: string; events: HistoryEvent[] }[] = []
  for (let v = 0; v < o.visitors; v++) {
    const id = `v${v}`
    const intent = o.intent ? r.normal() : 0
    const mobile = r.next() < 0.35
    const source = r.next() < sigmoid(intent - 1.5) ? 'newsletter' : r.next() < 0.3 ? 'ads' : ''
    // Sessions per day: 1 a fortnight on average, more with intent.
    const rate = 0.07 * Math.exp(intent)
    const events: HistoryEvent[] = []
    let n = 0
    let reached = -1
    let at = start + r.next() * o.days * DAY
    for (let s = 0; at < end; s++) {
      const session = `${id}-s${s}`
      const ev = (type: string, props: HistoryEvent['props'] = {}, name?: string, url = 'https://demo.example/') => {
        at += 20_000 + r.next() * 60_000
        events.push({ id: `${id}-${++n}`, session, type, ts: Math.round(at), url, props, flags: mobile ? 16 : 0, name })
      }
      const views = 1 + r.poisson(Math.max(0.5, 2 + 0.6 * intent))
      for (let i = 0; i < views; i++) {
        const landing = s === 0 && i === 0 && source ? `?utm_source=${source}` : ''
        ev(
          'pageview',
          { topics: r.next() < sigmoid(-1 + intent) ? ['pricing'] : ['docs'] },
          undefined,
          `https://demo.example/${landing}`,
        )
        if (r.next() < sigmoid(-2.5 - intent + (mobile && o.intent ? 0.8 : 0))) ev('rage_click', { text: 'Save' })
      }
      if (o.intent) {
        // Each session may take the visitor a step or two further (harder on a phone).
        while (reached < steps.length - 1 && r.next() < sigmoid(0.9 * intent - 0.5 - (mobile ? 0.5 : 0))) {
          reached++
          ev('step', { step: steps[reached]! }, 'onboarding')
          if (reached === 0) ev('identify', {}, `user-${v}`)
          if (r.next() < 0.5) break
        }
      } else {
        if (r.next() < 0.3) {
          const k = Math.floor(r.next() * (steps.length - 1))
          ev('step', { step: steps[k]! }, 'onboarding')
          if (k === 0) ev('identify', {}, `user-${v}`)
        }
        if (r.next() < 0.06) ev('step', { step: steps[steps.length - 1]! }, 'onboarding')
      }
      if (r.next() < sigmoid(-2.5 + 0.8 * intent))
        ev('survey_answer', {
          kind: 'nps',
          score: Math.max(0, Math.min(10, Math.round(o.intent ? 7 + 1.5 * intent + r.normal() : r.next() * 11 - 0.5))),
        })
      // With intent, visitors of little intent leave sooner; without, nobody leaves.
      if (o.intent && r.next() < sigmoid(-1.5 - intent)) break
      at += r.exponential(rate) * DAY
    }
    out.push({ id, events: events.filter((e) => e.ts < end) })
  }
  return out
}
