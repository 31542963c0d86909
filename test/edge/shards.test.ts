/** The visitor shards' way to D1: packets the queue accepts, whatever the batches hold. */
import { beforeEach, describe, expect, it } from 'vitest'
import { ORIGIN, batch, emptyDb, event, givenSite, post, storedEvents } from './helpers'
import { queueBytes, shardOf, SHARDS } from '../../edge/state/visitors'
import type { IngestBatch } from '../../edge/jobs/messages'

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
})
