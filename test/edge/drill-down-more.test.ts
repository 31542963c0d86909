/**
 * More numbers open the visitors behind them: each point of every trend (Visitors, Sessions,
 * Pageviews, Friction, a funnel completed, NPS), each row of a breakdown (and its "other", and the
 * event's own total, as a custom event's row counts it), each cell of the retention triangle, and
 * each entry page. `GET /v1/insights/visitors` with the number's own query lists exactly the
 * visitors it counts (`total`), and where the number counts something else (sessions, pageviews,
 * friction signals, answers, events) what they did adds up to it (`measure`). Over a seeded site:
 * visitors on phones and desktops over 25 days, in two languages, rolled-up days and today's raw
 * events, and a crawler counted nowhere.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { env } from 'cloudflare:test'
import { event, random } from './helpers'
import { DAY, MIN, allPages, crawl, expectRefused, get, seeded, send, visitTime } from './drill'
import { signOffer } from '../../edge/domain/offers'
import { siteSecret } from '../../edge/store/sites'
import type { SiteConfig, WireEvent } from '../../snippet/contract/wire'

const STEPS = ['account', 'workspace', 'done'] as const
const config: SiteConfig = {
  funnels: [{ id: 'onboarding', steps: STEPS.map((id) => ({ id })) }],
  segments: [{ id: 'returning', rule: { field: 'sessions', op: 'gte', value: 2 } }],
  surveys: [{ id: 'voice', questions: [{ id: 'score', type: 'nps', text: 'How likely are you to recommend us?' }] }],
}
const REFS = ['https://www.google.com/search', 'https://news.example/issue-4', '']
const FILTERS = ['', '&device=mobile', '&segment=returning', '&referrer=google.com']

const now = Date.now()
const today = Math.floor(now / DAY) * DAY
const from = (days: number) => today - (days - 1) * DAY

/** Everything the seed sent of each visitor (people only): each event's type, time and session, and what it was of. */
const truths: {
  id: string
  phone: boolean
  events: { type: string; ts: number; session: string; page?: string; step?: string; entry?: boolean }[]
}[] = []

/** People over 25 days (some on phones, half in Polish), and a crawler. */
async function seed() {
  const secret = (await siteSecret(env.DB, 'acme'))!
  const rand = random(2728)
  for (let i = 0; i < 36; i++) {
    const id = `v${String(i).padStart(2, '0')}`
    const t = { id, phone: i % 3 === 0, events: [] as (typeof truths)[number]['events'] }
    truths.push(t)
    const visits = 1 + Math.floor(rand() * 3)
    for (let k = 0; k < visits; k++) {
      const time = visitTime(rand, i, k, 25, now)
      if (!time) continue
      const { d, at } = time
      const session = `${id}-${d}-${k}`
      const entry = (i + k) % 2 ? '/pricing' : '/onboarding'
      const ref = REFS[(i + k) % REFS.length]!
      const sent: WireEvent[] = [event({ ts: at, url: `https://shop.example${entry}`, props: { ref } })]
      t.events.push({ type: 'pageview', ts: at, session, page: entry, entry: true })
      for (const [j, step] of STEPS.entries()) {
        if (rand() > 0.75 - j * 0.1) break
        sent.push(event({ type: 'step', name: 'onboarding', ts: at + 100 + j, props: { step } }))
        t.events.push({ type: 'step', ts: at + 100 + j, session, step })
      }
      if (rand() < 0.5) {
        const page = `/projects/${100 + i}`
        sent.push(event({ ts: at + 1000, url: `https://shop.example${page}` }))
        t.events.push({ type: 'pageview', ts: at + 1000, session, page: '/projects/:id' })
      }
      // Friction: a rage click, sometimes two dead clicks as well.
      if (rand() < 0.4) {
        const clicks = rand() < 0.5 ? ['rage_click'] : ['rage_click', 'dead_click', 'dead_click']
        for (const [j, type] of clicks.entries()) {
          sent.push(event({ type, ts: at + 2000 + j, props: { tag: 'button', path: 'main>button' } }))
          t.events.push({ type, ts: at + 2000 + j, session })
        }
      }
      // An NPS answer, once per visitor (a second one to the same survey would not count).
      if (rand() < 0.4 && !t.events.some((e) => e.type === 'survey_answer')) {
        const ts = at + 3000
        sent.push(
          event({
            type: 'survey_answer',
            name: 'voice',
            ts,
            props: { q: 'score', kind: 'nps', score: Math.floor(rand() * 11), lang: 'en' },
            hash: await signOffer(secret, 'acme', 'voice', id, now),
          }),
        )
        t.events.push({ type: 'survey_answer', ts, session })
      }
      if (rand() < 0.5) {
        const plan = ['free', 'pro', 'team'][Math.floor(rand() * 3)]!
        sent.push(event({ type: 'track', name: 'signup', ts: at + 4000, props: { plan } }))
        t.events.push({ type: 'track', ts: at + 4000, session })
      }
      const headers = { 'accept-language': i % 2 ? 'pl-PL,pl;q=0.9' : 'en-GB' }
      await send(sent, { visitor: id, session }, { phone: t.phone, headers })
    }
  }
  // A crawler through the funnel with a rage click.
  await crawl([
    event({ ts: now - 2 * MIN, url: 'https://shop.example/pricing' }),
    ...STEPS.map((step, j) => event({ type: 'step', name: 'onboarding', ts: now - MIN + j, props: { step } })),
    event({ type: 'rage_click', ts: now - MIN + 10, props: { tag: 'button' } }),
  ])
}

beforeAll(() => seeded(config, now, seed), 120_000)

/** What each trend counts of the seed's events in [a, b): who, and how many (sessions, events). */
const TRENDS: Record<string, (e: (typeof truths)[number]['events'][number]) => boolean> = {
  visitors: () => true,
  sessions: () => true,
  pageviews: (e) => e.type === 'pageview',
  friction: (e) => e.type === 'rage_click' || e.type === 'dead_click',
  'funnel:onboarding': (e) => e.type === 'step' && e.step === 'done',
  nps: (e) => e.type === 'survey_answer',
}

describe('the visitors behind more numbers', () => {
  for (const [days, filters] of [
    [1, ['', '&referrer=google.com']],
    [7, FILTERS],
    [30, ['']],
  ] as const)
    for (const filter of filters)
      it(`each point of every trend opens the visitors behind it (days=${days}${filter})`, async () => {
        const t = await get(`/v1/insights/trends?site=acme&days=${days}${filter}`)
        expect(t.metrics.map((m: any) => m.id)).toEqual([
          'visitors',
          'sessions',
          'pageviews',
          'funnel:onboarding',
          'friction',
          'nps',
        ])
        const listed: Record<string, number> = {}
        for (const m of t.metrics) {
          listed[m.id] = 0
          for (const [i, point] of (m.current as (number | null)[]).entries()) {
            // An hour to come, or none: nothing to click.
            if (point === null || (point === 0 && m.id !== 'nps')) continue
            const bucket = t.start + i * t.size
            const metric = m.id === 'visitors' ? '' : `&metric=${m.id}`
            const list = await allPages(`&days=${days}${filter}&bucket=${bucket}${metric}`)
            const what = `${m.id} at ${i}`
            // The seed's truth: the visitors with such an event in the bucket, and those events.
            const events = truths.flatMap((v) =>
              v.events
                .filter((e) => e.ts >= bucket && e.ts < bucket + t.size && TRENDS[m.id]!(e))
                .map((e) => ({ ...e, visitor: v.id, phone: v.phone })),
            )
            const mine = events.filter((e) => filter === '' || (filter === '&device=mobile' && e.phone))
            const seed = filter === '' || filter === '&device=mobile'
            if (m.id === 'visitors' || m.id === 'funnel:onboarding') {
              expect(list.totals, what).toEqual([point])
              expect(list.measures, what).toEqual([null])
            } else if (m.id === 'nps') {
              // A point is a score: the list is who answered, and their answers are the seed's.
              if (seed) expect(list.measures, what).toEqual([mine.length])
              expect(list.totals[0], what).toBeGreaterThan(0)
            } else {
              // Sessions, pageviews, signals: each listed visitor's add up to the point.
              expect(list.measures, what).toEqual([point])
              if (seed && m.id === 'sessions') expect(point, what).toBe(new Set(mine.map((e) => e.session)).size)
            }
            if (seed)
              expect(list.ids, `${what} against the seed`).toEqual([...new Set(mine.map((e) => e.visitor))].sort())
            listed[m.id] += list.totals[0]!
          }
        }
        if (filter === '' && days > 1)
          for (const id of Object.keys(listed)) expect(listed[id], `${id} listed`).toBeGreaterThan(0)
      }, 120_000)

  const ASKS = [
    'event=pageview&by=page&top=2',
    'event=pageview&by=source&top=1',
    'event=pageview&by=segment',
    'event=pageview&by=language&top=1',
    'event=track:signup&by=prop:plan&top=2',
    'event=track:signup&by=page',
    'event=rage_click&by=device&top=1',
  ]
  for (const days of [1, 7, 30])
    for (const filter of ['', '&device=mobile', '&segment=returning'])
      it(`each row of a breakdown, its "other" and its total open their visitors (days=${days}${filter})`, async () => {
        let rows = 0
        for (const ask of ASKS) {
          const b = await get(`/v1/insights/breakdown?site=acme&days=${days}${filter}&${ask}`)
          const q = `&days=${days}${filter}&${ask}`
          for (const row of b.values) {
            const list = await allPages(`${q}&value=${encodeURIComponent(row.value)}`, ask === ASKS[0] ? 7 : 200)
            expect([list.totals, list.measures], `${ask} ${row.value}`).toEqual([[row.visitors], [row.events]])
            rows++
          }
          if (b.other) {
            const list = await allPages(`${q}&other=1`, ask === ASKS[0] ? 7 : 200)
            expect([list.totals, list.measures], `${ask} other`).toEqual([[b.other.visitors], [b.other.events]])
          }
          // The event's own visitors: the breakdown's total.
          const all = await allPages(`&days=${days}${filter}&event=${ask.split('&')[0]!.slice('event='.length)}`)
          expect([all.totals, all.measures], `${ask} total`).toEqual([[b.total.visitors], [b.total.events]])
        }
        if (days > 1 && filter !== '&segment=returning') expect(rows).toBeGreaterThan(ASKS.length)
        // Against the seed: who viewed /pricing.
        if (filter === '') {
          const pricing = await allPages(`&days=${days}&event=pageview&by=page&value=/pricing`)
          expect(pricing.ids).toEqual(
            truths
              .filter((v) => v.events.some((e) => e.page === '/pricing' && e.ts >= from(days)))
              .map((v) => v.id)
              .sort(),
          )
        }
      }, 120_000)

  for (const days of [7, 30])
    for (const filter of ['', '&device=mobile', '&referrer=google.com'])
      it(`each custom event and entry page opens its visitors (days=${days}${filter})`, async () => {
        const [events, pages] = await Promise.all([
          get(`/v1/insights/events?site=acme&days=${days}${filter}`),
          get(`/v1/insights/pages?site=acme&days=${days}${filter}`),
        ])
        expect(events.events.map((e: any) => e.name)).toEqual(['signup'])
        for (const e of events.events) {
          const list = await allPages(`&days=${days}${filter}&event=track:${e.name}`, 5)
          expect([list.totals, list.measures], e.name).toEqual([[e.visitors], [e.events]])
        }
        expect(pages.entries.length).toBeGreaterThan(0)
        for (const row of pages.entries) {
          const list = await allPages(`&days=${days}${filter}&entry=${encodeURIComponent(row.page)}`, 5)
          expect([list.totals, list.measures], row.page).toEqual([[row.visitors], [row.sessions]])
          if (filter === '')
            expect(list.ids, `${row.page} against the seed`).toEqual(
              truths
                .filter((v) => v.events.some((e) => e.entry && e.page === row.page && e.ts >= from(days)))
                .map((v) => v.id)
                .sort(),
            )
        }
      }, 60_000)

  for (const [weeks, filters] of [
    [4, ['', '&device=mobile', '&segment=returning']],
    [8, ['']],
  ] as const)
    for (const returning of ['', '&event=track:signup'])
      for (const filter of filters)
        it(`each cell of the retention triangle opens its visitors (weeks=${weeks}${returning}${filter})`, async () => {
          const r = await get(`/v1/insights/retention?site=acme&weeks=${weeks}${returning}${filter}`)
          let cells = 0
          for (const c of r.cohorts) {
            const q = `&weeks=${weeks}${returning}${filter}&cohort=${c.start}`
            const size = await allPages(q, weeks === 4 ? 6 : 200)
            expect(size.totals, `cohort ${c.start}`).toEqual([c.visitors])
            if (filter === '')
              // The seed's truth: first seen (ever) in the cohort's week.
              expect(size.ids, `cohort ${c.start} against the seed`).toEqual(
                truths
                  .filter((v) => {
                    const first = Math.min(...v.events.map((e) => e.ts))
                    return first >= c.start && first < c.start + 7 * DAY
                  })
                  .map((v) => v.id)
                  .sort(),
              )
            for (const [k, n] of (c.returning as number[]).entries()) {
              const list = await allPages(`${q}&week=${k}`, weeks === 4 ? 6 : 200)
              expect(list.totals, `cohort ${c.start} week ${k}`).toEqual([n])
              expect(list.ids.every((id) => size.ids.includes(id))).toBe(true)
              cells += n
            }
          }
          if (filter === '') expect(cells).toBeGreaterThan(0)
        }, 60_000)

  it('refuses a drill-down into these numbers it cannot answer with a 400 naming the parameter', async () => {
    const t = await get('/v1/insights/trends?site=acme&days=7')
    const r = await get('/v1/insights/retention?site=acme&weeks=8')
    const cohort = r.cohorts[0].start
    await expectRefused([
      [`&days=7&bucket=${t.start}&metric=bounces`, 'metric'],
      [`&days=7&bucket=${t.start}&metric=funnel:checkout`, 'metric'],
      ['&days=7&metric=sessions', 'bucket'],
      [`&days=7&bucket=${t.start + 1}&metric=sessions`, 'bucket'],
      [`&days=7&bucket=${t.start}&funnel=onboarding&step=account`, 'bucket'],
      ['&value=/pricing', 'by'],
      ['&other=1', 'by'],
      ['&event=pageview&by=page', 'value'],
      ['&by=page&value=/pricing&other=1', 'value'],
      ['&by=colour&value=red', 'by'],
      ['&by=page&other=1&top=0', 'top'],
      ['&event=Page View', 'event'],
      ['&event=any', 'event'],
      ['&event=pageview&survey=voice&score=promoters', 'event'],
      ['&week=1', 'cohort'],
      ['&cohort=123', 'cohort'],
      [`&weeks=8&cohort=${cohort - 7 * DAY}`, 'cohort'],
      [`&weeks=8&cohort=${cohort}&week=8`, 'week'],
      [`&weeks=8&cohort=${cohort + 7 * DAY}&week=7`, 'week'],
      [`&weeks=8&cohort=${cohort}&week=-1`, 'week'],
      [`&weeks=8&cohort=${cohort}&week=one`, 'week'],
      [`&weeks=8&cohort=${cohort}&by=page&value=/pricing`, 'cohort'],
      [`&weeks=30&cohort=${cohort}`, 'weeks'],
      ['&entry=pricing', 'entry'],
      ['&entry=/pricing&viewed=/pricing', 'entry'],
    ])
  })
})
