/**
 * Erasure that is complete and stays done (issue #7): every visitor ever identified as the
 * user, the cookieless page ids linked to them, in pages that say what remains, and a
 * tombstone so that a replayed batch is acknowledged but never stored again.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { SELF, env } from 'cloudflare:test'
import { ADMIN, batch, drained, emptyDb, event, givenSite, post, storedEvents, until, DESKTOP } from './helpers'
import { identityHash } from '../../edge/domain/identity'
import { FLAG } from '../../edge/domain/flags'

const del = async (path: string) => {
  await drained()
  const r = await SELF.fetch(`https://edge.example${path}`, { method: 'DELETE', headers: ADMIN })
  return { status: r.status, body: (await r.json()) as any }
}
const get = async (path: string) => {
  await drained()
  const r = await SELF.fetch(`https://edge.example${path}`, { headers: ADMIN })
  return { status: r.status, body: (await r.json()) as any }
}
const identify = (user: string, hash?: string) => event({ type: 'identify', name: user, ...(hash ? { hash } : {}) })
const visitorsOf = async (user: string) =>
  (await get(`/v1/insights/visitors?site=acme&user=${user}`)).body.visitors.map((v: any) => v.id).sort()

beforeEach(async () => {
  await emptyDb()
  await givenSite()
})

describe('erasing a user', () => {
  it('erases a device that identified as the user and later as someone else', async () => {
    await post('/v1/events', batch([event(), identify('anna')], { visitor: 'shared' }))
    await post('/v1/events', batch([identify('ben'), event()], { visitor: 'shared' }))
    await post('/v1/events', batch([event()], { visitor: 'bystander' }))
    const r = await del('/v1/visitors?site=acme&user=anna')
    expect(r.body).toEqual({ user: 'anna', visitors: 1, erased: 4, remaining: 0 })
    expect((await storedEvents()).events.map((e) => e.visitor)).toEqual(['bystander'])
  })

  it('acknowledges a batch replayed after erasure, and stores nothing of it: no events, no user, no traits', async () => {
    const first = batch([event(), event({ type: 'identify', name: 'anna', props: { plan: 'pro' } })], {
      visitor: 'laptop',
    })
    await post('/v1/events', first)
    await del('/v1/visitors?site=acme&user=anna')
    // The outbox re-sends a beacon batch on the next page, after the erasure.
    const again = await post('/v1/events', first)
    expect(again.status).toBe(200)
    expect(((await again.json()) as any).accepted).toBe(2)
    const later = await post('/v1/events', batch([event()], { visitor: 'laptop' }))
    expect(later.status).toBe(200)
    expect((await storedEvents()).total).toBe(0)
    expect(await visitorsOf('anna')).toEqual([])
    expect((await get('/v1/visitors/laptop?site=acme')).status).toBe(404)
    const rows = await env.DB.prepare("SELECT count(*) AS n FROM identities WHERE visitor = 'laptop'").first('n')
    expect(rows).toBe(0)
  })

  it('erases a user with 1,200 devices completely, a page at a time, saying how many events remain', async () => {
    // Seeded straight into D1: 1,200 visitors identified as one user, 5 events each.
    const now = Date.now()
    const visitors = Array.from({ length: 1200 }, (_, i) => `device-${i}`)
    await env.DB.prepare(
      `INSERT INTO identities (site, user_id, visitor, at) SELECT 'acme', 'carla', value, ? FROM json_each(?)`,
    )
      .bind(now, JSON.stringify(visitors))
      .run()
    const rows = visitors.flatMap((v) => [0, 1, 2, 3, 4].map((k) => ({ v, id: `${v}-e${k}` })))
    for (let i = 0; i < rows.length; i += 2000)
      await env.DB.prepare(
        `INSERT INTO events (site, id, visitor, session, type, url, ts, client_ts, received_at)
         SELECT 'acme', value ->> 'id', value ->> 'v', 's', 'pageview', 'https://shop.example/', ?1, ?1, ?1 FROM json_each(?2)`,
      )
        .bind(now, JSON.stringify(rows.slice(i, i + 2000)))
        .run()
    await post('/v1/events', batch([event()], { visitor: 'someone-else' }))

    const pages = []
    for (let page = (await del('/v1/visitors?site=acme&user=carla')).body; ;) {
      pages.push(page)
      if (!page.remaining) break
      page = (await del('/v1/visitors?site=acme&user=carla')).body
    }
    expect(pages[0]).toEqual({ user: 'carla', visitors: 1200, erased: 5000, remaining: 1000 })
    expect(pages.at(-1)).toMatchObject({ remaining: 0 })
    expect(pages.reduce((n, p) => n + p.erased, 0)).toBe(6000)
    expect((await storedEvents()).events.map((e) => e.visitor)).toEqual(['someone-else'])
    expect(await env.DB.prepare("SELECT count(*) AS n FROM erased WHERE site = 'acme'").first('n')).toBe(1200)
  })

  it("erases the cookieless page ids that a consent event linked to the user's visitor", async () => {
    // A cookieless page: events under a per-page id; the visitor grants consent, and the page's id is linked.
    await post('/v1/events', batch([event(), event({ type: 'click' })], { visitor: 'page-id-1' }))
    await post(
      '/v1/events',
      batch([event({ type: 'consent', props: { state: 'granted', from: 'page-id-1' } }), identify('dora')], {
        visitor: 'kept-id',
      }),
    )
    await post('/v1/events', batch([event()], { visitor: 'page-id-2' }))
    const r = await del('/v1/visitors?site=acme&user=dora')
    expect(r.body).toMatchObject({ visitors: 2, erased: 4, remaining: 0 })
    expect((await storedEvents()).events.map((e) => e.visitor)).toEqual(['page-id-2'])
    expect(await env.DB.prepare("SELECT count(*) AS n FROM links WHERE site = 'acme'").first('n')).toBe(0)
  })

  it('erases one visitor by id, with events still on their way to D1', async () => {
    await post('/v1/events', batch([event(), event()], { visitor: 'quick' }))
    // No wait for the queue: the events are still in the visitor shard's outbox.
    const r = await SELF.fetch('https://edge.example/v1/visitors/quick?site=acme', { method: 'DELETE', headers: ADMIN })
    expect(await r.json()).toEqual({ visitors: 1, erased: 2, remaining: 0 })
    expect((await storedEvents()).total).toBe(0)
  })
})

describe('identity verification', () => {
  beforeEach(async () => {
    await givenSite('acme', {}, ['https://shop.example'], { verifyIdentity: true })
  })

  it("links a visitor to a user only with the site's HMAC of the user id; stores an unverified identify, flagged, linking nobody", async () => {
    const { secret } = (await get('/v1/admin/sites/acme/secret')).body
    expect(secret).toMatch(/^[0-9a-f]{64}$/)
    const good = await identityHash(secret, 'erin')
    await post('/v1/events', batch([identify('erin', good)], { visitor: 'real-erin' }))
    await post('/v1/events', batch([identify('erin', 'f'.repeat(64))], { visitor: 'impostor' }))
    await post('/v1/events', batch([identify('erin')], { visitor: 'console-user' }))
    expect(await visitorsOf('erin')).toEqual(['real-erin'])
    const stored = (await storedEvents()).events
    expect(stored).toHaveLength(3)
    const flags = Object.fromEntries(stored.map((e) => [e.visitor, e.flags & FLAG.unverified]))
    expect(flags).toEqual({ 'real-erin': 0, impostor: FLAG.unverified, 'console-user': FLAG.unverified })
    expect((await get('/v1/visitors/impostor?site=acme')).body.userId).toBeNull()
    // Erasing erin's data does not touch the impostor's (it never was erin).
    expect((await del('/v1/visitors?site=acme&user=erin')).body).toMatchObject({ visitors: 1 })
    expect((await storedEvents()).events.map((e) => e.visitor).sort()).toEqual(['console-user', 'impostor'])
  })

  it('stops trusting hashes made with a secret that was rotated', async () => {
    const { secret } = (await get('/v1/admin/sites/acme/secret')).body
    const rotated = await SELF.fetch('https://edge.example/v1/admin/sites/acme/secret', {
      method: 'POST',
      headers: ADMIN,
    })
    expect(((await rotated.json()) as any).secret).not.toBe(secret)
    await post('/v1/events', batch([identify('finn', await identityHash(secret, 'finn'))], { visitor: 'old-hash' }))
    expect(await visitorsOf('finn')).toEqual([])
  })
})

describe('erasing a visitor who answered a survey', () => {
  const HOOK = 'https://hooks.example/erasure'
  const EMAIL = 'anna.k@example.com'
  const NPS = {
    id: 'nps',
    kind: 'nps' as const,
    question: 'How likely…?',
    trigger: { event: 'track', name: 'exported' },
  }
  /** The webhook: answers with `statuses` in turn (then 200), keeps the delivery id of each request. */
  function receiver(statuses: number[] = []) {
    const got: string[] = []
    const real = globalThis.fetch
    vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
      const url = input instanceof Request ? input.url : String(input)
      if (!url.startsWith(HOOK)) return real(input, init)
      got.push(new Headers(init?.headers).get('ciel-delivery')!)
      return new Response('ok', { status: statuses.shift() ?? 200 })
    })
    return got
  }
  const send = async (visitor: string, events: ReturnType<typeof event>[]) => {
    const r = await post('/v1/events', batch(events, { visitor }), DESKTOP)
    expect(r.status).toBe(200)
    return (await r.json()) as { surveys: { offer?: string }[] }
  }
  /** An identified visitor with an email trait, offered the NPS, answering it as a detractor. */
  const detractor = async (visitor: string, user: string) => {
    const identified = event({ type: 'identify', name: user, props: { email: EMAIL, plan: 'pro' } })
    const { surveys } = await send(visitor, [identified, event({ type: 'track', name: 'exported' })])
    const offer = surveys[0]!.offer!
    const answer = event({ type: 'survey_answer', name: 'nps', props: { kind: 'nps', score: 2 }, hash: offer })
    await send(visitor, [event({ type: 'survey_shown', name: 'nps', hash: offer }), answer])
    return answer.id
  }
  const log = async () => (await get('/v1/admin/sites/acme/alerts')).body.alerts as any[]
  /** Every D1 row (any table, any column) whose text holds `text`, as `table: count`. */
  const rowsHolding = async (text: string) => {
    const { results: tables } = await env.DB.prepare(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%'",
    ).all<{ name: string }>()
    const found: { [table: string]: number } = {}
    for (const { name } of tables) {
      const { results: cols } = await env.DB.prepare('SELECT name FROM pragma_table_info(?)')
        .bind(name)
        .all<{ name: string }>()
      const any = cols.map((c) => `instr(CAST("${c.name}" AS TEXT), ?1) > 0`).join(' OR ')
      const n = await env.DB.prepare(`SELECT count(*) AS n FROM "${name}" WHERE ${any}`).bind(text).first<number>('n')
      if (n) found[name] = n
    }
    return found
  }

  beforeEach(async () => {
    await givenSite('acme', { surveys: [NPS] }, undefined, { alerts: { url: HOOK } })
  })
  afterEach(() => vi.restoreAllMocks())

  it("takes their alerts out of the delivery log, and their email out of every D1 row (the alert's body included)", async () => {
    const got = receiver()
    const id = await detractor('anna-laptop', 'anna')
    await until(async () => expect(await log()).toMatchObject([{ id, visitor: 'anna-laptop', status: 'delivered' }]))
    expect(got).toEqual([id])
    await drained()
    expect(await rowsHolding(EMAIL)).toMatchObject({ events: 1, visitors: 1, alerts: 1 })

    expect((await del('/v1/visitors?site=acme&user=anna')).body).toMatchObject({ visitors: 1, remaining: 0 })
    expect(await log()).toEqual([])
    expect(await rowsHolding(EMAIL)).toEqual({})
    expect(await rowsHolding('anna-laptop')).toEqual({ erased: 1 })
  })

  it('never sends an alert still queued, or one waiting for its retry, once its visitor is erased', async () => {
    const got = receiver([500])
    // The jobs queue, held back for these two visitors' alerts (as a queue delay would).
    const held: (() => Promise<unknown>)[] = []
    const jobs = env.JOBS as unknown as { send: Queue['send']; sendBatch: Queue['sendBatch'] }
    const [send1, sendBatch] = [jobs.send.bind(jobs), jobs.sendBatch.bind(jobs)]
    const sent = { metadata: { metrics: { backlogCount: 0, backlogBytes: 0 } } }
    const retry = vi.spyOn(jobs, 'send').mockImplementation(async (body: any, o) => {
      if (String(body.id).startsWith('test-')) return send1(body, o)
      held.push(() => send1(body, o))
      return sent
    })
    // The first: its first try fails (500), and its retry waits in the queue.
    const failed = await detractor('ben-phone', 'ben')
    await until(async () => expect(retry).toHaveBeenCalledTimes(1))
    expect(await log()).toMatchObject([{ id: failed, status: 'retrying' }])
    // The second: its alert is still in the queue.
    const queue = vi
      .spyOn(jobs, 'sendBatch')
      .mockImplementation(async (msgs, o) => (held.push(() => sendBatch(msgs, o)), sent))
    await detractor('cleo-tablet', 'cleo')
    expect(queue).toHaveBeenCalledTimes(1)
    queue.mockRestore()

    expect((await del('/v1/visitors?site=acme&user=ben')).body).toMatchObject({ visitors: 1, remaining: 0 })
    expect((await del('/v1/visitors?site=acme&user=cleo')).body).toMatchObject({ visitors: 1, remaining: 0 })
    for (const release of held) await release()
    // A test alert queued after them arrives after them (the local queue keeps order).
    await SELF.fetch('https://edge.example/v1/admin/sites/acme/alerts/test', { method: 'POST', headers: ADMIN })
    await until(async () => expect(got.at(-1)).toMatch(/^test-/))
    expect(got).toEqual([failed, expect.stringMatching(/^test-/)])
    expect((await log()).map((a) => a.visitor)).toEqual(['test-visitor'])
    expect(await rowsHolding(EMAIL)).toEqual({})
  })
})
