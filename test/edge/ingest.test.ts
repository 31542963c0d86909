import { beforeEach, describe, expect, it } from 'vitest'
import { createExecutionContext, env, SELF } from 'cloudflare:test'
import { app } from '../../edge/index'
import { ADMIN, ORIGIN, batch, drained, emptyDb, event, givenSite, post, storedEvents, DESKTOP } from './helpers'
import { FUTURE_MS, PAST_DAYS, dayOf, prepareEvents } from '../../edge/domain/ingest'
import { FLAG } from '../../edge/domain/flags'
import { addressKey } from '../../edge/domain/rate'
import { hit } from '../../edge/middleware/rate'

beforeEach(async () => {
  await emptyDb()
  await givenSite('acme', { slots: [{ id: 'hero', byInterest: { pricing: 'pricing', integrations: 'integrations' } }] })
})

/** The same request, through a second copy of the worker (this test's module, not SELF's). */
const viaOtherIsolate = (path: string, body: unknown, headers: Record<string, string>) =>
  app.request(
    `https://edge.example${path}`,
    { method: 'POST', headers: { origin: ORIGIN, ...headers }, body: JSON.stringify(body) },
    env,
    createExecutionContext(),
  )

describe('idempotent ingest', () => {
  it('stores each event of a batch replayed 20 times at once exactly once', async () => {
    const b = batch(Array.from({ length: 50 }, () => event()))
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => post('/v1/events', b).then((r) => r.json() as any)),
    )
    expect(answers.every((a) => a.accepted + a.duplicates === 50)).toBe(true)
    expect(answers.reduce((n, a) => n + a.accepted, 0)).toBe(50)
    expect((await storedEvents()).total).toBe(50)
  })

  it('loses no interest of a visitor whose batches arrive at the same time', async () => {
    // 20 tabs of one visitor, each sending a pricing click (weight 2) at once.
    const sends = Array.from({ length: 20 }, () =>
      post('/v1/events', batch([event({ type: 'click', props: { topics: ['pricing'] } })])),
    )
    expect((await Promise.all(sends)).every((r) => r.status === 200)).toBe(true)
    await drained()
    const r = await SELF.fetch('https://edge.example/v1/visitors/visitor-1?site=acme', { headers: ADMIN })
    const v = (await r.json()) as any
    expect(v.profile.events).toBe(20)
    expect(v.interests[0].topic).toBe('pricing')
    expect(v.interests[0].score).toBeCloseTo(40, 1)
  })
})

describe('days', () => {
  it('names the UTC day of any time, asked in any order, across midnight and before 1970', () => {
    const times = [
      Date.UTC(2026, 10, 25, 23, 59, 59, 999),
      Date.UTC(2026, 10, 26, 0, 0, 0, 0),
      Date.UTC(2026, 10, 25, 0, 0, 0, 0),
      Date.UTC(2026, 10, 26, 12),
      Date.UTC(1969, 11, 31, 23, 59),
      Date.UTC(1970, 0, 1),
      Date.UTC(2026, 10, 25, 23, 59, 59, 999),
    ]
    for (const t of [...times, ...times.reverse()]) expect(dayOf(t)).toBe(new Date(t).toISOString().slice(0, 10))
  })
})

describe('clock skew', () => {
  it("shifts event times by the gap between the batch's sentAt and the worker's clock", () => {
    const now = 1_800_000_000_000
    const behind = 2 * 3600_000
    const b = batch([event({ ts: now - behind - 5000 })], { sentAt: now - behind })
    const [e] = prepareEvents(b, now, false)
    expect(e!.ts).toBe(now - 5000)
    expect(e!.clientTs).toBe(now - behind - 5000)
    expect(e!.flags).toBe(0)
  })

  it('flags an event that claims to come from more than 23 hours in the future, and stores it', async () => {
    const now = Date.now()
    const r = await post(
      '/v1/events',
      batch([event({ id: 'future-1', ts: now + FUTURE_MS + 3600_000 }), event({ id: 'fine-1' })], { sentAt: now }),
    )
    expect(r.status).toBe(200)
    const stored = await storedEvents()
    const future = stored.events.find((e) => e.id === 'future-1')!
    expect(future.flags & FLAG.future).toBe(FLAG.future)
    expect(future.ts).toBeLessThanOrEqual(Date.now())
    expect(stored.events.find((e) => e.id === 'fine-1')!.flags & FLAG.future).toBe(0)
  })
})

describe('how far back an event may claim', () => {
  it(`refuses an event dated more than ${PAST_DAYS} days before its batch was sent, and stores the rest`, async () => {
    const now = Date.now()
    const old = event({ id: 'backdated', ts: now - 40 * 86_400_000 })
    const offline = event({ id: 'offline-a-month', ts: now - (PAST_DAYS - 1) * 86_400_000 })
    const r = await post('/v1/events', batch([old, offline], { sentAt: now }))
    expect(r.status).toBe(200)
    const a = (await r.json()) as any
    expect(a.accepted).toBe(1)
    expect(a.rejected).toEqual([
      {
        index: 0,
        id: 'backdated',
        error: `events[0].ts is more than ${PAST_DAYS} days before the batch's sentAt; events that old are not stored`,
      },
    ])
    // Measured from the batch's own clock: a device whose clock is 60 days behind is not refused.
    const behind = 60 * 86_400_000
    const slow = event({ id: 'slow-clock', ts: now - behind - 5000 })
    expect(((await (await post('/v1/events', batch([slow], { sentAt: now - behind }))).json()) as any).accepted).toBe(1)
    expect((await storedEvents()).events.map((e) => e.id).sort()).toEqual(['offline-a-month', 'slow-clock'])
  })
})

describe('bots', () => {
  it('marks events from a crawler or an automated browser, and keeps them', async () => {
    await post('/v1/events', batch([event({ id: 'crawler' })]), {
      'user-agent': 'Googlebot/2.1 (+http://www.google.com/bot.html)',
    })
    await post('/v1/events', batch([event({ id: 'driven' })], { automation: true }), DESKTOP)
    await post('/v1/events', batch([event({ id: 'person' })]), DESKTOP)
    const flags = Object.fromEntries((await storedEvents()).events.map((e) => [e.id, e.flags & FLAG.bot]))
    expect(flags).toEqual({ crawler: FLAG.bot, driven: FLAG.bot, person: 0 })
  })
})

/** Limits count in fixed minutes: start a test that needs one whole minute early enough in it. */
async function earlyInAMinute() {
  const left = 60_000 - (Date.now() % 60_000)
  if (left < 40_000) await new Promise((r) => setTimeout(r, left + 50))
}

describe('rate limits (600 a minute per site and client address, counted across isolates)', () => {
  it('counts an IPv6 client by its /64, so rotating addresses gains nothing', () => {
    expect(addressKey('2001:db8:1:2:aaaa:bbbb:cccc:dddd')).toBe('2001:db8:1:2::/64')
    expect(addressKey('2001:db8:1:2::1')).toBe('2001:db8:1:2::/64')
    expect(addressKey('2001:0db8:0001:0002:0:0:0:9')).toBe('2001:db8:1:2::/64')
    expect(addressKey('2001:db8::')).toBe('2001:db8:0:0::/64')
    expect(addressKey('203.0.113.9')).toBe('203.0.113.9')
  })

  it('keeps refusing a client over its limit while 60,000 other addresses come and go', async () => {
    const now = Date.parse('2026-11-25T12:00:05Z')
    let allowed = 0
    for (let i = 0; i < 30; i++) if (await hit(env, 'acme 203.0.113.50', 20, 10, now)) allowed++
    expect(allowed).toBe(20)
    // A flood of fresh addresses (each once) fills the isolate's table many times over.
    for (let i = 0; i < 60_000; i++) await hit(env, `acme 10.${i >> 16}.${(i >> 8) & 255}.${i & 255}`, 20, 10, now)
    expect(await hit(env, 'acme 203.0.113.50', 20, 10, now)).toBe(false)
    // Two minutes later, the count has faded.
    expect(await hit(env, 'acme 203.0.113.50', 20, 10, now + 120_000)).toBe(true)
  })

  it('counts the minute before too, so a burst at the turn of a minute gets no second allowance', async () => {
    const end = Date.parse('2026-11-25T12:00:59.900Z')
    let allowed = 0
    for (let i = 0; i < 20; i++) if (await hit(env, 'acme 203.0.113.60', 20, 10, end)) allowed++
    for (let i = 0; i < 20; i++) if (await hit(env, 'acme 203.0.113.60', 20, 10, end + 200)) allowed++
    expect(allowed).toBeLessThanOrEqual(21)
    // As the last minute's share fades, the client is served again within the minute.
    expect(await hit(env, 'acme 203.0.113.60', 20, 10, end + 45_000)).toBe(true)
  })

  it('answers 429 with Retry-After past the limit, counting requests that reach two isolates, and stores nothing refused', async () => {
    const ip = { 'cf-connecting-ip': '203.0.113.7' }
    await earlyInAMinute()
    let refused: Response | undefined
    let sent = 0
    // Alternate between the worker (SELF) and a second copy of it: one count across both.
    // Empty batches: the limit counts requests, and these cost no storage.
    while (!refused && sent < 600) {
      const r =
        sent++ % 2 ? await post('/v1/events', batch([]), ip) : await viaOtherIsolate('/v1/events', batch([]), ip)
      expect(r.status).toBe(200)
    }
    refused = await post('/v1/events', batch([event({ id: 'rl-601' })]), ip)
    expect(refused.status).toBe(429)
    expect(Number(refused!.headers.get('retry-after'))).toBeGreaterThan(0)
    expect(((await refused!.json()) as any).error).toMatch(/too many requests/)
    expect((await storedEvents()).events.some((e) => e.id === 'rl-601')).toBe(false)
    // Another address is served.
    expect((await post('/v1/events', batch([event()]), { 'cf-connecting-ip': '203.0.113.8' })).status).toBe(200)
  }, 120_000)

  it('limits a client rotating through its IPv6 /64, decide calls and unknown sites too', async () => {
    const v6 = (i: number) => ({ 'cf-connecting-ip': `2001:db8:77:1:${i.toString(16)}::1` })
    await earlyInAMinute()
    const statuses: number[] = []
    for (let i = 0; i < 601; i++) {
      const body = { site: 'acme', visitor: 'v', session: 's', url: 'https://shop.example/' }
      statuses.push((await viaOtherIsolate('/v1/decide', body, v6(i))).status)
    }
    expect(statuses.slice(0, 600).every((s) => s === 200)).toBe(true)
    expect(statuses[600]).toBe(429)
    // Posts for sites that do not exist are counted per address too (guessing keys costs).
    const ghost = { 'cf-connecting-ip': '203.0.113.99' }
    await earlyInAMinute()
    const answers: number[] = []
    for (let i = 0; i < 601; i++)
      answers.push((await viaOtherIsolate('/v1/events', batch([], { site: 'ghost' }), ghost)).status)
    expect(answers.slice(0, 600).every((s) => s === 404)).toBe(true)
    expect(answers[600]).toBe(429)
  }, 120_000)
})

describe('daily quota per site', () => {
  it('answers 429 until midnight UTC once the site stored its events for the day, in every isolate, and counts the refusals', async () => {
    await givenSite('acme', {}, [ORIGIN], { eventsPerDay: 30 })
    for (let i = 0; i < 3; i++) {
      const r =
        i % 2
          ? await post('/v1/events', batch([...Array(10)].map(() => event())))
          : await viaOtherIsolate('/v1/events', batch([...Array(10)].map(() => event())), {})
      expect(r.status).toBe(200)
    }
    await drained()
    const one = await post('/v1/events', batch([event({ id: 'over-1' })]))
    const two = await viaOtherIsolate('/v1/events', batch([event({ id: 'over-2' })]), {})
    for (const r of [one, two]) {
      expect(r.status).toBe(429)
      const wait = Number(r.headers.get('retry-after'))
      expect(wait).toBeGreaterThan(0)
      expect(wait).toBeLessThanOrEqual(86_400)
      expect(((await r.json()) as any).error).toBe(
        "site 'acme' has stored its 30 events for today; retry in " + wait + ' s',
      )
    }
    expect((await storedEvents()).total).toBe(30)
    // Refusals are counted (written within a second or so, off the request path).
    const usage = async () => {
      const r = await SELF.fetch('https://edge.example/v1/admin/sites/acme/usage?days=1', { headers: ADMIN })
      return ((await r.json()) as any).days[0]
    }
    const end = Date.now() + 10_000
    let today = await usage()
    while (today.refused < 2 && Date.now() < end) today = (await new Promise((r) => setTimeout(r, 100)), await usage())
    expect(today).toMatchObject({ events: 30, refused: 2 })
  })
})

describe('personalised answers', () => {
  it("answers with the slot variant of the visitor's interest, built from the topics of new events only", async () => {
    const pricing = event({ type: 'click', props: { topics: ['pricing'] } })
    const first = (await (await post('/v1/events', batch([pricing]))).json()) as any
    expect(first.decisions).toEqual({ hero: 'pricing' })
    // Three retries of the pricing click do not outweigh two fresh integrations views.
    for (let i = 0; i < 3; i++) await post('/v1/events', batch([pricing]))
    const integrations = [1, 2].map(() => event({ props: { topics: ['integrations'] } }))
    const later = (await (await post('/v1/events', batch(integrations))).json()) as any
    expect(later.decisions).toEqual({ hero: 'integrations' })
    const decide = await post('/v1/decide', {
      site: 'acme',
      visitor: 'visitor-1',
      session: 'session-1',
      url: 'https://shop.example/',
    })
    expect(await decide.json()).toEqual({ decisions: { hero: 'integrations' } })
  })

  it('answers an unknown visitor with no decisions, so the page keeps its defaults', async () => {
    const r = await post('/v1/decide', { site: 'acme', visitor: 'nobody', session: 's', url: 'https://shop.example/' })
    expect(await r.json()).toEqual({ decisions: {} })
  })
})

describe('wrong requests', () => {
  it.each([
    ['GET', '/v1/events'],
    ['PUT', '/v1/events'],
    ['GET', '/v1/decide'],
  ])('answers %s %s with a JSON 4xx', async (method, path) => {
    const r = await SELF.fetch(`https://edge.example${path}`, { method })
    expect(r.status).toBeGreaterThanOrEqual(400)
    expect(r.status).toBeLessThan(500)
    expect(typeof ((await r.json()) as any).error).toBe('string')
  })

  it('answers a CORS preflight for the snippet', async () => {
    const r = await SELF.fetch('https://edge.example/v1/events', {
      method: 'OPTIONS',
      headers: { origin: 'https://shop.example', 'access-control-request-method': 'POST' },
    })
    expect(r.status).toBe(204)
    expect(r.headers.get('access-control-allow-origin')).toBe('https://shop.example')
  })
})

describe('loss reports', () => {
  it('records what snippets report as evicted or dropped, per site and day', async () => {
    await post('/v1/events', batch([event()], { evicted: 12, dropped: 3 }))
    await post('/v1/events', batch([event()], { evicted: 1 }))
    await drained()
    const row = await env.DB.prepare("SELECT evicted, dropped FROM ingest_loss WHERE site = 'acme'").first()
    expect(row).toEqual({ evicted: 13, dropped: 3 })
  })
})
