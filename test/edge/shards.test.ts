/** The visitor shards' way to D1: packets the queue accepts, whatever the batches hold. */
import { beforeEach, describe, expect, it } from 'vitest'
import { ORIGIN, batch, emptyDb, event, givenSite, post, storedEvents, until } from './helpers'
import { FLUSH_MS, PROFILE_MS, queueBytes, shardOf, SHARDS, type VisitorShard } from '../../edge/state/visitors'
import type { IngestBatch } from '../../edge/jobs/messages'
import { ingestStatements } from '../../edge/store/ingest'
import { env, runInDurableObject } from 'cloudflare:test'

beforeEach(async () => {
  await emptyDb()
  await givenSite('acme', {}, [ORIGIN])
})

const utf8 = (s: string) => new TextEncoder().encode(s).length

describe('visitor shards', () => {
  it('spreads visitors over the shards and keeps each in one', () => {
    const counts = Array(SHARDS).fill(0)
    for (let i = 0; i < 16_000; i++) counts[shardOf(`visitor-${i}`)]++
    expect(Math.min(...counts)).toBeGreaterThan(800)
    expect(Math.max(...counts)).toBeLessThan(1200)
    expect(shardOf('visitor-7')).toBe(shardOf('visitor-7'))
  })

  it('counts a batch exactly as the queue will (UTF-8 of its JSON), quotes and all', () => {
    const rows = JSON.stringify([{ id: 'a', props: { text: 'say "hi" \\ twice', n: 1 } }, { id: 'b' }])
    const b: IngestBatch = { site: 'acme', visitor: 'v', session: 's', receivedAt: 1, rows, fresh: 2 }
    expect(queueBytes(b)).toBe(utf8(JSON.stringify(b)))
    const euros = { ...b, rows: JSON.stringify([{ id: 'c', props: { price: '10 €' } }]) }
    expect(queueBytes(euros)).toBe(utf8(JSON.stringify(euros)))
  })

  it('stores a 480 KB batch of events full of quotes and € whole, through the queue', async () => {
    // Each event's JSON is escaped once more inside the queue message: many parts, none refused.
    const big = (i: number) =>
      event({ id: `big-${i}`, type: 'track', name: 'x', props: { q: '"'.repeat(900), e: '€'.repeat(900), i } })
    const events = Array.from({ length: 100 }, (_, i) => big(i))
    const r = await post('/v1/events', batch(events, { visitor: 'heavy' }))
    expect(r.status).toBe(200)
    expect(((await r.json()) as any).accepted).toBe(100)
    const stored = await storedEvents()
    expect(stored.total).toBe(100)
  })

  it("keeps a visitor's later profile in D1 whichever message comes last, old and new message shapes alike", async () => {
    const profile = (events: number, sessions: number) => ({
      events,
      sessions,
      firstSeen: 1000,
      lastSeen: 1000 + events,
      interests: { pricing: events },
      user: { id: 'u-1', traits: { plan: 'pro', quote: 'say "hi"' } },
    })
    const base = { site: 'acme', visitor: 'v-1', session: '', receivedAt: 5000, rows: '[]', fresh: 0 }
    const later = { ...base, profileJson: JSON.stringify(profile(9, 3)), profileEvents: 9 }
    const earlier = { ...base, profileJson: JSON.stringify(profile(4, 1)), profileEvents: 4 }
    // Messages queued before profiles travelled as text carried the object itself.
    const older = { ...base, profile: profile(2, 1) } as unknown as IngestBatch
    await env.DB.batch(ingestStatements(env.DB, [later, earlier, older]))
    await env.DB.batch(ingestStatements(env.DB, [earlier]))
    const row = await env.DB.prepare(
      "SELECT user_id, traits, interests, sessions, first_seen, last_seen, profile FROM visitors WHERE site = 'acme' AND id = 'v-1'",
    ).first<Record<string, unknown>>()
    expect(row).toMatchObject({ user_id: 'u-1', sessions: 3, first_seen: 1000, last_seen: 1009 })
    expect(JSON.parse(row!.traits as string)).toEqual({ plan: 'pro', quote: 'say "hi"' })
    expect(JSON.parse(row!.interests as string)).toEqual({ pricing: 9 })
    expect(JSON.parse(row!.profile as string)).toEqual(profile(9, 3))
    await env.DB.batch(ingestStatements(env.DB, [older]))
    expect((await env.DB.prepare("SELECT sessions FROM visitors WHERE id = 'v-1'").first())!.sessions).toBe(3)
  })

  it("sends an active visitor's events every second but its profile at most every 5 s, and never leaves it behind", async () => {
    const stub = env.VISITORS.get(env.VISITORS.idFromName(`acme:${shardOf('v-active')}`))
    const inShard = <T>(fn: (s: VisitorShard, state: DurableObjectState) => T | Promise<T>) =>
      runInDurableObject(stub, (s, state) => fn(s as unknown as VisitorShard, state))
    const dirty = () =>
      inShard(
        (_, state) =>
          state.storage.sql.exec<{ dirty: number }>("SELECT dirty FROM profiles WHERE visitor = 'v-active'").one()
            .dirty,
      )
    const profileEvents = async () =>
      (
        await env.DB.prepare(
          "SELECT json_extract(profile, '$.events') AS n FROM visitors WHERE id = 'v-active'",
        ).first<{
          n: number
        }>()
      )?.n ?? 0
    const send = async (id: string) =>
      expect((await post('/v1/events', batch([event({ id })], { visitor: 'v-active' }))).status).toBe(200)
    const eventStored = (id: string) =>
      until(async () => {
        const row = await env.DB.prepare("SELECT 1 FROM events WHERE site = 'acme' AND id = ?").bind(id).first()
        if (!row) throw new Error(`${id} is not in D1 yet`)
      })

    await send('e-1')
    await inShard((s) => s.alarm())
    await eventStored('e-1')
    await until(async () => expect(await profileEvents()).toBe(1))
    expect(await dirty()).toBe(0)

    // A second batch within PROFILE_MS (the last send is now, however slow this machine): its
    // event goes at the next alarm, its profile waits.
    const sentAt = Date.now()
    await inShard((s) => void ((s as unknown as { profilesAt: number }).profilesAt = sentAt))
    await send('e-2')
    await inShard((s) => s.alarm())
    await eventStored('e-2')
    expect(await dirty()).toBe(1)
    expect(await profileEvents()).toBe(1)
    // ...with an alarm set for when it may go, which a new batch brings forward to FLUSH_MS.
    expect(await inShard((_, state) => state.storage.getAlarm())).toBe(sentAt + PROFILE_MS)
    const before = Date.now()
    await send('e-3')
    const alarm = (await inShard((_, state) => state.storage.getAlarm()))!
    expect(alarm).toBeGreaterThanOrEqual(before + FLUSH_MS)
    expect(alarm).toBeLessThan(sentAt + PROFILE_MS)

    // Once PROFILE_MS has passed, the alarm sends the profile as it stands.
    await inShard((s) => void ((s as unknown as { profilesAt: number }).profilesAt -= PROFILE_MS))
    await inShard((s) => s.alarm())
    await eventStored('e-3')
    await until(async () => expect(await profileEvents()).toBe(3))
    expect(await dirty()).toBe(0)
  })
})
