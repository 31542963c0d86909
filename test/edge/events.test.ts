import { beforeEach, describe, expect, it } from 'vitest'
import { SELF, env } from 'cloudflare:test'
import { ADMIN, batch, drained, emptyDb, event, givenSite, post, storedEvents } from './helpers'
import { LOSS_PER_VISITOR_DAY } from '../../edge/domain/ingest'

beforeEach(emptyDb)

describe('POST /v1/events', () => {
  beforeEach(async () => {
    await givenSite()
  })

  it('stores a valid batch and answers with counts, decisions and surveys', async () => {
    const events = [event(), event({ type: 'track', name: 'signup_started', props: { plan: 'pro' } })]
    const r = await post('/v1/events', batch(events))
    expect(r.status).toBe(200)
    expect(await r.json()).toEqual({ accepted: 2, duplicates: 0, decisions: {}, surveys: [] })
    const stored = await storedEvents()
    expect(stored.total).toBe(2)
    expect(stored.events.find((e) => e.type === 'track')?.props).toEqual({ plan: 'pro' })
  })

  it('counts a replayed batch as duplicates and stores nothing new', async () => {
    const b = batch([event(), event()])
    await post('/v1/events', b)
    const again = await post('/v1/events', { ...b, sentAt: Date.now() })
    expect(await again.json()).toMatchObject({ accepted: 0, duplicates: 2 })
    expect((await storedEvents()).total).toBe(2)
  })

  it('counts a batch that mixes new and retried events correctly', async () => {
    const old = event()
    await post('/v1/events', batch([old]))
    const r = await post('/v1/events', batch([old, event()]))
    expect(await r.json()).toMatchObject({ accepted: 1, duplicates: 1 })
    expect((await storedEvents()).total).toBe(2)
  })

  it('answers 404 with a message for an unknown site key, and stores nothing', async () => {
    const r = await post('/v1/events', batch([event()], { site: 'nobody' }))
    expect(r.status).toBe(404)
    expect(await r.json()).toEqual({ error: "unknown site key 'nobody'" })
    await drained()
    expect(await env.DB.prepare('SELECT count(*) AS n FROM events').first('n')).toBe(0)
  })

  it.each([
    ['broken JSON', '{"site":', 'body is not valid JSON'],
    ['an empty body', '', 'body is empty; expected a JSON object'],
    ['a JSON array', '[]', 'body must be a JSON object'],
    [
      'events that are not an array',
      { site: 'acme', visitor: 'v', session: 's', sentAt: 1, events: {} },
      'events must be an array',
    ],
    ['a missing visitor', { site: 'acme', session: 's', sentAt: 1, events: [] }, 'visitor is missing'],
    ['a visitor id with spaces', batch([], { visitor: 'a b' }), "visitor must be 1 to 64 letters, digits, '-' or '_'"],
    ['a loss count no outbox can have', batch([], { evicted: 1e9 }), 'evicted must be a whole number from 0 to 100000'],
  ])('answers 400 with a clear message for %s, and stores nothing', async (_, body, message) => {
    const r = await post('/v1/events', body)
    expect(r.status).toBe(400)
    // A message about one field starts with its path, which the answer also gives apart.
    const field = /^(events|visitor|evicted) /.exec(message)?.[1]
    expect(await r.json()).toEqual(field ? { error: message, path: field } : { error: message })
    expect((await storedEvents()).total).toBe(0)
    expect(await env.DB.prepare('SELECT count(*) AS n FROM ingest_loss').first('n')).toBe(0)
  })

  it('stores the good events of a batch and names the bad ones, so the outbox drops only those', async () => {
    const good = [event(), event()]
    const r = await post(
      '/v1/events',
      batch([
        good[0]!,
        event({ id: 'bad-url', url: 42 as any }),
        good[1]!,
        event({ id: 'bad-ts', ts: '2026-01-01' as any }),
      ]),
    )
    expect(r.status).toBe(200)
    expect(await r.json()).toEqual({
      accepted: 2,
      duplicates: 0,
      decisions: {},
      surveys: [],
      rejected: [
        { index: 1, id: 'bad-url', error: 'events[1].url must be a string' },
        { index: 3, id: 'bad-ts', error: 'events[3].ts must be a time in milliseconds since the Unix epoch' },
      ],
    })
    const stored = await storedEvents()
    expect(stored.events.map((e) => e.id).sort()).toEqual(good.map((e) => e.id).sort())
    // The worker counts what it refused; the day's loss says so.
    expect(await env.DB.prepare("SELECT rejected FROM ingest_loss WHERE site = 'acme'").first('rejected')).toBe(2)
  })

  it('measures an event in UTF-8 bytes: 30 props of 1,024 € are refused, the click beside them kept', async () => {
    const props = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`k${i}`, '€'.repeat(1024)]))
    const click = event({ type: 'click' })
    const r = await post('/v1/events', batch([event({ id: 'euros', type: 'track', name: 'big', props }), click]))
    const a = (await r.json()) as any
    expect(a.accepted).toBe(1)
    expect(a.rejected).toEqual([{ index: 0, id: 'euros', error: 'events[0] is larger than 32768 bytes' }])
    expect((await storedEvents()).events.map((e) => e.id)).toEqual([click.id])
  })

  it('creates no visitor for an empty batch, but records the loss it reports', async () => {
    const r = await post('/v1/events', batch([], { visitor: 'empty-handed', evicted: 7 }))
    expect(await r.json()).toEqual({ accepted: 0, duplicates: 0, decisions: {}, surveys: [] })
    await storedEvents()
    expect(await env.DB.prepare('SELECT count(*) AS n FROM visitors').first('n')).toBe(0)
    expect(await env.DB.prepare("SELECT evicted FROM ingest_loss WHERE site = 'acme'").first('evicted')).toBe(7)
  })

  it(`counts at most ${LOSS_PER_VISITOR_DAY} events a visitor reports lost in a day, so forged reports cannot swell the loss`, async () => {
    for (let i = 0; i < 3; i++)
      expect((await post('/v1/events', batch([], { visitor: 'loud', evicted: 100_000, dropped: 5 }))).status).toBe(200)
    await post('/v1/events', batch([], { visitor: 'quiet', evicted: 7, dropped: 2 }))
    await drained()
    const r = await SELF.fetch('https://edge.example/v1/admin/sites/acme/usage?days=1', { headers: ADMIN })
    const [today] = ((await r.json()) as any).days
    expect({ evicted: today.evicted, dropped: today.dropped }).toEqual({
      evicted: LOSS_PER_VISITOR_DAY + 7,
      dropped: 2,
    })
  })

  it('refuses an origin the site does not allow', async () => {
    const r = await post('/v1/events', batch([event()]), { origin: 'https://evil.example' })
    expect(r.status).toBe(403)
    expect(((await r.json()) as any).error).toMatch(/origin https:\/\/evil.example is not allowed/)
    expect((await storedEvents()).total).toBe(0)
  })

  it('accepts the subdomains a wildcard origin names, at any depth, and nothing that only looks like one', async () => {
    const put = await SELF.fetch('https://edge.example/v1/admin/sites/acme', {
      method: 'PUT',
      headers: ADMIN,
      body: JSON.stringify({ origins: ['https://*.shop.example', 'http://localhost:3000'] }),
    })
    expect(put.status).toBe(200)
    const status = async (origin: string) => (await post('/v1/events', batch([event()]), { origin })).status
    expect(await status('https://eu.shop.example')).toBe(200)
    expect(await status('https://a.b.shop.example')).toBe(200)
    expect(await status('http://localhost:3000')).toBe(200)
    for (const origin of [
      'https://shop.example', // the domain itself: list it too if it sends
      'https://shop.example.evil.net',
      'https://evilshop.example',
      'http://eu.shop.example', // another scheme
      'https://eu.shop.example:8443', // another port
      'https://eu.shop.example.',
    ])
      expect([origin, await status(origin)]).toEqual([origin, 403])
  })

  it.each([
    ['https://a*.shop.example', 'origins[0] may use * only as a whole first label, like https://*.example.com'],
    ['https://*.example', 'origins[0] may use * only as a whole first label, like https://*.example.com'],
    ['https://*', 'origins[0] may use * only as a whole first label, like https://*.example.com'],
    ['https://shop.*.example', 'origins[0] may use * only as a whole first label, like https://*.example.com'],
  ])('refuses the wildcard origin %s when the site is saved', async (origin, error) => {
    const r = await SELF.fetch('https://edge.example/v1/admin/sites/acme', {
      method: 'PUT',
      headers: ADMIN,
      body: JSON.stringify({ origins: [origin] }),
    })
    expect(r.status).toBe(400)
    expect(await r.json()).toEqual({ error, path: 'origins[0]' })
  })

  it('lets the allowed origin read the answer (CORS)', async () => {
    const r = await post('/v1/events', batch([event()]))
    expect(r.headers.get('access-control-allow-origin')).toBe('https://shop.example')
  })

  it('lets the page read a refusal too, and tells caches the answer varies by origin (CORS)', async () => {
    for (const r of [
      await post('/v1/events', { site: 'acme' }),
      await post('/v1/events', batch([event()], { site: 'nobody' })),
    ]) {
      expect(r.status).toBeGreaterThanOrEqual(400)
      expect(r.headers.get('access-control-allow-origin')).toBe('https://shop.example')
      expect(r.headers.get('vary')).toMatch(/Origin/)
      expect(((await r.json()) as any).error).toEqual(expect.any(String))
    }
    const r = await post('/v1/events', batch([event()]))
    expect(r.headers.get('vary')).toMatch(/Origin/)
  })
})

describe('DELETE /v1/visitors/:id', () => {
  beforeEach(async () => {
    await givenSite()
  })

  it("erases one visitor's events and profile, and nobody else's", async () => {
    await post('/v1/events', batch([event(), event()], { visitor: 'leaving' }))
    await post('/v1/events', batch([event()], { visitor: 'staying' }))
    const r = await SELF.fetch('https://edge.example/v1/visitors/leaving?site=acme', {
      method: 'DELETE',
      headers: ADMIN,
    })
    expect(r.status).toBe(200)
    expect(await r.json()).toEqual({ visitors: 1, erased: 2, remaining: 0 })
    const left = await storedEvents()
    expect(left.events.map((e: any) => e.visitor)).toEqual(['staying'])
    const profile = await env.DB.prepare("SELECT count(*) AS n FROM visitors WHERE id = 'leaving'").first<{
      n: number
    }>()
    expect(profile?.n).toBe(0)
  })

  it('needs the admin token and a known site', async () => {
    const anon = await SELF.fetch('https://edge.example/v1/visitors/x?site=acme', { method: 'DELETE' })
    expect(anon.status).toBe(401)
    const unknown = await SELF.fetch('https://edge.example/v1/visitors/x?site=ghost', {
      method: 'DELETE',
      headers: ADMIN,
    })
    expect(unknown.status).toBe(404)
  })
})
