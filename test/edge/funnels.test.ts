/**
 * Ordered funnels (issue #23): a step counts visitors who did the steps before it in order, within
 * the funnel's window from their first step; with time between steps, where those who stopped went,
 * any event as a step, and ad hoc funnels by `steps=`; the same answers from the daily rollups
 * (roll_hits) as from raw events, once raw events are gone too.
 */
import { beforeEach, describe, expect, it } from 'vitest'
import { SELF, env } from 'cloudflare:test'
import { ADMIN, batch, drained, emptyDb, event, givenSite, post, rolledTo, runJob, DESKTOP, PHONE } from './helpers'
import { SETTLE_MS } from '../../edge/jobs/maintain'

const DAY = 86_400_000
const ONBOARDING = { id: 'onboarding', steps: [{ id: 'account' }, { id: 'workspace' }, { id: 'done' }] }
const BUY = {
  id: 'buy',
  window: 1,
  steps: [
    { id: 'plans', page: '/plans/*' },
    { id: 'signup', track: 'signup_started' },
  ],
}

const read = async (path: string) => {
  await drained()
  const r = await SELF.fetch(`https://edge.example/v1/insights/${path}`, { headers: ADMIN })
  return { status: r.status, body: (await r.json()) as any }
}

/** One visitor's events, in one session, sent now. */
const visit = (visitor: string, events: ReturnType<typeof event>[], headers = DESKTOP) =>
  post('/v1/events', batch(events, { visitor, session: `s-${visitor}` }), headers)

const ago = (days: number, seconds = 0) => Date.now() - days * DAY + seconds * 1000
const step = (s: string, ts: number) => event({ type: 'step', name: 'onboarding', ts, props: { step: s } })
const page = (path: string, ts: number, ref = '') =>
  event({ type: 'pageview', url: `https://shop.example${path}`, ts, props: { ref } })
const track = (name: string, ts: number) => event({ type: 'track', name, ts })

const visitors = (f: any) => f.steps.map((s: any) => [s.id, s.visitors])

beforeEach(async () => {
  await emptyDb()
  await givenSite('acme', { funnels: [ONBOARDING, BUY] })
})

describe('GET /v1/insights/funnels', () => {
  it('counts a step only for visitors who did the steps before it, in order, within the window', async () => {
    await visit('ann', [step('account', ago(3)), step('workspace', ago(3, 60)), step('done', ago(3, 120))])
    // Done without an account: not counted at all.
    await visit('ben', [step('done', ago(5))])
    // Out of order (done before workspace): counted up to workspace.
    await visit('cat', [step('account', ago(4)), step('done', ago(4, 60)), step('workspace', ago(4, 120))])
    // Workspace ten days after the account: past the 7-day window.
    await visit('dan', [step('account', ago(20)), page('/pricing', ago(20, 30)), step('workspace', ago(10))])
    const { status, body } = await read('funnels?site=acme')
    expect(status).toBe(200)
    const f = body.funnels.find((x: any) => x.id === 'onboarding')
    expect(visitors(f)).toEqual([
      ['account', 3],
      ['workspace', 2],
      ['done', 1],
    ])
    expect(f.window).toBe(7)
    expect(f.steps.map((s: any) => s.conversion)).toEqual([1, 0.667, 0.333])
    // Where those who stopped went: dan to the pricing page, cat nowhere after workspace.
    expect(f.steps[0].next).toEqual([{ event: 'page:/pricing', visitors: 1 }])
    expect(f.steps[1].next).toEqual([{ event: null, visitors: 1 }])
    // A wider window takes dan's workspace in.
    const wide = (await read('funnels?site=acme&window=14')).body.funnels.find((x: any) => x.id === 'onboarding')
    expect(visitors(wide)[1]).toEqual(['workspace', 3])
  })

  it('counts as where those who stopped went only what they chose to do: a page, a custom event, a click, a form, a survey answered or closed', async () => {
    const then = (type: string, s: number, over: Partial<ReturnType<typeof event>> = {}) =>
      event({ type, ts: ago(2, s), ...over })
    const machinery = () => [
      then('identify', 1, { name: 'user-1' }),
      then('survey_shown', 2, { name: 'nps' }),
      then('slot_shown', 3, { props: { slot: 'plan-cta', variant: 'trial' } }),
      then('consent', 4, { props: { analytics: true } }),
      then('vitals', 5, { props: { lcp: 900 } }),
      then('page_leave', 6, { props: { ms: 4000 } }),
      then('error', 7, { props: { message: 'TypeError' } }),
      then('u_turn', 8, { props: { via: 'back', ms: 900 } }),
      // A click on a link within the site: the page it opens says where they went.
      then('click', 9, { props: { tag: 'a', text: 'Pricing', href: 'https://shop.example/pricing' } }),
    ]
    const stopped = (who: string, after: ReturnType<typeof event>[]) => visit(who, [step('account', ago(2)), ...after])
    await stopped('ann', [...machinery(), page('/pricing', ago(2, 10))])
    await stopped('ben', [...machinery(), then('click', 10, { props: { tag: 'button', text: 'Upgrade' } })])
    await stopped('cat', [
      ...machinery(),
      then('form_abandon', 10, { props: { form: 'signup', fields: ['email'], last: 'email' } }),
    ])
    await stopped('dan', [...machinery(), then('survey_dismiss', 10, { name: 'nps' })])
    await stopped('eve', [...machinery(), track('invite_sent', ago(2, 10))])
    // An outbound link is where they went: off the site.
    await stopped('fay', [then('click', 10, { props: { tag: 'a', text: 'Docs', href: 'https://docs.example/start' } })])
    await stopped('gus', machinery())
    await stopped('hal', [page('/pricing', ago(2, 10))])
    const f = (await read('funnels?site=acme')).body.funnels.find((x: any) => x.id === 'onboarding')
    expect(f.steps[0].dropped).toBe(8)
    // The top five: /pricing for two, then one each; never an identify, a survey shown, vitals…
    expect(f.steps[0].next[0]).toEqual({ event: 'page:/pricing', visitors: 2 })
    expect(f.steps[0].next).toHaveLength(5)
    for (const n of f.steps[0].next.slice(1))
      expect([
        null,
        'click:button “Upgrade”',
        'form_abandon:signup',
        'survey_dismiss:nps',
        'track:invite_sent',
        'click:link “Docs”',
      ]).toContain(n.event)
    // Each of those who stopped, listed with where they went: the same labels, for all eight.
    const list = await read('visitors?site=acme&funnel=onboarding&dropped=account')
    expect(Object.fromEntries(list.body.visitors.map((v: any) => [v.id, v.next]))).toEqual({
      ann: 'page:/pricing',
      ben: 'click:button “Upgrade”',
      cat: 'form_abandon:signup',
      dan: 'survey_dismiss:nps',
      eve: 'track:invite_sent',
      fay: 'click:link “Docs”',
      gus: null,
      hal: 'page:/pricing',
    })
  })

  it('gives the median and 90th percentile of the time between consecutive steps', async () => {
    for (const [v, s] of [
      ['a', 60],
      ['b', 120],
      ['c', 600],
    ] as const)
      await visit(v, [step('account', ago(2)), step('workspace', ago(2, s))])
    const f = (await read('funnels?site=acme')).body.funnels.find((x: any) => x.id === 'onboarding')
    expect(f.steps[0].fromPrevious).toBeNull()
    expect(f.steps[1].fromPrevious).toEqual({ median: 120, p90: 600 })
    expect(f.steps[2].fromPrevious).toBeNull()
  })

  it('takes pageviews of a path pattern and custom events as steps, with the funnel’s own window', async () => {
    await visit('fay', [page('/plans/pro?ref=x', ago(2)), track('signup_started', ago(2, 300))])
    // The signup two days after the plans page: past buy's one-day window.
    await visit('gus', [page('/plans/team', ago(5)), track('signup_started', ago(3))])
    await visit('hal', [page('/plansx', ago(2)), track('signup_started', ago(2, 10))])
    const f = (await read('funnels?site=acme')).body.funnels.find((x: any) => x.id === 'buy')
    expect(f.window).toBe(1)
    expect(f.steps.map((s: any) => s.match)).toEqual(['page:/plans/*', 'track:signup_started'])
    expect(visitors(f)).toEqual([
      ['plans', 2],
      ['signup', 1],
    ])
  })

  it('answers an ad hoc funnel given by steps= without saving it', async () => {
    await visit('fay', [page('/pricing', ago(2)), track('signup_started', ago(2, 60)), step('done', ago(2, 120))])
    await visit('gus', [track('signup_started', ago(2)), page('/pricing', ago(2, 60))])
    const { status, body } = await read(
      'funnels?site=acme&steps=page:/pricing,track:signup_started,step:onboarding/done&window=3',
    )
    expect(status).toBe(200)
    expect(body.funnels).toHaveLength(1)
    const f = body.funnels[0]
    expect(f.window).toBe(3)
    expect(f.steps.map((s: any) => [s.match, s.visitors])).toEqual([
      ['page:/pricing', 2],
      ['track:signup_started', 1],
      ['step:onboarding/done', 1],
    ])
    expect(f.steps[1].fromPrevious).toEqual({ median: 60, p90: 60 })
  })

  it('an ad hoc funnel counts no stalls, even of a saved funnel named adhoc with steps of the same names', async () => {
    // The ad hoc funnel is answered under the id `adhoc`: a saved one of that name keeps its stalls to itself.
    const saved = { id: 'adhoc', steps: [{ id: 'page:/pricing', maxSeconds: 60 }, { id: 'track:signup_started' }] }
    await givenSite('acme', { funnels: [ONBOARDING, BUY, saved] })
    const stall = (s: string, ts: number) =>
      event({ type: 'stall', name: 'adhoc', ts, props: { step: s, seconds: 60 } })
    await visit('ivy', [page('/pricing', ago(2)), stall('page:/pricing', ago(2, 61))])
    const stalls = (f: any) => f.steps.map((s: any) => [s.id, s.stalls])
    const own = (await read('funnels?site=acme')).body.funnels.find((x: any) => x.id === 'adhoc')
    expect(stalls(own)).toEqual([
      ['page:/pricing', 1],
      ['track:signup_started', 0],
    ])
    const { status, body } = await read('funnels?site=acme&steps=page:/pricing,track:signup_started')
    expect(status).toBe(200)
    expect(body.funnels[0].steps.map((s: any) => [s.match, s.visitors])).toEqual([
      ['page:/pricing', 1],
      ['track:signup_started', 0],
    ])
    expect(stalls(body.funnels[0])).toEqual([
      ['page:/pricing', 0],
      ['track:signup_started', 0],
    ])
  })

  it.each([
    ['an unknown step kind', 'steps=click:/x,track:signup', 'steps', /unknown kind 'click'/],
    ['a funnel of one step', 'steps=page:/pricing', 'steps', /at least two steps/],
    ['a window of 0', 'window=0', 'window', /window must be a whole number of days from 1 to 90/],
  ])('refuses %s with a 400 naming the field', async (_, query, path, error) => {
    const { status, body } = await read(`funnels?site=acme&${query}`)
    expect(status).toBe(400)
    expect(body.path).toBe(path)
    expect(body.error).toMatch(error)
  })

  it.each([
    [
      'a step that names two kinds of event',
      { id: 'x', steps: [{ id: 'a', page: '/a', track: 'b' }] },
      'config.funnels[0].steps[0]',
      /may name at most one of page, track and step/,
    ],
    [
      'a conversion window of 0 days',
      { id: 'x', window: 0, steps: [{ id: 'a' }, { id: 'b' }] },
      'config.funnels[0].window',
      /^config\.funnels\[0\]\.window must be a whole number from 1 to 90$/,
    ],
  ])(
    'refuses a saved funnel with %s, naming the field, and keeps the funnels saved before',
    async (_, funnel, path, error) => {
      const r = await SELF.fetch('https://edge.example/v1/admin/sites/acme', {
        method: 'PUT',
        headers: { ...ADMIN, 'content-type': 'application/json' },
        body: JSON.stringify({ config: { funnels: [funnel] } }),
      })
      expect(r.status).toBe(400)
      const body = (await r.json()) as any
      expect(body.path).toBe(path)
      expect(body.error).toMatch(error)
      const { funnels } = (await read('funnels?site=acme')).body
      expect(funnels.map((f: any) => [f.id, f.window])).toEqual([
        ['onboarding', 7],
        ['buy', 1],
      ])
    },
  )
})

describe('ordered funnels from the daily rollups', () => {
  const today = () => Math.floor(Date.now() / DAY) * DAY
  /** Visits over three weeks, today's included: orders, windows, repeats, midnight, phones, a referrer. */
  async function seed() {
    await visit('ann', [step('account', ago(3)), step('workspace', ago(3, 60)), step('done', ago(3, 120))])
    await visit('ben', [step('done', ago(5))])
    await visit('cat', [step('account', ago(4)), step('done', ago(4, 60)), step('workspace', ago(4, 120))])
    await visit('dan', [step('account', ago(20)), page('/pricing', ago(20, 30)), step('workspace', ago(10))])
    // Back on / after the pricing page, in the same session: the second view of / is the step.
    await visit(
      'eve',
      [
        page('/', ago(2), 'https://www.google.com/'),
        page('/pricing', ago(2, 10)),
        page('/', ago(2, 20)),
        track('signup_started', ago(2, 30)),
      ],
      PHONE,
    )
    await visit('fay', [page('/plans/pro?ref=x', ago(2)), track('signup_started', ago(2, 300))])
    await visit('gus', [page('/plans/team', ago(5)), track('signup_started', ago(3))])
    // Across midnight, and from yesterday into today (raw events, not rolled up).
    await visit('hal', [step('account', today() - DAY - 60_000), step('workspace', today() - DAY + 60_000)])
    await visit('ivy', [step('account', today() - DAY + 3_600_000), step('workspace', Date.now() - 60_000)])
    // Done without the workspace between: reached the account step only.
    await visit('jon', [step('account', ago(6)), step('done', ago(6, 60))])
  }
  const QUERIES = [
    'funnels?site=acme',
    'funnels?site=acme&window=14&vs.device=mobile',
    'funnels?site=acme&days=7&referrer=google.com',
    'funnels?site=acme&steps=page:/pricing,page:/,track:signup_started&window=3',
    'funnels?site=acme&steps=page:/plans/:plan,track:signup_started&window=1&vs.device=desktop',
  ]
  /** Every answer, one after another (each read waits for the ingest queue). */
  const answers = async () => {
    const out: unknown[] = []
    for (const q of QUERIES) out.push((await read(q)).body)
    return out
  }
  /** The answers without what those who stopped did next (looked up in raw events). */
  const withoutNext = (xs: any[]) =>
    JSON.parse(JSON.stringify(xs), (k, v) => (k === 'next' && Array.isArray(v) ? undefined : v))
  const deleteRolledEvents = async () =>
    (
      await env.DB.prepare("DELETE FROM events WHERE site = 'acme' AND ts < ?")
        .bind((await rolledTo()) * DAY)
        .run()
    ).meta.changes

  it('answer the same as from raw events, also once the raw events of those days are gone', async () => {
    await seed()
    const raw = await answers()
    const [saved, , , adhoc, plans] = raw as any[]
    expect(visitors(saved.funnels.find((f: any) => f.id === 'onboarding'))).toEqual([
      ['account', 6],
      ['workspace', 4],
      ['done', 1],
    ])
    expect(adhoc.funnels[0].steps.map((s: any) => s.visitors)).toEqual([2, 1, 1])
    expect(plans.funnels[0].steps.map((s: any) => s.visitors)).toEqual([2, 1])
    expect(plans.compare.funnels[0].steps.map((s: any) => s.visitors)).toEqual([2, 1])

    await runJob(Date.now() + SETTLE_MS)
    expect(await rolledTo()).toBe(Math.floor(Date.now() / DAY))
    expect(await answers()).toEqual(raw)
    // From the rollups: with the raw events of the rolled-up days deleted (as retention does),
    // the same cohorts and times.
    expect(await deleteRolledEvents()).toBeGreaterThan(20)
    expect(withoutNext(await answers())).toEqual(withoutNext(raw))
  })

  it('read days rolled up before the funnel rollup existed from raw events until the job fills them', async () => {
    await seed()
    const raw = await answers()
    await runJob(Date.now() + SETTLE_MS)
    // As a database rolled up before migration 0014 has them: no funnel rows, days not marked.
    await env.DB.prepare("DELETE FROM roll_hits WHERE site = 'acme'").run()
    await env.DB.prepare("UPDATE roll_days SET hits = NULL WHERE site = 'acme'").run()
    expect(await answers()).toEqual(raw)
    await runJob(Date.now() + SETTLE_MS)
    const unfilled = await env.DB.prepare("SELECT count(*) AS n FROM roll_days WHERE site = 'acme' AND hits IS NULL")
    expect(await unfilled.first('n')).toBe(0)
    await deleteRolledEvents()
    expect(withoutNext(await answers())).toEqual(withoutNext(raw))
  })

  it('answer funnels of five steps and more as from raw events (D1 allows five SELECTs in a compound one)', async () => {
    await seed()
    const six =
      'funnels?site=acme&steps=step:onboarding/account,page:/pricing,step:onboarding/workspace,page:/,step:onboarding/done,track:signup_started&window=30'
    const drill = `visitors?site=acme&steps=${six.split('steps=')[1]!.split('&')[0]}&window=30&step=page:/pricing`
    const raw = [await read(six), await read(drill)]
    expect(raw[0].body.funnels[0].steps.map((s: any) => s.visitors)).toEqual([6, 1, 1, 0, 0, 0])
    expect(raw[1].body.visitors.map((v: any) => v.id)).toEqual(['dan'])
    await runJob(Date.now() + SETTLE_MS)
    const rolled = [await read(six), await read(drill)]
    expect(rolled.map((r) => r.status)).toEqual([200, 200])
    expect(rolled.map((r) => r.body)).toEqual(raw.map((r) => r.body))
  })

  it('answer a day whose rows of one step make a text longer than D1 takes in one value', async () => {
    await seed()
    await drained()
    await runJob(Date.now() + SETTLE_MS)
    // 80,000 sessions on /crowd two days ago, a tenth of them then on /pricing: over 2 MB of
    // visitors and times for that page and day.
    const day = Math.floor(Date.now() / DAY) - 2
    await env.DB.prepare(
      `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 79999)
       INSERT INTO roll_hits (site, day, key, session, device, visitor, at, times)
       SELECT 'acme', ?1, k.key, 'crowd-' || i, 0, 'crowd-visitor-' || i, ?2 + k.at, ?2 + k.at FROM n
         JOIN (SELECT 'page:/crowd' AS key, 0 AS at UNION ALL SELECT 'page:/pricing', 1000) k
         WHERE k.key = 'page:/crowd' OR i % 10 = 0`,
    )
      .bind(day, day * DAY + 1000)
      .run()
    const { status, body } = await read('funnels?site=acme&steps=page:/crowd,page:/pricing')
    expect(status).toBe(200)
    expect(body.funnels[0].steps.map((s: any) => s.visitors)).toEqual([80_000, 8_000])
  })

  it('match page patterns exactly when more than 10,000 stored paths start as they do', async () => {
    await seed()
    const raw = await answers()
    await runJob(Date.now() + SETTLE_MS)
    // Paths that start like /plans/* and /plans/:plan without being of them (/plansx…), one
    // visitor each, on a rolled-up day.
    const day = Math.floor(Date.now() / DAY) - 2
    await env.DB.prepare(
      `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 10000)
       INSERT INTO roll_hits (site, day, key, session, device, visitor, at, times)
       SELECT 'acme', ?1, 'page:/plansx' || i, 'crowd-' || i, 0, 'crowd-' || i, ?2, ?2 FROM n`,
    )
      .bind(day, day * DAY + 1000)
      .run()
    await deleteRolledEvents()
    expect(withoutNext(await answers())).toEqual(withoutNext(raw))
  })
})
