/** Trends, pages, sources, custom events, journeys, one visitor's timeline and segments, on seeded data. */
import { beforeEach, describe, expect, it } from 'vitest'
import { SELF, env } from 'cloudflare:test'
import { ADMIN, batch, drained, emptyDb, event, givenSite, post, DESKTOP, PHONE, CRAWLER } from './helpers'
import { normalisePath } from '../../edge/domain/paths'
import { journeyReport } from '../../edge/domain/journeys'
import { trendPeriod } from '../../edge/domain/trends'
import { parseFilter } from '../../edge/domain/filters'
import { deviceFlags } from '../../edge/domain/bots'
import { FLAG } from '../../edge/domain/flags'
import { signOffer } from '../../edge/domain/offers'
import { siteSecret } from '../../edge/store/sites'

const DAY = 86_400_000
const FUNNEL = { id: 'onboarding', steps: [{ id: 'account' }, { id: 'workspace' }, { id: 'done' }] }
const SHOP = 'https://shop.example'

const read = async (path: string) => {
  await drained()
  const r = await SELF.fetch(`https://edge.example/v1/insights/${path}`, { headers: ADMIN })
  return { status: r.status, body: (await r.json()) as any }
}

/** One session of one visitor: events `ago` ms before now. */
const visit = (
  visitor: string,
  events: ReturnType<typeof event>[],
  o: { session?: string; headers?: Record<string, string> } = {},
) => post('/v1/events', batch(events, { visitor, session: o.session ?? `s-${visitor}` }), o.headers ?? DESKTOP)

const pv = (path: string, ago = 0, ref?: string) =>
  event({ type: 'pageview', url: SHOP + path, ts: Date.now() - ago, ...(ref !== undefined && { props: { ref } }) })
const step = (s: string, ago = 0) =>
  event({ type: 'step', name: 'onboarding', ts: Date.now() - ago, props: { step: s } })
const track = (name: string, props: Record<string, any> = {}, ago = 0) =>
  event({ type: 'track', name, props, ts: Date.now() - ago })
/** An NPS answer with the offer the worker signs (unsigned answers are left out of NPS). */
const nps = async (visitor: string, score: number, ago = 0) =>
  event({
    type: 'survey_answer',
    name: 'nps',
    ts: Date.now() - ago,
    props: { kind: 'nps', score },
    hash: await signOffer((await siteSecret(env.DB, 'acme'))!, 'acme', 'nps', visitor, Date.now()),
  })

beforeEach(async () => {
  await emptyDb()
  await givenSite('acme', { funnels: [FUNNEL] })
})

describe('page names', () => {
  it('collapses ids and hashes, and follows the site’s own patterns first', () => {
    expect(normalisePath('https://shop.example/projects/123?tab=1#x')).toBe('/projects/:id')
    expect(normalisePath('https://shop.example/p/3f2b8c1e-9a7d-4e2f-8b1a-0c9d8e7f6a5b/edit')).toBe('/p/:id/edit')
    expect(normalisePath('https://shop.example/files/9f86d081884c7d659a2feaa0c55ad015')).toBe('/files/:hash')
    expect(normalisePath('https://shop.example/blog/how-to-onboard-2024')).toBe('/blog/how-to-onboard-2024')
    expect(normalisePath('https://shop.example')).toBe('/')
    const rules = { patterns: ['/u/:name', '/docs/*'] }
    expect(normalisePath('https://shop.example/u/ann', rules)).toBe('/u/:name')
    expect(normalisePath('https://shop.example/docs/api/events', rules)).toBe('/docs/*')
    expect(normalisePath('https://shop.example/projects/7', { ids: false })).toBe('/projects/7')
  })
})

describe('journeys (pure)', () => {
  it('counts paths from the entry page, with drop-off at each step and conversions to the goal', () => {
    const r = journeyReport([
      { pages: ['/', '/pricing', '/signup'], goalAfter: 2 },
      { pages: ['/', '/pricing', '/pricing', '/signup'], goalAfter: 3 },
      { pages: ['/', '/pricing'], goalAfter: -1 },
      { pages: ['/', '/docs'], goalAfter: -1 },
      { pages: ['/blog'], goalAfter: -1 },
    ])
    expect(r.journeys).toBe(5)
    expect(r.converted).toBe(2)
    expect(r.steps.map((s) => s.nodes.map((n) => [n.page, n.sessions, n.dropOff, n.converted]))).toEqual([
      [
        ['/', 4, 0, 2],
        ['/blog', 1, 1, 0],
      ],
      [
        ['/pricing', 3, 1, 2],
        ['/docs', 1, 1, 0],
      ],
      [['/signup', 2, 0, 2]],
    ])
    expect(r.paths[0]).toEqual({ pages: ['/', '/pricing', '/signup'], sessions: 2, converted: 2 })
    // From a given page: only sessions through it, starting there.
    const fromPricing = journeyReport([{ pages: ['/', '/pricing', '/signup'], goalAfter: -1 }], '/pricing')
    expect(fromPricing.paths).toEqual([{ pages: ['/pricing', '/signup'], sessions: 1, converted: 0 }])
  })

  it('stops at 5 steps', () => {
    const r = journeyReport([{ pages: ['/a', '/b', '/c', '/d', '/e', '/f', '/g'], goalAfter: -1 }])
    expect(r.paths[0]!.pages).toEqual(['/a', '/b', '/c', '/d', '/e'])
    expect(r.steps.at(-1)!.dropOff).toBe(0)
  })
})

describe('GET /v1/insights/trends', () => {
  it('counts each day of the period and of the period before, people only', async () => {
    await visit('a', [pv('/', 0), pv('/pricing', 0), step('done', 0), await nps('a', 10, 0)], { session: 'a1' })
    await visit('a', [pv('/', 2 * DAY)], { session: 'a2' })
    await visit('b', [
      pv('/', 2 * DAY),
      event({ type: 'rage_click', ts: Date.now() - 2 * DAY }),
      await nps('b', 3, 2 * DAY),
    ])
    await visit('c', [pv('/', 9 * DAY), step('done', 9 * DAY)])
    await visit('bot', [pv('/', 0), pv('/', 2 * DAY)], { headers: CRAWLER })
    const { status, body } = await read('trends?site=acme&days=7')
    expect(status).toBe(200)
    expect(body.unit).toBe('day')
    expect(body.buckets).toBe(7)
    const m = Object.fromEntries(body.metrics.map((x: any) => [x.id, x]))
    expect(m.visitors.current).toEqual([0, 0, 0, 0, 2, 0, 1])
    expect(m.visitors.total).toEqual({ current: 2, previous: 1 })
    expect(m.sessions.total).toEqual({ current: 3, previous: 1 })
    expect(m.pageviews.current).toEqual([0, 0, 0, 0, 2, 0, 2])
    expect(m.friction.current).toEqual([0, 0, 0, 0, 1, 0, 0])
    expect(m['funnel:onboarding'].current).toEqual([0, 0, 0, 0, 0, 0, 1])
    // Nine days ago: the fifth day of the seven before.
    expect(m['funnel:onboarding'].previous).toEqual([0, 0, 0, 0, 1, 0, 0])
    expect(m['funnel:onboarding'].total).toEqual({ current: 1, previous: 1 })
    expect(m.nps.current).toEqual([null, null, null, null, -100, null, 100])
    expect(m.nps.total).toEqual({ current: 0, previous: null })
    expect(body.start).toBe(Math.floor(Date.now() / DAY) * DAY - 6 * DAY)
  })

  it('does not count a form as abandoned once the visitor submitted it after all', async () => {
    // A phone's hidden tab reports the form at once; the visitor came back and sent it (form_submit).
    const left = (ago: number) =>
      event({ type: 'form_abandon', ts: Date.now() - ago, props: { form: 'signup', fields: ['email'] } })
    const sent = (ago: number) => event({ type: 'form_submit', ts: Date.now() - ago, props: { form: 'signup' } })
    await visit('back', [pv('/signup', 60_000), left(50_000), sent(20_000)])
    await visit('gone', [pv('/signup', 60_000), left(50_000)])
    await visit('twice', [pv('/signup', 2 * DAY), left(2 * DAY - 10), left(2 * DAY - 20), sent(2 * DAY - 30)])
    const m = Object.fromEntries((await read('trends?site=acme&days=7')).body.metrics.map((x: any) => [x.id, x]))
    expect(m.friction.current).toEqual([0, 0, 0, 0, 1, 0, 1])
    expect(m.friction.total.current).toBe(2)
    const timeline = async (v: string) => (await read(`visitors/${v}?site=acme`)).body.friction
    expect(await timeline('back')).toEqual([])
    expect(await timeline('gone')).toMatchObject([{ type: 'form_abandon', events: 1 }])
    expect(await timeline('twice')).toMatchObject([{ type: 'form_abandon', events: 1 }])
  })

  it('goes by the hour for two days or less, over the same days as every other view', async () => {
    // Now, and yesterday: the latter is in the period before (the period is today, as the overview's).
    const [today, yesterday] = [pv('/', 0), pv('/', DAY)]
    const now = today.ts
    const hour = Math.floor((now % DAY) / 3_600_000)
    await visit('a', [today, yesterday])
    const { body } = await read('trends?site=acme&days=1')
    expect([body.unit, body.buckets, body.size, body.start]).toEqual(['hour', 24, 3_600_000, now - (now % DAY)])
    const pageviews = body.metrics.find((x: any) => x.id === 'pageviews')
    expect(pageviews.current[hour]).toBe(1)
    expect(pageviews.previous[hour]).toBe(1)
    // The hours of today still to come have no value yet.
    expect(pageviews.current.slice(hour + 1).every((x: number | null) => x === null)).toBe(true)
    expect(pageviews.total).toEqual({ current: 1, previous: 1 })
    expect(trendPeriod(2, Date.UTC(2025, 0, 3, 10, 30))).toMatchObject({
      unit: 'hour',
      buckets: 48,
      start: Date.UTC(2025, 0, 2),
      previousStart: Date.UTC(2024, 11, 31),
      end: Date.UTC(2025, 0, 4),
    })
  })
})

describe('pages, sources and custom events', () => {
  it('ranks pages by visitors under their normalised names, and entry pages by sessions', async () => {
    await givenSite('acme', { funnels: [FUNNEL] }, undefined, { paths: { patterns: ['/docs/*'] } })
    await visit('a', [pv('/projects/1', 30), pv('/projects/2', 20), pv('/docs/a', 10)], { session: 'a1' })
    await visit('b', [pv('/projects/3?tab=x', 30), pv('/', 20)], { session: 'b1' })
    await visit('b', [pv('/docs/b')], { session: 'b2' })
    await visit('bot', [pv('/projects/9'), pv('/projects/9')], { headers: CRAWLER })
    const { body } = await read('pages?site=acme')
    expect(body.pages).toEqual([
      { page: '/projects/:id', pageviews: 3, visitors: 2 },
      { page: '/docs/*', pageviews: 2, visitors: 2 },
      { page: '/', pageviews: 1, visitors: 1 },
    ])
    expect(body.entries).toEqual([
      { page: '/projects/:id', sessions: 2, visitors: 2 },
      { page: '/docs/*', sessions: 1, visitors: 1 },
    ])
  })

  it('names where sessions came from: the referrer of their first page, its UTM tags, or direct', async () => {
    await visit('a', [pv('/?utm_source=news%20letter&utm_medium=email', 10, 'https://www.google.com/search?q=x')])
    await visit('b', [pv('/', 10, 'https://google.com/'), pv('/pricing', 0, `${SHOP}/`)])
    await visit('c', [pv('/pricing?utm_source=ads&utm_campaign=spring')])
    await visit('d', [pv('/', 0, `${SHOP}/elsewhere`)])
    const { body } = await read('sources?site=acme')
    expect(body.referrers).toEqual([
      { source: 'direct', sessions: 2, visitors: 2 },
      { source: 'google.com', sessions: 2, visitors: 2 },
    ])
    expect(body.campaigns).toEqual([
      { source: 'ads', medium: null, campaign: 'spring', sessions: 1, visitors: 1 },
      { source: 'news letter', medium: 'email', campaign: null, sessions: 1, visitors: 1 },
    ])
  })

  it('lists custom events with counts, visitors and the top values of their props', async () => {
    await visit('a', [track('signup', { plan: 'pro', seats: 3 }), track('signup', { plan: 'pro', nested: { x: 1 } })])
    await visit('b', [track('signup', { plan: 'free', annual: true }), track('export')])
    const { body } = await read('events?site=acme')
    expect(body.events).toEqual([
      {
        name: 'signup',
        events: 3,
        visitors: 2,
        props: [
          { key: 'annual', values: [{ value: 'true', events: 1 }] },
          {
            key: 'plan',
            values: [
              { value: 'pro', events: 2 },
              { value: 'free', events: 1 },
            ],
          },
          { key: 'seats', values: [{ value: '3', events: 1 }] },
        ],
      },
      { name: 'export', events: 1, visitors: 1, props: [] },
    ])
  })
})

describe('GET /v1/insights/journeys', () => {
  it('follows sessions page by page from an entry page or towards a goal, with drop-off', async () => {
    await visit('a', [
      pv('/', 50),
      pv('/projects/1', 40),
      pv('/projects/2', 30),
      track('invite_sent', {}, 20),
      pv('/x', 10),
    ])
    await visit('b', [pv('/', 50), pv('/projects/7', 40)])
    await visit('c', [pv('/pricing', 50)])
    const all = (await read('journeys?site=acme&goal=invite_sent')).body
    expect(all.converted).toBe(1)
    expect(all.paths).toEqual([
      { pages: ['/', '/projects/:id'], sessions: 2, converted: 1 },
      { pages: ['/pricing'], sessions: 1, converted: 0 },
    ])
    expect(all.steps[1].nodes).toEqual([{ page: '/projects/:id', sessions: 2, dropOff: 1, converted: 1 }])
    expect(all.links).toEqual([{ step: 0, from: '/', to: '/projects/:id', sessions: 2 }])
    const fromProjects = (await read('journeys?site=acme&from=/projects/:id')).body
    expect(fromProjects.journeys).toBe(2)
    expect(fromProjects.paths).toEqual([
      { pages: ['/projects/:id'], sessions: 1, converted: 0 },
      { pages: ['/projects/:id', '/x'], sessions: 1, converted: 0 },
    ])
    expect((await read('journeys?site=acme&from=projects')).status).toBe(400)
  })
})

describe('one visitor', () => {
  it('opens a visitor: who, where from, interests, survey answers, friction, and events by session', async () => {
    await visit('ann', [pv('/', 5 * DAY, 'https://news.ycombinator.com/')], { session: 'one', headers: PHONE })
    await visit(
      'ann',
      [
        pv('/pricing', 20),
        event({ type: 'rage_click', ts: Date.now() - 10, props: { path: 'button#buy' } }),
        event({ type: 'survey_answer', name: 'nps', props: { kind: 'nps', score: 4 } }),
      ],
      { session: 'two', headers: PHONE },
    )
    const { status, body } = await read('visitors/ann?site=acme')
    expect(status).toBe(200)
    expect(body.visitor.id).toBe('ann')
    expect(body.attributes).toMatchObject({ device: 'mobile', source: 'news.ycombinator.com', returning: true })
    expect(body.answers).toMatchObject([{ survey: 'nps', kind: 'nps', score: 4 }])
    expect(body.friction).toMatchObject([{ type: 'rage_click', events: 1 }])
    expect(body.sessions.map((s: any) => [s.id, s.events.map((e: any) => e.type)])).toEqual([
      ['two', ['pageview', 'rage_click', 'survey_answer']],
      ['one', ['pageview']],
    ])
    expect(body.total).toBe(4)
    expect((await read('visitors/nobody?site=acme')).status).toBe(404)
  })
})

describe('segments', () => {
  beforeEach(async () => {
    await visit('phone-new', [pv('/', 0, 'https://google.com/'), step('account'), step('workspace')], {
      headers: PHONE,
    })
    await visit('desk', [pv('/', 0), step('account')])
    await visit('desk', [pv('/pricing', 0), step('workspace'), step('done')], { session: 's-desk-2' })
  })

  it('narrows every insight to a device, a referrer or new and returning visitors', async () => {
    expect((await read('overview?site=acme&device=mobile')).body).toMatchObject({
      visitors: 1,
      pageviews: 1,
      segment: { device: 'mobile', label: 'mobile' },
    })
    expect((await read('overview?site=acme&device=desktop')).body).toMatchObject({ visitors: 1, pageviews: 2 })
    expect((await read('overview?site=acme&referrer=google.com')).body).toMatchObject({ visitors: 1, sessions: 1 })
    expect((await read('overview?site=acme&referrer=direct')).body).toMatchObject({ visitors: 1, sessions: 2 })
    expect((await read('overview?site=acme&visitor=returning')).body).toMatchObject({ visitors: 1 })
    expect((await read('overview?site=acme&visitor=new')).body).toMatchObject({ visitors: 1 })
    expect((await read('visitors?site=acme&device=mobile')).body.visitors.map((v: any) => v.id)).toEqual(['phone-new'])
    expect((await read('pages?site=acme&visitor=returning')).body.pages.map((p: any) => p.page)).toEqual([
      '/',
      '/pricing',
    ])
    const trend = (await read('trends?site=acme&days=7&device=mobile')).body
    expect(trend.metrics.find((m: any) => m.id === 'visitors').total.current).toBe(1)
  })

  it('compares a funnel for two segments side by side', async () => {
    const { body } = await read('funnels?site=acme&device=mobile&vs.device=desktop')
    expect(body.segment.label).toBe('mobile')
    expect(body.compare.segment.label).toBe('desktop')
    expect(body.funnels[0].steps.map((s: any) => s.visitors)).toEqual([1, 1, 0])
    expect(body.compare.funnels[0].steps.map((s: any) => s.visitors)).toEqual([1, 1, 1])
    expect((await read('funnels?site=acme')).body.compare).toBeNull()
  })

  it('tells phones, tablets and desktops apart by their user agent', () => {
    expect(deviceFlags(PHONE['user-agent'])).toBe(FLAG.mobile)
    expect(
      deviceFlags('Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/131.0 Mobile Safari/537.36'),
    ).toBe(FLAG.mobile)
    expect(deviceFlags('Mozilla/5.0 (iPad; CPU OS 17_4 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148')).toBe(
      FLAG.tablet,
    )
    expect(deviceFlags('Mozilla/5.0 (Linux; Android 14; SM-X710) AppleWebKit/537.36 Chrome/131.0 Safari/537.36')).toBe(
      FLAG.tablet,
    )
    expect(deviceFlags(DESKTOP['user-agent'])).toBe(0)
  })

  it('refuses a filter it cannot apply, saying which and why', async () => {
    expect(await read('overview?site=acme&device=phone')).toEqual({
      status: 400,
      body: { error: '?device must be mobile, tablet or desktop', path: 'device' },
    })
    expect((await read('trends?site=acme&visitor=old')).body.error).toBe('?visitor must be new or returning')
    expect((await read('funnels?site=acme&vs.referrer=not a host')).body.error).toBe(
      '?vs.referrer must be a host name (like google.com) or direct',
    )
    expect((await read('pages?site=acme&segment=paying')).body.error).toBe(
      "?segment: site 'acme' has no segment 'paying'",
    )
    expect(parseFilter({ segment: 'not an id' })).toMatchObject({ ok: false, error: '?segment must be a segment id' })
  })

  it("narrows insights to a named segment of the site's profiles, and compares two", async () => {
    await givenSite('acme', {
      funnels: [FUNNEL],
      segments: [
        { id: 'done', rule: { field: 'funnels.onboarding.step', op: 'eq', value: 'done' } },
        { id: 'from-google', rule: { field: 'entry.referrer', op: 'eq', value: 'google.com' } },
      ],
    })
    await drained()
    expect((await read('overview?site=acme&segment=done')).body).toMatchObject({
      visitors: 1,
      pageviews: 2,
      segment: { segment: 'done', label: 'segment done' },
    })
    const { body } = await read('funnels?site=acme&segment=from-google&vs.segment=done')
    expect(body.funnels[0].steps.map((s: any) => s.visitors)).toEqual([1, 1, 0])
    expect(body.compare.funnels[0].steps.map((s: any) => s.visitors)).toEqual([1, 1, 1])
  })

  it('refuses page patterns in the site settings that are not paths, naming the field', async () => {
    const r = await SELF.fetch('https://edge.example/v1/admin/sites/acme', {
      method: 'PUT',
      headers: ADMIN,
      body: JSON.stringify({ settings: { paths: { patterns: ['docs/*'] } } }),
    })
    expect(r.status).toBe(400)
    expect(((await r.json()) as any).error).toContain('settings.paths.patterns[0]')
  })
})
