/**
 * One count: a visitor "in a period" is one thing in every view. Over a seeded site (visitors on
 * phones and desktops over four weeks, batches arriving out of order, a crawler, a visitor seen
 * once by a crawler's user agent, forged survey answers), for each period and filter the
 * overview, the trends, the visitors list, the personalisation insight (segment sizes, their
 * denominator, experiment exposures), the settings' live count, funnels' entries and the
 * segment used as a filter all give the same numbers, and the numbers the seed says.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { SELF, env } from 'cloudflare:test'
import {
  ADMIN,
  batch,
  drained,
  emptyDb,
  event,
  givenSite,
  post,
  random,
  runJob,
  DESKTOP,
  PHONE,
  CRAWLER,
} from './helpers'
import { signOffer } from '../../edge/domain/offers'
import { siteSecret } from '../../edge/store/sites'
import { assign } from '../../edge/domain/experiments'
import type { ExperimentConfig, SiteConfig, WireEvent } from '../../snippet/contract/wire'

const DAY = 86_400_000
const MIN = 60_000
const SHOP = 'https://shop.example'

const experiment: ExperimentConfig = {
  id: 'hero-1',
  variants: ['pricing', 'integrations'],
  goal: { type: 'track', name: 'signup' },
}
const SEGMENTS = ['pricing-curious', 'returning', 'active-week', 'detractors', 'onboarding'] as const
const config: SiteConfig = {
  segments: [
    { id: 'pricing-curious', rule: { field: 'interests.pricing', op: 'gte', value: 2 } },
    { id: 'returning', rule: { field: 'sessions', op: 'gte', value: 2 } },
    { id: 'active-week', rule: { field: 'lastSeen', op: 'within', value: 7 } },
    { id: 'detractors', rule: { field: 'nps.group', op: 'eq', value: 'detractor' } },
    { id: 'onboarding', rule: { field: 'funnels.onboarding', op: 'gte', value: 1 } },
  ],
  funnels: [{ id: 'onboarding', steps: [{ id: 'account' }, { id: 'workspace' }, { id: 'done' }] }],
  slots: [{ id: 'hero', experiment }],
  surveys: [{ id: 'nps', kind: 'nps', question: 'How likely are you to recommend us?' }],
}

/** What the seed knows of a visitor: what a person did (by our clock), and on which device. */
interface Truth {
  id: string
  phone: boolean
  /** Times of events sent from a person's browser. */
  human: number[]
  sessions: number
  steps: number[]
  exposures: number[]
  /** Signed NPS answers: [time, score]. */
  answers: [number, number][]
}

interface Sent {
  visitor: string
  session: string
  headers: Record<string, string>
  events: WireEvent[]
}

const now = Date.now()
const today = Math.floor(now / DAY) * DAY
/** The first moment of a period of `days` asked for now (a test may run past midnight). */
const from = (days: number) => Math.floor(Date.now() / DAY) * DAY - (days - 1) * DAY

/** A time `d` days before today, `rand` through that day, at least a minute from midnight and from now. */
function timeOn(d: number, rand: () => number): number | null {
  const start = today - d * DAY + MIN
  const end = Math.min(today - d * DAY + DAY - MIN, now - MIN)
  return end > start ? start + Math.floor(rand() * (end - start)) : null
}

async function seed(): Promise<{ truths: Truth[]; sent: Sent[] }> {
  const rand = random(2323)
  const secret = (await siteSecret(env.DB, 'acme'))!
  const truths: Truth[] = []
  const sent: Sent[] = []
  for (let i = 0; i < 36; i++) {
    const id = `v${i}`
    const t: Truth = { id, phone: i % 3 === 0, human: [], sessions: 0, steps: [], exposures: [], answers: [] }
    truths.push(t)
    const variant = assign(experiment, id, 'hero').variant
    const days = new Set<number>()
    const visits = 1 + Math.floor(rand() * 4)
    // Some visit today, most within the month (a batch may be dated up to 30 days back).
    for (let k = 0; k < visits; k++) days.add(k === 0 && i % 4 === 0 ? 0 : Math.floor(rand() * 26))
    for (const d of days) {
      const events: WireEvent[] = []
      let at = timeOn(d, rand)
      if (at === null) continue
      const pages = 1 + Math.floor(rand() * 4)
      for (let p = 0; p < pages && at < now - MIN; p++, at += Math.floor(rand() * 60_000)) {
        const pricing = rand() < 0.45
        events.push(
          event({
            url: `${SHOP}${pricing ? '/pricing' : '/docs'}`,
            ts: at,
            props: pricing ? { topics: ['pricing'] } : {},
          }),
        )
        if (p === 0 && rand() < 0.4) {
          events.push(event({ type: 'slot_shown', ts: at, props: { slot: 'hero', variant, exp: experiment.id } }))
          t.exposures.push(at)
        }
        if (p === 0 && rand() < 0.35) {
          events.push(event({ type: 'step', name: 'onboarding', ts: at, props: { step: 'account' } }))
          t.steps.push(at)
        }
        if (rand() < 0.1) events.push(event({ type: 'track', name: 'signup', ts: at }))
      }
      if (!events.length) continue
      // An NPS answer with the worker's signed offer (once per visitor: one per offer counts).
      if (!t.answers.length && rand() < 0.3) {
        const score = Math.floor(rand() * 11)
        const hash = await signOffer(secret, 'acme', 'nps', id, now)
        events.push(event({ type: 'survey_answer', name: 'nps', ts: at, props: { kind: 'nps', score }, hash }))
        t.answers.push([at, score])
      }
      t.human.push(...events.map((e) => e.ts))
      t.sessions++
      sent.push({ visitor: id, session: `${id}-s${d}`, headers: t.phone ? PHONE : DESKTOP, events })
    }
  }
  // Forged answers (no signed offer): a script posting a 0 for visitors who never answered.
  for (const t of truths.filter((t) => !t.answers.length && t.human.length).slice(0, 4)) {
    const ts = Math.max(...t.human)
    sent.push({
      visitor: t.id,
      session: `${t.id}-forged`,
      headers: t.phone ? PHONE : DESKTOP,
      events: [event({ type: 'survey_answer', name: 'nps', ts, props: { kind: 'nps', score: 0 } })],
    })
    t.human.push(ts)
    t.sessions++
  }
  // A crawler, on the pricing page and shown the experiment today and last week.
  for (const d of [0, 6]) {
    const ts = timeOn(d, rand)
    if (ts === null) continue
    sent.push({
      visitor: 'crawler',
      session: `crawler-${d}`,
      headers: CRAWLER,
      events: [
        event({ url: `${SHOP}/pricing`, ts, props: { topics: ['pricing'] } }),
        event({ type: 'slot_shown', ts, props: { slot: 'hero', variant: 'pricing', exp: experiment.id } }),
        event({ type: 'step', name: 'onboarding', ts, props: { step: 'account' } }),
      ],
    })
  }
  // A person whose id was once also sent with a crawler's user agent (a prerender, say): their
  // own visits count, the crawler's events do not.
  const mixed: Truth = { id: 'mixed', phone: false, human: [], sessions: 2, steps: [], exposures: [], answers: [] }
  const prerender = timeOn(3, rand)!
  const own = timeOn(2, rand)!
  sent.push({
    visitor: 'mixed',
    session: 'mixed-bot',
    headers: CRAWLER,
    events: [event({ url: `${SHOP}/docs`, ts: prerender })],
  })
  sent.push({
    visitor: 'mixed',
    session: 'mixed-own',
    headers: DESKTOP,
    events: [
      event({ url: `${SHOP}/pricing`, ts: own, props: { topics: ['pricing'] } }),
      event({ url: `${SHOP}/pricing`, ts: own + 1000, props: { topics: ['pricing'] } }),
    ],
  })
  mixed.human.push(own, own + 1000)
  truths.push(mixed)
  return { truths, sent }
}

const get = async (path: string) => {
  const r = await SELF.fetch(`https://edge.example${path}`, { headers: ADMIN })
  expect(r.status, path).toBe(200)
  return (await r.json()) as any
}
const insight = (name: string, days: number, q: string) => get(`/v1/insights/${name}?site=acme&days=${days}${q}`)
const visitorsTrend = (t: any) => t.metrics.find((m: any) => m.id === 'visitors').total.current
const exposed = (p: any) => {
  const x = p.experiments[0]
  return x.arms.reduce((n: number, a: any) => n + a.exposed, 0) + (x.holdout?.exposed ?? 0)
}
const liveCount = async (days: number, rule: unknown) => {
  const r = await SELF.fetch(`https://edge.example/v1/admin/sites/acme/segments/count?days=${days}`, {
    method: 'POST',
    headers: { ...ADMIN, 'content-type': 'application/json' },
    body: JSON.stringify({ rule }),
  })
  expect(r.status).toBe(200)
  return (await r.json()) as any
}

let truths: Truth[] = []

beforeAll(async () => {
  await emptyDb()
  await givenSite('acme', config)
  const s = await seed()
  truths = s.truths
  // Batches arrive in no particular order (a late outbox, retries): the same site either way.
  const order = s.sent.map((b, i) => ({ b, k: (i * 7919) % s.sent.length })).sort((a, b) => a.k - b.k)
  for (const { b } of order) {
    const r = await post('/v1/events', batch(b.events, { visitor: b.visitor, session: b.session }), b.headers)
    expect(r.status).toBe(200)
  }
  await drained()
  // The hourly job rolls up the closed days: those come from rollups, today from raw events.
  await runJob(now)
  await drained()
}, 120_000)

describe('a visitor in a period is one thing in every view', () => {
  for (const days of [1, 7, 30]) {
    for (const filter of ['', '&device=mobile', '&visitor=returning', '&referrer=direct']) {
      it(`agrees across views for days=${days}${filter || ' (everyone)'}`, async () => {
        const start = from(days)
        const inPeriod = (ts: number) => ts >= start && ts <= now
        const people = truths.filter(
          (t) => t.human.some(inPeriod) && (filter !== '&device=mobile' || t.phone) && t.id !== 'crawler',
        )
        const [overview, trends, list, personal] = await Promise.all([
          insight('overview', days, filter),
          insight('trends', days, filter),
          insight('visitors', days, `${filter}&limit=500`),
          insight('personalisation', days, filter),
        ])
        const n = overview.visitors
        if (days > 1) expect(n).toBeGreaterThan(0)
        if (filter === '' || filter === '&device=mobile') expect(n, 'overview against the seed').toBe(people.length)
        expect(visitorsTrend(trends), 'trends').toBe(n)
        expect(list.visitors.length, 'visitors list').toBe(n)
        expect(list.visitors.map((v: any) => v.id)).not.toContain('crawler')
        // The denominator of "N of M visitors" is the period's visitors.
        expect(personal.visitors, 'personalisation: the period’s visitors').toBe(n)
        expect(personal.visitorsCounted, 'personalisation: profiles counted').toBe(n)
        if (!filter) {
          const all = await liveCount(days, { field: 'sessions', op: 'gte', value: 1 })
          expect([all.visitors, all.counted], 'settings: live count').toEqual([n, n])
          // Exposures: visitors first exposed (by the event's own time) in the period.
          expect(exposed(personal), 'exposures').toBe(
            people.filter((t) => t.exposures.length && inPeriod(Math.min(...t.exposures))).length,
          )
        }
        for (const id of SEGMENTS) {
          const size = personal.segments.find((s: any) => s.id === id).visitors
          const q = `${filter}&segment=${id}`
          const [o, tr, l, f, p] = await Promise.all([
            insight('overview', days, q),
            insight('trends', days, q),
            insight('visitors', days, `${q}&limit=500`),
            insight('funnels', days, q),
            insight('personalisation', days, q),
          ])
          const what = `${id}, days=${days}${filter}`
          expect(o.visitors, `overview: ${what}`).toBe(size)
          expect(visitorsTrend(tr), `trends: ${what}`).toBe(size)
          expect(l.visitors.length, `visitors list: ${what}`).toBe(size)
          expect(p.visitors, `personalisation under the segment: ${what}`).toBe(size)
          const members = new Set(l.visitors.map((v: any) => v.id as string))
          const known = truths.filter((t) => members.has(t.id))
          expect(known.length, `members are seeded people: ${what}`).toBe(size)
          // Funnel entries: members who did the first step in the period.
          expect(f.funnels[0].steps[0].visitors, `funnel entries: ${what}`).toBe(
            known.filter((t) => t.steps.some(inPeriod)).length,
          )
          expect(exposed(p), `exposures: ${what}`).toBe(
            known.filter((t) => t.exposures.length && inPeriod(Math.min(...t.exposures))).length,
          )
          if (!filter) {
            const live = await liveCount(days, { segment: id })
            expect([live.visitors, live.counted], `settings: ${what}`).toEqual([size, n])
          }
          // Segments the seed can judge alone, at the period's end (now).
          const truth = {
            returning: (t: Truth) => t.sessions >= 2,
            'active-week': (t: Truth) => Math.max(...t.human) >= now - 7 * DAY,
            // Only answers with a signed offer count (forged 0s are left out, as NPS leaves them).
            detractors: (t: Truth) => t.answers.length > 0 && t.answers[0]![1] <= 6,
          }[id as string]
          if (truth && (filter === '' || filter === '&device=mobile'))
            expect(size, `segment against the seed: ${what}`).toBe(people.filter(truth).length)
        }
      })
    }
  }
})
