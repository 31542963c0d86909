import { beforeEach, describe, expect, it } from 'vitest'
import { createExecutionContext, env, SELF } from 'cloudflare:test'
import app from '../../edge/index'
import { Hono } from 'hono'
import { ORIGIN, batch, emptyDb, event, givenSite, post, storedEvents } from './helpers'
import { FUTURE_MS, prepareEvents } from '../../edge/domain/ingest'
import { createLimiter } from '../../edge/domain/rate'
import { FLAG } from '../../edge/store/queries'
import { RATE } from '../../edge/routes/events'

beforeEach(async () => {
  await emptyDb()
  await givenSite('acme', { slots: [{ id: 'hero', byInterest: { pricing: 'pricing', integrations: 'integrations' } }] })
})

const CHROME = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36'

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

describe('bots', () => {
  it('marks events from a crawler or an automated browser, and keeps them', async () => {
    await post('/v1/events', batch([event({ id: 'crawler' })]), {
      'user-agent': 'Googlebot/2.1 (+http://www.google.com/bot.html)',
    })
    await post('/v1/events', batch([event({ id: 'driven' })], { automation: true }), { 'user-agent': CHROME })
    await post('/v1/events', batch([event({ id: 'person' })]), { 'user-agent': CHROME })
    const flags = Object.fromEntries((await storedEvents()).events.map((e) => [e.id, e.flags & FLAG.bot]))
    expect(flags).toEqual({ crawler: FLAG.bot, driven: FLAG.bot, person: 0 })
  })
})

describe('rate limit', () => {
  it('answers 429 with Retry-After past the limit, per client address', async () => {
    const limiter = createLimiter({ limit: 3, windowMs: 60_000 })
    const app = new Hono().get('/', (c) => {
      const r = limiter.hit(c.req.header('cf-connecting-ip') ?? '?', 1_000_000)
      if (!r.ok) return c.json({ error: 'slow down' }, 429, { 'retry-after': String(r.retryAfterSec) })
      return c.json({ ok: true })
    })
    const get = (ip: string) => app.request('/', { headers: { 'cf-connecting-ip': ip } })
    for (let i = 0; i < 3; i++) expect((await get('1.1.1.1')).status).toBe(200)
    const limited = await get('1.1.1.1')
    expect(limited.status).toBe(429)
    expect(limited.headers.get('retry-after')).toBe('20')
    expect((await get('2.2.2.2')).status).toBe(200)
  })

  it('limits POST /v1/events per site and address, storing nothing from refused requests', async () => {
    // In-process, so the test and the worker share the limiter of this isolate.
    const send = (body: unknown, ip: string) =>
      app.request(
        'https://edge.example/v1/events',
        { method: 'POST', headers: { origin: ORIGIN, 'cf-connecting-ip': ip }, body: JSON.stringify(body) },
        env,
        createExecutionContext(),
      )
    let refused: Response | undefined
    let sent = 0
    while (!refused && sent <= RATE.limit) {
      const r = await send(batch([event({ id: `rl-${sent++}` })]), '203.0.113.7')
      if (r.status === 429) refused = r
    }
    expect(sent).toBe(RATE.limit + 1)
    expect(refused?.status).toBe(429)
    expect(Number(refused!.headers.get('retry-after'))).toBeGreaterThan(0)
    expect(((await refused!.json()) as any).error).toMatch(/too many requests/)
    expect((await storedEvents()).total).toBeLessThanOrEqual(RATE.limit)
    // Another address is served.
    expect((await send(batch([event()]), '203.0.113.8')).status).toBe(200)
  }, 60_000)
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
    const row = await env.DB.prepare("SELECT evicted, dropped FROM ingest_loss WHERE site = 'acme'").first()
    expect(row).toEqual({ evicted: 13, dropped: 3 })
  })
})
