/**
 * Every number opens the visitors behind it: `GET /v1/insights/visitors` with the number's own
 * query lists exactly the visitors it counts, a page at a time. Over a seeded site (visitors on
 * phones and desktops over ten days, rolled-up days and today's raw events, a crawler): a funnel
 * step's visitors and its stalls, and a segment's size, for each period and filter.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { event, random } from './helpers'
import { DAY, MIN, allPages, crawl, expectRefused, get, seeded, send, visitTime } from './drill'
import type { SiteConfig, WireEvent } from '../../snippet/contract/wire'

const STEPS = ['account', 'workspace', 'done'] as const
const config: SiteConfig = {
  funnels: [{ id: 'onboarding', steps: STEPS.map((id) => ({ id })) }],
  segments: [{ id: 'returning', rule: { field: 'sessions', op: 'gte', value: 2 } }],
}

const now = Date.now()
/** The first moment of a period of `days` asked for now. */
const from = (days: number) => Math.floor(Date.now() / DAY) * DAY - (days - 1) * DAY

/** What the seed knows of each visitor: on a phone or not, and when they reached or stalled at each step. */
const truths: {
  id: string
  phone: boolean
  steps: Record<string, number[]>
  stalls: number[]
  seen: number[]
  /** Pages viewed (as the Pages table names them) and the source of each session, with when. */
  pages: { page: string; ts: number }[]
  sources: { source: string; ts: number }[]
}[] = []
const REFS = ['https://www.google.com/search', 'https://news.example/issue-4', '']
const SOURCE_OF: Record<string, string> = {
  'https://www.google.com/search': 'google.com',
  'https://news.example/issue-4': 'news.example',
  '': 'direct',
}

/** People over ten days (some on phones), one who skips a step, and a crawler. */
async function seed() {
  const rand = random(2727)
  for (let i = 0; i < 40; i++) {
    const id = `v${i}`
    const t = {
      id,
      phone: i % 3 === 0,
      steps: {} as Record<string, number[]>,
      stalls: [] as number[],
      seen: [] as number[],
      pages: [] as { page: string; ts: number }[],
      sources: [] as { source: string; ts: number }[],
    }
    truths.push(t)
    const visits = 1 + Math.floor(rand() * 3)
    for (let k = 0; k < visits; k++) {
      const time = visitTime(rand, i, k, 10, now)
      if (!time) continue
      const { d, at } = time
      // Sessions from a search engine, a newsletter or nowhere (the Sources table's rows).
      const ref = REFS[(i + k) % REFS.length]!
      const events: WireEvent[] = [event({ ts: at, url: 'https://shop.example/onboarding', props: { ref } })]
      t.sources.push({ source: SOURCE_OF[ref]!, ts: at })
      t.pages.push({ page: '/onboarding', ts: at })
      // Further into the funnel, fewer: each step with a chance, in order.
      for (const [j, step] of STEPS.entries()) {
        if (rand() > 0.7 - j * 0.15) {
          if (rand() < 0.3) {
            events.push(event({ type: 'stall', name: 'onboarding', ts: at + j * 1000 + 500, props: { step } }))
            t.stalls.push(at) // stalls are only seeded at the step the visitor stops at
          }
          break
        }
        events.push(event({ type: 'step', name: 'onboarding', ts: at + j * 1000, props: { step } }))
        ;(t.steps[step] ??= []).push(at)
      }
      // Then a page elsewhere (a project's: the Pages table names it /projects/:id), for some.
      if (rand() < 0.6) {
        const page = rand() < 0.5 ? '/pricing' : `/projects/${100 + i}`
        events.push(event({ ts: at + 5000, url: `https://shop.example${page}` }))
        t.pages.push({ page: page === '/pricing' ? page : '/projects/:id', ts: at + 5000 })
      }
      t.seen.push(...events.map((e) => e.ts))
      await send(events, { visitor: id, session: `${id}-${d}-${k}` }, { phone: t.phone })
    }
  }
  // A visitor who skips the first step: in no step of an ordered funnel, though they sent two of its steps.
  const skipped = [1, 2].map((j) =>
    event({ type: 'step', name: 'onboarding', ts: now - 2 * MIN + j, props: { step: STEPS[j] } }),
  )
  truths.push({
    id: 'skipper',
    phone: false,
    steps: {},
    stalls: [],
    seen: skipped.map((e) => e.ts),
    pages: [],
    sources: [],
  })
  await send(skipped, { visitor: 'skipper', session: 'skipper-1' })
  // A crawler through the whole funnel today.
  await crawl(STEPS.map((step, j) => event({ type: 'step', name: 'onboarding', ts: now - MIN + j, props: { step } })))
}

beforeAll(() => seeded(config, now, seed), 120_000)

describe('the visitors behind a number', () => {
  for (const days of [1, 7, 30])
    for (const filter of ['', '&device=mobile', '&segment=returning'])
      it(`a funnel step's visitors and stalls, page by page, are the step's numbers (days=${days}${filter})`, async () => {
        const funnel = (await get(`/v1/insights/funnels?site=acme&days=${days}${filter}`)).funnels[0]
        const inPeriod = (ts: number) => ts >= from(days) && ts <= now
        let listed = 0
        let stalls = 0
        for (const step of funnel.steps) {
          const reached = await allPages(`&days=${days}${filter}&funnel=onboarding&step=${step.id}`, 4)
          expect(reached.totals, `total: ${step.id}`).toEqual([step.visitors])
          expect(reached.ids.length, `listed: ${step.id}`).toBe(step.visitors)
          expect(new Set(reached.ids).size, `each once: ${step.id}`).toBe(step.visitors)
          expect(reached.ids).not.toContain('crawler')
          if (filter !== '&segment=returning') {
            const truth = truths.filter(
              (t) => (t.steps[step.id] ?? []).some(inPeriod) && (filter !== '&device=mobile' || t.phone),
            )
            expect(reached.ids.sort(), `against the seed: ${step.id}`).toEqual(truth.map((t) => t.id).sort())
          }
          const stalled = await allPages(`&days=${days}${filter}&funnel=onboarding&stalled=${step.id}`, 5)
          expect(stalled.totals, `stalls: ${step.id}`).toEqual([step.stalls])
          expect(new Set(stalled.ids).size).toBe(step.stalls)
          listed += step.visitors
          stalls += step.stalls
        }
        if (days > 1) expect(listed).toBeGreaterThan(0)
        if (days === 30 && !filter) expect(stalls).toBeGreaterThan(0)
      })

  for (const days of [1, 7, 30])
    for (const filter of ['', '&device=mobile', '&segment=returning'])
      it(`who stopped at a step, page by page, is its dropped number, with where they went instead (days=${days}${filter})`, async () => {
        const funnel = (await get(`/v1/insights/funnels?site=acme&days=${days}${filter}`)).funnels[0]
        let stopped = 0
        for (const [k, step] of funnel.steps.slice(0, -1).entries()) {
          const query = `&days=${days}${filter}&funnel=onboarding&dropped=${step.id}`
          const list = await allPages(query, 4)
          expect(step.dropped, `the report's own: ${step.id}`).toBe(step.visitors - funnel.steps[k + 1].visitors)
          expect(list.totals, `total: ${step.id}`).toEqual([step.dropped])
          expect(new Set(list.ids).size, `each once: ${step.id}`).toBe(step.dropped)
          // Exactly those who reached this step and not the next.
          const reached = (id: string) => allPages(`&days=${days}${filter}&funnel=onboarding&step=${id}`, 50)
          const [here, next] = await Promise.all([reached(step.id), reached(funnel.steps[k + 1].id)])
          expect(list.ids.sort(), step.id).toEqual(here.ids.filter((id) => !next.ids.includes(id)).sort())
          // Where they went instead: each one's next event, as the funnel's own "then" counts them.
          const page = await get(`/v1/insights/visitors?site=acme${query}&limit=500`)
          expect(page.of).toEqual({ funnel: 'onboarding', step: step.id, stalled: false, dropped: true })
          for (const then of step.next)
            expect(page.visitors.filter((v: any) => v.next === then.event).length, `then ${then.event}`).toBe(
              then.visitors,
            )
          stopped += step.dropped
        }
        expect(funnel.steps.at(-1).dropped).toBe(0)
        if (days > 1 && filter === '')
          expect(funnel.steps.flatMap((s: any) => s.next.map((n: any) => n.event))).toContain('page:/pricing')
        if (days > 1 && filter !== '&segment=returning') expect(stopped).toBeGreaterThan(0)
      })

  // An ad hoc funnel (Explore's "Ask a funnel"): the account step, then the pricing page within a day of it.
  const ADHOC = 'step:onboarding/account,page:/pricing'
  for (const days of [1, 7, 30])
    for (const filter of ['', '&device=mobile', '&segment=returning'])
      it(`an ad hoc funnel's steps and drop-off open its visitors, page by page (days=${days}${filter})`, async () => {
        const asked = `&days=${days}${filter}&steps=${encodeURIComponent(ADHOC)}&window=1`
        const funnel = (await get(`/v1/insights/funnels?site=acme${asked}`)).funnels[0]
        expect(funnel.steps.map((s: any) => s.id)).toEqual(ADHOC.split(','))
        const inPeriod = (ts: number) => ts >= from(days) && ts <= now
        // The seed's truth: the account step in the period, and the pricing page after it within the window.
        const account = (t: (typeof truths)[number]) => (t.steps.account ?? []).filter(inPeriod)
        const truth = [
          (t: (typeof truths)[number]) => account(t).length > 0,
          (t: (typeof truths)[number]) =>
            account(t).some((a) => t.pages.some((p) => p.page === '/pricing' && p.ts > a && p.ts <= a + DAY)),
        ].map((reached) =>
          truths
            .filter((t) => reached(t) && (filter !== '&device=mobile' || t.phone))
            .map((t) => t.id)
            .sort(),
        )
        const lists: string[][] = []
        for (const [k, step] of funnel.steps.entries()) {
          const list = await allPages(`${asked}&step=${encodeURIComponent(step.id)}`, 3)
          expect(list.totals, `total: ${step.id}`).toEqual([step.visitors])
          expect(new Set(list.ids).size, `each once: ${step.id}`).toBe(step.visitors)
          expect(list.ids).not.toContain('crawler')
          if (filter !== '&segment=returning') expect(list.ids.sort(), `against the seed: ${step.id}`).toEqual(truth[k])
          lists.push(list.ids)
        }
        const first = funnel.steps[0]
        const dropped = await allPages(`${asked}&dropped=${encodeURIComponent(first.id)}`, 3)
        expect(dropped.totals).toEqual([first.dropped])
        expect(dropped.ids.sort()).toEqual(lists[0]!.filter((id) => !lists[1]!.includes(id)).sort())
        const page = await get(`/v1/insights/visitors?site=acme${asked}&dropped=${encodeURIComponent(first.id)}`)
        expect(page.of).toEqual({ steps: ADHOC, window: 1, step: first.id, stalled: false, dropped: true })
        if (days > 1 && filter === '') expect([funnel.steps[1].visitors, first.dropped]).not.toContain(0)
      })

  for (const days of [1, 7, 30])
    for (const filter of ['', '&device=mobile', '&segment=returning'])
      it(`each row of the Pages and Sources tables opens its visitors, page by page (days=${days}${filter})`, async () => {
        const inPeriod = (ts: number) => ts >= from(days) && ts <= now
        const [pages, sources] = await Promise.all([
          get(`/v1/insights/pages?site=acme&days=${days}${filter}`),
          get(`/v1/insights/sources?site=acme&days=${days}${filter}`),
        ])
        const rows = [
          ...pages.pages.map((r: any) => ({ query: `&viewed=${encodeURIComponent(r.page)}`, row: r, page: r.page })),
          // A source's visitors: the period's visitors under the filter `referrer`, as the table names the source.
          ...sources.referrers.map((r: any) => ({ query: `&referrer=${r.source}`, row: r, source: r.source })),
        ]
        expect(pages.pages.map((r: any) => r.page).sort()).toEqual(
          days === 1 ? expect.arrayContaining(['/onboarding']) : ['/onboarding', '/pricing', '/projects/:id'],
        )
        if (days > 1) expect(sources.referrers.length).toBe(3)
        for (const { query, row, page, source } of rows) {
          const list = await allPages(`&days=${days}${filter}${query}`, 4)
          expect(list.totals, query).toEqual([row.visitors])
          expect(new Set(list.ids).size, query).toBe(row.visitors)
          if (filter === '&segment=returning') continue
          const truth = truths.filter(
            (t) =>
              (filter === '' || t.phone) &&
              (page
                ? t.pages.some((p) => p.page === page && inPeriod(p.ts))
                : t.sources.some((s) => s.source === source && inPeriod(s.ts))),
          )
          expect(list.ids.sort(), `${query} against the seed`).toEqual(truth.map((t) => t.id).sort())
        }
      })

  for (const days of [7, 30])
    it(`a segment's size is the visitors listed under it, page by page (days=${days})`, async () => {
      const p = await get(`/v1/insights/personalisation?site=acme&days=${days}`)
      const size = p.segments.find((s: any) => s.id === 'returning').visitors
      expect(size).toBeGreaterThan(3)
      const listed = await allPages(`&days=${days}&segment=returning`, 3)
      expect(listed.totals).toEqual([size])
      expect(new Set(listed.ids).size).toBe(size)
      // The period's visitors too: the overview's number.
      const o = await get(`/v1/insights/overview?site=acme&days=${days}`)
      const everyone = await allPages(`&days=${days}`, 50)
      expect([everyone.totals, everyone.ids.length]).toEqual([[o.visitors], o.visitors])
    })

  for (const days of [1, 7, 30])
    for (const filter of ['', '&device=mobile'])
      it(`each point of the visitors trend opens its visitors (days=${days}${filter})`, async () => {
        const t = await get(`/v1/insights/trends?site=acme&days=${days}${filter}`)
        const visitors = t.metrics.find((m: any) => m.id === 'visitors')
        expect(visitors.current).toHaveLength(t.buckets)
        const size = t.unit === 'hour' ? 3_600_000 : DAY
        let points = 0
        for (const [i, n] of (visitors.current as (number | null)[]).entries()) {
          if (n === null) continue // an hour to come
          const bucket = from(days) + i * size
          const listed = await allPages(`&days=${days}${filter}&bucket=${bucket}`, 50)
          expect(listed.totals, `bucket ${i}`).toEqual([n])
          expect(new Set(listed.ids).size, `bucket ${i}`).toBe(n)
          const truth = truths.filter(
            (v) => v.seen.some((ts) => ts >= bucket && ts < bucket + size) && (filter === '' || v.phone),
          )
          expect(listed.ids.sort(), `bucket ${i} against the seed`).toEqual(truth.map((v) => v.id).sort())
          points += n
        }
        expect(points).toBeGreaterThan(0)
      })

  it("each page has the profile summary of its visitors; the period's, the most recently seen first", async () => {
    const period = await get('/v1/insights/visitors?site=acme&days=30&limit=5')
    const seen = period.visitors.map((v: any) => v.lastSeen)
    expect(seen.length).toBe(5)
    expect(seen).toEqual([...seen].sort((a, b) => b - a))
    const page = await get('/v1/insights/visitors?site=acme&days=30&funnel=onboarding&step=account&limit=5')
    expect(page.of).toEqual({ funnel: 'onboarding', step: 'account', stalled: false })
    expect(page.offset).toBe(0)
    expect(page.next).toBe(5)
    for (const v of page.visitors)
      expect(Object.keys(v).sort()).toEqual([
        'firstSeen',
        'id',
        'interests',
        'lastSeen',
        'sessions',
        'traits',
        'userId',
      ])
    expect(page.visitors.every((v: any) => v.lastSeen > 0 && v.sessions > 0)).toBe(true)
  })

  it('refuses a drill-down it cannot answer with a 400 naming the parameter', async () => {
    await expectRefused([
      ['&funnel=checkout&step=account', 'funnel'],
      ['&step=account', 'funnel'],
      ['&stalled=account', 'funnel'],
      ['&funnel=onboarding', 'step'],
      ['&funnel=onboarding&step=account&stalled=account', 'step'],
      ['&funnel=onboarding&step=paid', 'step'],
      ['&funnel=onboarding&stalled=paid', 'stalled'],
      ['&funnel=onboarding&step=account&user=u1', 'user'],
      ['&dropped=account', 'funnel'],
      ['&funnel=onboarding&dropped=paid', 'dropped'],
      ['&funnel=onboarding&dropped=done', 'dropped'],
      ['&funnel=onboarding&step=account&dropped=account', 'step'],
      ['&offset=-1', 'offset'],
      ['&days=7&bucket=123', 'bucket'],
      [`&days=7&bucket=${from(7) - DAY}`, 'bucket'],
      [`&days=7&bucket=${from(7) + 3_600_000}`, 'bucket'],
      ['&bucket=soon', 'bucket'],
      ['&viewed=pricing', 'viewed'],
      ['&funnel=onboarding&step=account&viewed=/pricing', 'viewed'],
      ['&referrer=not a host', 'referrer'],
      // An ad hoc funnel's: its steps, window and step checked, and no saved funnel beside it.
      [`&steps=${encodeURIComponent('page:/a,track:b')}&funnel=onboarding&step=account`, 'steps'],
      ['&steps=pricing&step=1', 'steps'],
      [`&steps=${encodeURIComponent('page:/a,track:b')}&window=91&step=track:b`, 'window'],
      [`&steps=${encodeURIComponent('page:/a,track:b')}&window=soon&step=track:b`, 'window'],
      ['&window=3', 'window'],
      [`&steps=${encodeURIComponent('page:/a,track:b')}&step=2`, 'step'],
      [`&steps=${encodeURIComponent('page:/a,track:b')}`, 'step'],
      [`&steps=${encodeURIComponent('page:/a,track:b')}&dropped=track:b`, 'dropped'],
      [`&steps=${encodeURIComponent('page:/a,track:b')}&stalled=${encodeURIComponent('page:/a')}`, 'stalled'],
      [`&steps=${encodeURIComponent('page:/a,track:b')}&step=track:b&user=u1`, 'user'],
    ])
  })
})
