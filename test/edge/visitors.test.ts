import { beforeEach, describe, expect, it } from 'vitest'
import { SELF } from 'cloudflare:test'
import { ADMIN, batch, drained, emptyDb, event, givenSite, post, storedEvents, DESKTOP } from './helpers'
import { topInterests } from '../../edge/domain/visitors'
import { applyEvents, profileEvent } from '../../edge/domain/profile'
import { HALF_LIFE_MS } from '../../edge/domain/interests'

const DAY = 86_400_000

/** A team read, once what was sent before has reached D1 (the ingest queue). */
const get = async (path: string, headers: Record<string, string> = ADMIN) => {
  await drained()
  const r = await SELF.fetch(`https://edge.example${path}`, { headers })
  return { status: r.status, body: (await r.json()) as any }
}
const del = async (path: string, headers: Record<string, string> = ADMIN) => {
  await drained()
  const r = await SELF.fetch(`https://edge.example${path}`, { method: 'DELETE', headers })
  return { status: r.status, body: (await r.json()) as any }
}
const identify = (user: string, traits?: Record<string, string>) =>
  event({ type: 'identify', name: user, props: traits })
const view = (topic: string) => event({ props: { topics: [topic] } })
/** A person's browser: the visitor list leaves bots (and requests without a user agent) out. */

beforeEach(async () => {
  await emptyDb()
  await givenSite()
})

describe('who a visitor is', () => {
  it("takes the batch's last identify, keeps it over an older one, and decays interests to now", () => {
    const flagged = (e: ReturnType<typeof event>) => profileEvent({ ...e, flags: 0 })
    const t = Date.now()
    const p = applyEvents(null, [event(), identify('u1', { plan: 'free' }), identify('u2')].map(flagged), 's', t)
    expect(p.user).toMatchObject({ id: 'u2', traits: null })
    const older = applyEvents(
      p,
      [flagged(identify('u0'))].map((e) => ({ ...e, ts: t - 60_000 })),
      's',
      t,
    )
    expect(older.user?.id).toBe('u2')
    expect(applyEvents(null, [flagged(event())], 's', t).user).toBeNull()
    const now = Date.UTC(2026, 10, 25)
    const state = { at: now - HALF_LIFE_MS, scores: { pricing: 8, docs: 2, api: 1 } }
    expect(topInterests(state, now, 2)).toEqual([
      { topic: 'pricing', score: 4 },
      { topic: 'docs', score: 1 },
    ])
    expect(topInterests(null, now)).toEqual([])
  })
})

describe('visitors for the team', () => {
  it('links a visitor to the user it was identified as, on every device, with the latest traits', async () => {
    await post(
      '/v1/events',
      batch([view('pricing'), identify('user-42', { plan: 'trial' })], { visitor: 'laptop' }),
      DESKTOP,
    )
    await post('/v1/events', batch([identify('user-42', { plan: 'pro' })], { visitor: 'phone' }), DESKTOP)
    await post('/v1/events', batch([view('docs')], { visitor: 'someone-else' }), DESKTOP)
    // A later batch without identify keeps the link.
    await post('/v1/events', batch([view('pricing')], { visitor: 'laptop' }), DESKTOP)

    const mine = await get('/v1/insights/visitors?site=acme&user=user-42')
    expect(mine.status).toBe(200)
    expect(mine.body.visitors.map((v: any) => [v.id, v.userId, v.traits]).sort()).toEqual([
      ['laptop', 'user-42', { plan: 'trial' }],
      ['phone', 'user-42', { plan: 'pro' }],
    ])
    const all = await get('/v1/insights/visitors?site=acme&days=1')
    expect(all.body.visitors).toHaveLength(3)
    const laptop = all.body.visitors.find((v: any) => v.id === 'laptop')
    expect(laptop.interests).toEqual([{ topic: 'pricing', score: 2 }])
  })

  it('keeps the newest identity when an older identify is retried', async () => {
    const first = batch([identify('guest-1')], { visitor: 'shared-laptop' })
    await post('/v1/events', first)
    await post('/v1/events', batch([identify('user-9', { plan: 'pro' })], { visitor: 'shared-laptop' }))
    await post('/v1/events', first) // the first answer was lost; the outbox sends it again
    const r = await get('/v1/visitors/shared-laptop?site=acme')
    expect(r.body).toMatchObject({ userId: 'user-9', traits: { plan: 'pro' } })
  })

  it("shows one visitor's profile: identity, interests and newest events", async () => {
    await post('/v1/events', batch([view('pricing'), identify('user-7')], { visitor: 'v7' }))
    const r = await get('/v1/visitors/v7?site=acme')
    expect(r.status).toBe(200)
    expect(r.body).toMatchObject({ id: 'v7', userId: 'user-7', total: 2, interests: [{ topic: 'pricing', score: 1 }] })
    expect(r.body.events.map((e: any) => e.type).sort()).toEqual(['identify', 'pageview'])
    expect((await get('/v1/visitors/nobody?site=acme')).body).toEqual({ error: "no visitor 'nobody' on site 'acme'" })
    expect((await get('/v1/visitors/v7')).status).toBe(400)
    expect((await get('/v1/visitors/v7?site=acme', {})).status).toBe(401)
  })

  it('dates the profile by when the visitor acted, not when the events arrived (a late outbox)', async () => {
    await givenSite('acme', {
      segments: [
        { id: 'active-week', rule: { field: 'lastSeen', op: 'within', value: 7 } },
        { id: 'pricing-curious', rule: { field: 'interests.pricing', op: 'gte', value: 3 } },
      ],
    })
    // Four pricing pages three weeks ago, sent only now by a page whose clock runs an hour fast.
    const skew = 3_600_000
    const then = Date.now() - 21 * DAY
    const events = [0, 1, 2, 3].map((i) => ({ ...view('pricing'), ts: then + i * 60_000 + skew }))
    await post('/v1/events', batch(events, { visitor: 'late', sentAt: Date.now() + skew }))
    const r = await get('/v1/visitors/late?site=acme')
    expect(r.status).toBe(200)
    // Three weeks ago (within the seconds the request took), not "just now".
    expect(Math.abs(r.body.firstSeen - then)).toBeLessThan(10_000)
    expect(Math.abs(r.body.lastSeen - (then + 3 * 60_000))).toBeLessThan(10_000)
    expect(r.body.profile.lastSeen).toBe(r.body.lastSeen)
    // Interest decayed over the three weeks (half-life a week): 4 views weigh about a half now.
    expect(r.body.interests[0].topic).toBe('pricing')
    expect(r.body.interests[0].score).toBeCloseTo(0.5, 1)
    expect(r.body.segments).toEqual([])
  })

  it('erases every device of a user on request, and nothing of anyone else', async () => {
    await post('/v1/events', batch([event(), identify('user-42')], { visitor: 'laptop' }))
    await post('/v1/events', batch([identify('user-42'), event()], { visitor: 'phone' }))
    await post('/v1/events', batch([event()], { visitor: 'someone-else' }))
    const r = await del('/v1/visitors?site=acme&user=user-42')
    expect(r).toEqual({ status: 200, body: { user: 'user-42', visitors: 2, erased: 4, remaining: 0 } })
    expect((await storedEvents()).events.map((e: any) => e.visitor)).toEqual(['someone-else'])
    expect((await get('/v1/insights/visitors?site=acme&user=user-42')).body.visitors).toEqual([])
    expect((await get('/v1/visitors/laptop?site=acme')).status).toBe(404)
  })

  it('refuses an erasure that does not say whom, or comes without the token', async () => {
    await post('/v1/events', batch([event()], { visitor: 'v1' }))
    expect(await del('/v1/visitors?site=acme')).toEqual({
      status: 400,
      body: { error: 'say whom to erase: DELETE /v1/visitors/VISITOR_ID or ?user=USER_ID', path: 'user' },
    })
    expect((await del('/v1/visitors?site=acme&user=u', {})).status).toBe(401)
    expect((await del('/v1/visitors?site=ghost&user=u')).status).toBe(404)
    expect((await storedEvents()).total).toBe(1)
  })

  it('pages the list with a limit it checks', async () => {
    for (const v of ['a', 'b', 'c']) await post('/v1/events', batch([event()], { visitor: v }), DESKTOP)
    expect((await get('/v1/insights/visitors?site=acme&limit=2')).body.visitors).toHaveLength(2)
    expect((await get('/v1/insights/visitors?site=acme&limit=0')).status).toBe(400)
  })
})
