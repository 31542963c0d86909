import { beforeEach, describe, expect, it } from 'vitest'
import { SELF } from 'cloudflare:test'
import { ADMIN, batch, drained, emptyDb, event, givenSite, post, DESKTOP, CRAWLER } from './helpers'
import { funnelReport, p75 } from '../../edge/domain/funnels'

const FUNNEL = {
  id: 'onboarding',
  steps: [{ id: 'account', maxSeconds: 120 }, { id: 'workspace', maxSeconds: 90 }, { id: 'invite' }, { id: 'done' }],
}

/** An insight, once what was sent before has reached D1 (the ingest queue). */
const read = async (path: string) => {
  await drained()
  const r = await SELF.fetch(`https://edge.example/v1/insights/${path}`, { headers: ADMIN })
  return { status: r.status, body: (await r.json()) as any }
}

/** One visitor's events, sent as a human browser. */
const visit = (visitor: string, events: ReturnType<typeof event>[], headers = DESKTOP) =>
  post('/v1/events', batch(events, { visitor, session: `s-${visitor}` }), headers)

const step = (s: string) => event({ type: 'step', name: 'onboarding', props: { step: s } })

beforeEach(async () => {
  await emptyDb()
  await givenSite('acme', { funnels: [FUNNEL] })
})

describe('funnel report', () => {
  it('finds the step that loses the most visitors, with conversion and drop-off', () => {
    const r = funnelReport(FUNNEL, [
      { step: 'account', visitors: 4, stalls: 0 },
      { step: 'workspace', visitors: 3, stalls: 2 },
      { step: 'invite', visitors: 1, stalls: 0 },
      { step: 'done', visitors: 1, stalls: 0 },
    ])
    expect(r.bottleneck).toBe('invite')
    expect(r.steps.map((s) => [s.id, s.visitors, s.conversion, s.dropOff, s.stalls])).toEqual([
      ['account', 4, 1, 0, 0],
      ['workspace', 3, 0.75, 0.25, 2],
      ['invite', 1, 0.25, 0.667, 0],
      ['done', 1, 0.25, 0, 0],
    ])
  })

  it('names the step that loses the largest share of visitors, not the one that loses the most of them', () => {
    const counts = (...n: number[]) => FUNNEL.steps.map((s, i) => ({ step: s.id, visitors: n[i] ?? 0, stalls: 0 }))
    // workspace loses 6 of 10 (60%), invite 3 of 4 (75%): invite is where onboarding stalls.
    expect(funnelReport(FUNNEL, counts(10, 4, 1, 1)).bottleneck).toBe('invite')
    // Both lose 5, but invite loses all who were left.
    expect(funnelReport(FUNNEL, counts(10, 5, 0, 0)).bottleneck).toBe('invite')
    // The same share: the step that loses more visitors.
    expect(funnelReport(FUNNEL, counts(8, 4, 2, 2)).bottleneck).toBe('workspace')
  })

  it('has no bottleneck and no division by zero when nobody started', () => {
    const r = funnelReport(FUNNEL, [])
    expect(r.bottleneck).toBeNull()
    expect(r.steps.every((s) => s.conversion === 0 && s.dropOff === 0)).toBe(true)
  })

  it('takes the 75th percentile of web vitals', () => {
    expect(p75([100, 200, 300, 400])).toBe(300)
    expect(p75([5])).toBe(5)
    expect(p75([])).toBeNull()
  })
})

describe('GET /v1/insights', () => {
  it('reports where onboarding stalls, counting each visitor once and leaving bots out', async () => {
    for (const v of ['a', 'b', 'c', 'd']) await visit(v, [step('account')])
    for (const v of ['a', 'b', 'c']) await visit(v, [step('workspace'), step('workspace')])
    for (const v of ['b', 'c'])
      await visit(v, [event({ type: 'stall', name: 'onboarding', props: { step: 'workspace', seconds: 90 } })])
    await visit('a', [step('invite'), step('done')])
    await visit('bot', [step('account'), step('workspace'), step('invite')], CRAWLER)
    const { status, body } = await read('funnels?site=acme')
    expect(status).toBe(200)
    const f = body.funnels[0]
    expect(f.bottleneck).toBe('invite')
    expect(f.steps.map((s: any) => [s.id, s.visitors, s.stalls])).toEqual([
      ['account', 4, 0],
      ['workspace', 3, 2],
      ['invite', 1, 0],
      ['done', 1, 0],
    ])
  })

  it('ranks rage-click, dead-click and error-click hotspots by visitors, and lists abandoned forms', async () => {
    const rage = (text: string) =>
      event({ type: 'rage_click', url: 'https://shop.example/', props: { path: 'button#learn-more', text, clicks: 3 } })
    await visit('a', [rage('Learn more'), rage('Learn more')])
    await visit('b', [rage('Learn more')])
    await visit('c', [
      event({ type: 'dead_click', url: 'https://shop.example/pricing', props: { path: 'button#buy', text: 'Buy' } }),
    ])
    await visit('c', [
      event({
        type: 'form_abandon',
        url: 'https://shop.example/signup',
        props: { form: 'signup', fields: ['email'], last: 'email' },
      }),
    ])
    const { body } = await read('friction?site=acme')
    expect(body.hotspots).toEqual([
      {
        page: '/',
        element: 'button#learn-more',
        path: 'button#learn-more',
        text: 'Learn more',
        rage: 3,
        dead: 0,
        error: 0,
        events: 3,
        visitors: 2,
        did: null,
        line: null,
      },
      {
        page: '/pricing',
        element: 'button#buy',
        path: 'button#buy',
        text: 'Buy',
        rage: 0,
        dead: 1,
        error: 0,
        events: 1,
        visitors: 1,
        did: null,
        line: null,
      },
    ])
    expect(body.forms).toEqual([
      { page: 'https://shop.example/signup', form: 'signup', lastField: 'email', visitors: 1 },
    ])
  })

  it('does not list a form the visitor submitted after coming back to the tab; does list one submitted elsewhere', async () => {
    const signup = 'https://shop.example/signup'
    const left = (ts: number, form = 'signup') =>
      event({ type: 'form_abandon', url: signup, ts, props: { form, fields: ['email'], last: 'email' } })
    const submitted = (ts: number, url = signup, form = 'signup') =>
      event({ type: 'form_submit', url, ts, props: { form } })
    const t = Date.now() - 60_000
    await visit('back', [left(t), submitted(t + 20_000)])
    await visit('gone', [left(t)])
    // A submit before the abandon, on another page, or of another form, does not undo it.
    await visit('before', [submitted(t - 5_000), left(t)])
    await visit('elsewhere', [left(t), submitted(t + 1_000, 'https://shop.example/other')])
    await visit('other-form', [left(t), submitted(t + 1_000, signup, 'newsletter')])
    const { body } = await read('friction?site=acme')
    expect(body.forms).toEqual([{ page: signup, form: 'signup', lastField: 'email', visitors: 4 }])
  })

  it('leaves bots out of the headline visitors, sessions and pageviews, and out of the visitor list', async () => {
    await visit('person', [event(), event({ type: 'click' })])
    await visit('crawler', [event(), event(), event()], CRAWLER)
    await post('/v1/events', batch([event()], { visitor: 'driven', session: 's-driven', automation: true }), DESKTOP)
    const overview = (await read('overview?site=acme')).body
    expect(overview).toMatchObject({ visitors: 1, sessions: 1, pageviews: 1, botEvents: 4 })
    const list = (await read('visitors?site=acme')).body.visitors
    expect(list.map((v: { id: string }) => v.id)).toEqual(['person'])
  })

  it('says whether the site has sent anything yet, and when it last did', async () => {
    expect((await read('overview?site=acme')).body.lastReceived).toBeNull()
    const before = Date.now()
    await visit('a', [event()])
    const at = (await read('overview?site=acme')).body.lastReceived
    expect(at).toBeGreaterThanOrEqual(before)
    expect(at).toBeLessThanOrEqual(Date.now())
  })

  it('summarises traffic, web vitals and reported loss', async () => {
    const lcp = (value: number) => event({ type: 'vitals', name: 'LCP', props: { value, rating: 'good' } })
    await visit('a', [event(), lcp(1200), lcp(2600)])
    await visit('b', [event(), event(), lcp(1800), lcp(4100)])
    await post('/v1/events', batch([event()], { visitor: 'c', evicted: 7 }), DESKTOP)
    const overview = (await read('overview?site=acme')).body
    expect(overview).toMatchObject({ visitors: 3, pageviews: 4, botEvents: 0, lost: { evicted: 7, dropped: 0 } })
    expect(overview.events).toMatchObject({ pageview: 4, vitals: 4 })
    const vitals = (await read('vitals?site=acme&days=7')).body
    expect(vitals.metrics).toEqual([{ name: 'LCP', p75: 2600, samples: 4 }])
  })

  it('is for the team only, and says what is wrong with a bad request', async () => {
    expect((await SELF.fetch('https://edge.example/v1/insights/overview?site=acme')).status).toBe(401)
    expect(await read('overview')).toEqual({ status: 400, body: { error: 'missing ?site=KEY', path: 'site' } })
    expect(await read('overview?site=acme&days=0')).toEqual({
      status: 400,
      body: { error: 'days must be a whole number from 1 to 365', path: 'days' },
    })
    expect((await read('funnels?site=ghost')).status).toBe(404)
  })
})
