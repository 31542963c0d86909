/**
 * One clock: the profile is built from the events' own times, so the same events give the same
 * profile whatever order their batches arrive in and however late (a late outbox, a retry, a
 * backfill). Pure: the domain functions the visitor's shard runs.
 */
import { describe, expect, it } from 'vitest'
import { applyEvents, profileEvent, type Profile, type ProfileEvent } from '../../edge/domain/profile'
import { prepareEvents } from '../../edge/domain/ingest'
import { segmentsOf } from '../../edge/domain/segments'
import type { SegmentConfig, WireEvent } from '../../snippet/contract/wire'
import { random } from './helpers'

const DAY = 86_400_000
const HOUR = 3_600_000
const START = 1_800_000_000_000
const SHOP = 'https://shop.example'
const TOPICS = ['pricing', 'docs', 'blog', 'careers']
const TYPES = ['pageview', 'pageview', 'click', 'track', 'rage_click', 'stall', 'step', 'slot_shown', 'form']
const spec = {
  funnels: [{ id: 'onboarding', steps: ['account', 'profile', 'invite', 'done'] }],
  experiments: [{ slot: 'hero', id: 'hero-1', goal: { type: 'track', name: 'signup' }, windowMs: 2 * DAY, holdout: 0 }],
}
const FORMS = ['signup', 'contact']

const SEGMENTS: SegmentConfig[] = [
  { id: 'returning', rule: { field: 'sessions', op: 'gte', value: 3 } },
  { id: 'pricing-curious', rule: { field: 'interests.pricing', op: 'gte', value: 3 } },
  { id: 'docs-reader', rule: { field: 'interests.docs', op: 'gte', value: 2 } },
  { id: 'active-week', rule: { field: 'lastSeen', op: 'within', value: 7 } },
  { id: 'new-fortnight', rule: { field: 'firstSeen', op: 'within', value: 14 } },
  { id: 'stalled', rule: { field: 'friction.stall.last', op: 'within', value: 5 } },
  { id: 'left-a-form', rule: { field: 'friction.abandon.last', op: 'within', value: 10 } },
  { id: 'saw-pricing-hero', rule: { field: 'exp.hero', op: 'eq', value: 'pricing' } },
]

/** What a page sends: a session's events by its own clock, and the clock's offset from ours. */
interface Sent {
  session: string
  events: WireEvent[]
  /** The page's clock minus ours. */
  skew: number
  /** When the page sent the batch (our clock), ahead of any delay. */
  at: number
}

/** A visitor's sessions over several weeks, each a batch or two. */
function visitorBatches(rand: () => number, id: number): Sent[] {
  const out: Sent[] = []
  let t = START + Math.round(rand() * DAY)
  const sessions = 3 + Math.floor(rand() * 8)
  let n = 0
  const submits: string[] = []
  for (let s = 0; s < sessions; s++) {
    const skew = Math.round((rand() - 0.5) * 2 * HOUR)
    const parts = 1 + Math.floor(rand() * 2)
    for (let b = 0; b < parts; b++) {
      const events: WireEvent[] = []
      // Forms left in an earlier batch and submitted on coming back: this batch sends the submit.
      for (const form of submits.splice(0)) {
        t += Math.round(rand() * 60_000)
        events.push({
          id: `v${id}-e${n++}`,
          type: 'form_submit',
          ts: t + skew,
          url: `${SHOP}/${form}`,
          props: { form },
        })
      }
      const count = 1 + Math.floor(rand() * 6)
      for (let k = 0; k < count; k++) {
        t += Math.round(rand() * 5 * 60_000)
        const type = TYPES[Math.floor(rand() * TYPES.length)]!
        const topics = TOPICS.filter(() => rand() < 0.35)
        const url = `https://shop.example/${TOPICS[n % 4]}?utm_source=s${n}`
        const e: WireEvent = { id: `v${id}-e${n++}`, type, ts: t + skew, url }
        if (type === 'step')
          ((e.name = 'onboarding'), (e.props = { step: spec.funnels[0]!.steps[Math.floor(rand() * 4)]! }))
        else if (type === 'track' && rand() < 0.5) e.name = 'signup'
        else if (type === 'slot_shown')
          // Before a visitor's variant is pinned, pages may be shown either (an adaptive allocation).
          e.props = { slot: 'hero', variant: rand() < 0.5 ? 'pricing' : 'integrations', exp: 'hero-1' }
        else if (type === 'form') {
          // A form left when the tab was hidden, and sometimes submitted on coming back.
          const form = FORMS[Math.floor(rand() * 2)]!
          ;((e.type = 'form_abandon'), (e.url = `${SHOP}/${form}`), (e.props = { form, fields: ['email'] }))
          if (rand() < 0.5) submits.push(form)
        } else if (topics.length) e.props = { topics }
        events.push(e)
      }
      out.push({ session: `v${id}-s${s}`, events, skew, at: t + 1000 })
    }
    // The next visit: hours to days later (several weeks in all).
    t += Math.round((2 + rand() * 70) * HOUR)
  }
  return out
}

/** The events the shard would apply for a batch received at `receivedAt` (corrected as ingest does). */
const received = (b: Sent, receivedAt: number): ProfileEvent[] =>
  prepareEvents({ events: b.events, sentAt: b.at + b.skew + (receivedAt - b.at) }, receivedAt, false).map(profileEvent)

function apply(batches: { b: Sent; receivedAt: number }[]): Profile {
  let p: Profile | null = null
  for (const { b, receivedAt } of batches) p = applyEvents(p, received(b, receivedAt), b.session, receivedAt, spec)
  return p!
}

/** The facts that must not depend on arrival: interests to 0.01 (their rounding), segments at a fixed `now`. */
function facts(p: Profile, now: number) {
  return {
    firstSeen: p.firstSeen,
    lastSeen: p.lastSeen,
    sessions: p.sessions,
    lastSession: p.lastSession,
    events: p.events,
    pageviews: p.pageviews,
    entry: p.entry,
    funnel: p.funnels.onboarding && { ...p.funnels.onboarding },
    friction: p.friction,
    exposure: p.exp.hero,
    segments: segmentsOf(SEGMENTS, p, now),
  }
}

function interestsAt(p: Profile, now: number) {
  const d = 0.5 ** ((now - p.interests.at) / (7 * DAY))
  return Object.fromEntries(TOPICS.map((t) => [t, (p.interests.scores[t] ?? 0) * d]))
}

describe('the profile keeps one clock: the events’ own', () => {
  it('comes out the same whatever order and delay the same batches arrive in', () => {
    const rand = random(23)
    for (let v = 0; v < 60; v++) {
      const batches = visitorBatches(rand, v)
      const end = batches[batches.length - 1]!.at
      const now = end + DAY
      const onTime = apply(batches.map((b) => ({ b, receivedAt: b.at + 200 })))
      // A late outbox: each batch held back for up to ten days (the page sends it on a later
      // visit, with its send time then), and the batches arriving shuffled.
      const late = batches
        .map((b) => ({ b, receivedAt: b.at + Math.round(rand() < 0.5 ? rand() * 10 * DAY : rand() * 3 * HOUR) }))
        .sort(() => rand() - 0.5)
      const shuffled = apply(late)
      expect(facts(shuffled, now), `visitor ${v}`).toEqual(facts(onTime, now))
      const a = interestsAt(shuffled, now)
      const b = interestsAt(onTime, now)
      for (const t of TOPICS) expect(Math.abs(a[t]! - b[t]!), `visitor ${v}, ${t}`).toBeLessThan(0.01)
      // The times are the events' (corrected) times, never an arrival.
      const times = batches.flatMap((b) => b.events.map((e) => e.ts - b.skew))
      expect(onTime.firstSeen).toBe(Math.min(...times))
      expect(onTime.lastSeen).toBe(Math.max(...times))
      expect(onTime.sessions).toBe(new Set(batches.map((b) => b.session)).size)
    }
  })
})
