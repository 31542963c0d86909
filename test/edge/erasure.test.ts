/**
 * Erasure that is complete and stays done (issue #7): every visitor ever identified as the
 * user, the cookieless page ids linked to them, in pages that say what remains, and a
 * tombstone so that a replayed batch is acknowledged but never stored again.
 */
import { beforeEach, describe, expect, it } from 'vitest'
import { SELF, env } from 'cloudflare:test'
import { ADMIN, batch, drained, emptyDb, event, givenSite, post, storedEvents } from './helpers'
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
