import { describe, expect, it } from 'vitest'
import * as outboxModule from '../../snippet/core/outbox'
import { BATCH_BYTES, backoff, classify, createOutbox, type Item, type OutboxStore } from '../../snippet/core/outbox'
import type { SendResult } from '../../snippet/core/send'
import type { Batch } from '../../snippet/contract/wire'
import { LIMITS } from '../../snippet/contract/limits'

import { settle, virtualClock } from './clock'

/** A virtual clock with timers, a scripted worker, and a storage map. */
function harness(opts: { answers?: SendResult[]; store?: OutboxStore | null; maxEvents?: number } = {}) {
  const clock = virtualClock()
  const sent: { batch: Batch; final: boolean; at: number }[] = []
  const answers = [...(opts.answers ?? [])]
  const shared = new Map<string, Item>()
  const store: OutboxStore | null =
    opts.store === undefined
      ? {
          put: async (items) => void items.forEach((i) => shared.set(i.e.id, i)),
          all: async () => [...shared.values()],
          del: async (ids) => void ids.forEach((id) => shared.delete(id)),
        }
      : opts.store
  const outbox = createOutbox({
    site: 'acme',
    store,
    now: clock.now,
    random: () => 1,
    timer: clock.timer,
    send: async (body, final) => {
      sent.push({ batch: JSON.parse(body), final, at: clock.now() })
      return answers.shift() ?? { status: 200 }
    },
    maxEvents: opts.maxEvents,
  })
  let n = 0
  const track = (props?: Record<string, string>) => {
    const id = `${clock.now().toString(36)}-${String(++n).padStart(5, '0')}`
    outbox.push({ id, type: 'track', ts: clock.now(), url: 'https://shop.example/', name: 'e', props }, 'v1', 's1')
    return id
  }
  const ids = () => sent.flatMap((s) => s.batch.events.map((e) => e.id))
  return { outbox, sent, shared, track, advance: clock.advance, ids, now: clock.now }
}

describe('retry policy', () => {
  it.each([
    [200, 'ok'],
    [204, 'ok'],
    [0, 'retry'],
    [408, 'retry'],
    [429, 'retry'],
    [500, 'retry'],
    [503, 'retry'],
    [400, 'drop'],
    [404, 'drop'],
    [413, 'drop'],
    [-1, 'unknown'],
  ] as const)('treats status %i as %s', (status, kind) => {
    expect(classify(status)).toBe(outboxModule[kind.toUpperCase() as 'OK' | 'RETRY' | 'DROP' | 'UNKNOWN'])
  })

  it('backs off exponentially with full jitter, capped at 5 minutes, never below Retry-After', () => {
    expect(backoff(0, 1)).toBe(1000)
    expect(backoff(3, 1)).toBe(8000)
    expect(backoff(3, 0.5)).toBe(4000)
    expect(backoff(20, 1)).toBe(300_000)
    expect(backoff(0, 0.1, 30_000)).toBe(30_000)
  })
})

describe('outbox', () => {
  it('writes events to storage before sending and deletes them only after the worker acknowledged them', async () => {
    const h = harness({ answers: [{ status: 503 }] })
    const id = h.track()
    await h.advance(0)
    expect(h.shared.has(id)).toBe(true)
    expect(h.sent).toHaveLength(0)
    await h.advance(1000)
    expect(h.sent).toHaveLength(1) // refused with 503: kept
    expect(h.shared.has(id)).toBe(true)
    await h.advance(2000)
    expect(h.sent).toHaveLength(2) // retried and acknowledged
    expect(h.shared.has(id)).toBe(false)
    expect(h.ids()).toEqual([id, id])
  })

  it('waits as long as the worker asks with Retry-After before trying again', async () => {
    const h = harness({ answers: [{ status: 429, retryAfter: 30_000 }] })
    h.track()
    await h.advance(1000)
    const first = h.sent[0]!.at
    await h.advance(29_000)
    expect(h.sent).toHaveLength(1)
    await h.advance(2000)
    expect(h.sent).toHaveLength(2)
    expect(h.sent[1]!.at - first).toBeGreaterThanOrEqual(30_000)
  })

  it('retries at once when the browser says it is back online, without waiting out the backoff', async () => {
    const h = harness({ answers: [{ status: 0 }, { status: 429, retryAfter: 300_000 }] })
    h.track()
    await h.advance(1000)
    await h.advance(1000) // the retry is told to wait 5 minutes
    expect(h.sent).toHaveLength(2)
    await h.outbox.flush(false, true)
    await h.advance(0)
    expect(h.sent).toHaveLength(3)
    expect(h.shared.size).toBe(0)
  })

  it('drops a batch the worker refuses as invalid and reports the drop with the next batch', async () => {
    const h = harness({ answers: [{ status: 400 }] })
    const bad = h.track()
    await h.advance(1000)
    expect(h.shared.has(bad)).toBe(false)
    h.track()
    await h.advance(1000)
    expect(h.sent[1]!.batch.dropped).toBe(1)
    h.track()
    await h.advance(1000)
    expect(h.sent[2]!.batch.dropped).toBeUndefined() // reported once, then reset
  })

  it('evicts the oldest events beyond its bound and reports how many', async () => {
    const h = harness({ maxEvents: 5, answers: [{ status: 0 }] })
    const all = Array.from({ length: 8 }, () => h.track())
    await h.advance(1000) // offline: nothing acknowledged, all kept in storage
    await h.advance(5000)
    const last = h.sent.at(-1)!.batch
    expect(last.events.map((e) => e.id)).toEqual(all.slice(3))
    expect(last.evicted).toBe(3)
  })

  it('keeps each request under 60 KB, splitting a large backlog into several', async () => {
    const h = harness()
    for (let i = 0; i < 40; i++) h.track({ blob: 'x'.repeat(1000 * 3) })
    await h.advance(5000)
    expect(h.sent.length).toBeGreaterThan(1)
    for (const s of h.sent) expect(JSON.stringify(s.batch).length).toBeLessThanOrEqual(BATCH_BYTES)
    expect(h.ids()).toHaveLength(40)
  })

  it('sends what is pending when the page goes away, within the keepalive quota, and keeps the rest stored', async () => {
    const h = harness()
    for (let i = 0; i < 60; i++) h.track({ blob: 'y'.repeat(2000) })
    await h.outbox.flush(true)
    await settle()
    const finals = h.sent.filter((s) => s.final)
    const bytes = finals.reduce((n, s) => n + JSON.stringify(s.batch).length, 0)
    expect(finals.length).toBeGreaterThan(0)
    expect(bytes).toBeLessThanOrEqual(BATCH_BYTES)
    expect(h.shared.size).toBeGreaterThan(0) // what did not fit waits for the next page
  })

  it('keeps working in memory when storage throws (private mode, quota)', async () => {
    const broken: OutboxStore = {
      put: async () => {
        throw new DOMException('quota', 'QuotaExceededError')
      },
      all: async () => {
        throw new DOMException('unknown', 'UnknownError')
      },
      del: async () => {},
    }
    const h = harness({ store: broken, answers: [{ status: 0 }] })
    const a = h.track()
    const b = h.track()
    await h.advance(10_000)
    expect(new Set(h.ids())).toEqual(new Set([a, b]))
    expect(h.sent.at(-1)!.batch.events).toHaveLength(2)
  })

  it('groups events by visitor and session: one request never mixes two visitors', async () => {
    const h = harness()
    h.outbox.push({ id: 'a1', type: 'track', ts: 1, url: 'https://x/' }, 'va', 's')
    h.outbox.push({ id: 'b1', type: 'track', ts: 2, url: 'https://x/' }, 'vb', 's')
    await h.advance(2000)
    expect(h.sent.map((s) => [s.batch.visitor, s.batch.events.map((e) => e.id)])).toEqual([
      ['va', ['a1']],
      ['vb', ['b1']],
    ])
  })
})

/** Bytes of a request body, as the worker and the keepalive quota count them. */
const utf8 = (v: unknown) => Buffer.byteLength(JSON.stringify(v))
/** 30 keys of 1,024 '€': within every per-level limit and 30,000 characters, but 92 KB of UTF-8. */
const euros = () => Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`k${i}`, '€'.repeat(1024)]))

describe('events that can wait (web vitals, plain clicks)', () => {
  /** Records an event of `type` as the page would. */
  const record = (h: ReturnType<typeof harness>, type: string, id: string) =>
    h.outbox.push({ id, type, ts: h.now(), url: 'https://shop.example/' }, 'v1', 's1')

  it('are stored at once but cost no request of their own: they go with the next one', async () => {
    const h = harness()
    record(h, 'vitals', 'a-vital')
    record(h, 'click', 'b-click')
    await h.advance(0)
    expect([...h.shared.keys()]).toEqual(['a-vital', 'b-click']) // on disk on the next tick
    await h.advance(5000)
    expect(h.sent).toHaveLength(0)
    const tracked = h.track()
    await h.advance(1000) // a track goes within a second, and takes them along
    expect(h.sent).toHaveLength(1)
    expect(h.ids()).toEqual(['a-vital', 'b-click', tracked])
  })

  it('are sent alone after 10 s when nothing else goes', async () => {
    const h = harness()
    record(h, 'click', 'a-click')
    await h.advance(9999)
    expect(h.sent).toHaveLength(0)
    await h.advance(1)
    expect(h.ids()).toEqual(['a-click'])
  })

  it('go at once when the page goes away', async () => {
    const h = harness()
    record(h, 'vitals', 'a-vital')
    await h.outbox.flush(true)
    await h.advance(0)
    expect(h.sent.map((s) => [s.final, s.batch.events.map((e) => e.id)])).toEqual([[true, ['a-vital']]])
  })
})

describe('outbox sizes, in UTF-8 bytes', () => {
  it('drops one event over 32 KB before it is stored, sends the others, and reports the drop with the next batch', async () => {
    const h = harness()
    const before = h.track()
    const big = h.track(euros())
    const after = h.track()
    expect(utf8({ props: euros() })).toBeGreaterThan(LIMITS.eventBytes)
    await h.advance(0)
    expect(h.shared.has(big)).toBe(false)
    await h.advance(1000)
    expect(h.ids()).toEqual([before, after])
    expect(h.sent[0]!.batch.dropped).toBe(1)
    h.track()
    await h.advance(1000)
    expect(h.sent[1]!.batch.dropped).toBeUndefined()
  })

  it('an event of 2.5 MB never evicts the good events waiting with it', async () => {
    const h = harness({ answers: [{ status: 0 }] })
    const good = Array.from({ length: 30 }, () => h.track({ text: 'ok' }))
    // Nested within the per-level limits (50 keys × 50 items × 1,024 characters), 2.5 MB in all.
    const huge = Object.fromEntries(
      Array.from({ length: 50 }, (_, i) => [`k${i}`, Array.from({ length: 50 }, () => 'x'.repeat(1000))]),
    )
    h.track(huge as never)
    await h.advance(1000) // offline: kept
    await h.advance(5000)
    expect(new Set(h.ids())).toEqual(new Set(good))
    const last = h.sent.at(-1)!.batch
    expect(last.evicted).toBeUndefined()
    expect(last.dropped).toBe(1)
    expect(h.shared.size).toBe(0)
  })

  it('keeps each request under 60,000 bytes of UTF-8 when the text is multi-byte', async () => {
    const h = harness()
    for (let i = 0; i < 40; i++) h.track({ blob: '€'.repeat(1000) }) // 1,000 characters, 3,000 bytes
    await h.advance(5000)
    expect(h.ids()).toHaveLength(40)
    for (const s of h.sent) expect(utf8(s.batch)).toBeLessThanOrEqual(BATCH_BYTES)
  })

  it('stays within the keepalive quota in bytes when the page goes away with multi-byte text', async () => {
    const h = harness()
    for (let i = 0; i < 30; i++) h.track({ blob: 'ü€'.repeat(500) })
    await h.outbox.flush(true)
    await settle()
    const finals = h.sent.filter((s) => s.final)
    expect(finals.length).toBeGreaterThan(0)
    expect(finals.reduce((n, s) => n + utf8(s.batch), 0)).toBeLessThanOrEqual(BATCH_BYTES)
    expect(h.shared.size).toBeGreaterThan(0) // the rest waits for the next page
  })
})

describe('an answer that refuses some events', () => {
  it('deletes the whole batch on 2xx and does not report the refused events as dropped (the worker counted them)', async () => {
    const rejected = [{ index: 1, error: 'events[1].ts must be a time in milliseconds since the Unix epoch' }]
    const h = harness({
      answers: [{ status: 200, answer: { accepted: 2, duplicates: 0, decisions: {}, surveys: [], rejected } }],
    })
    h.track()
    h.track()
    h.track()
    await h.advance(1000)
    expect(h.shared.size).toBe(0)
    h.track()
    await h.advance(1000)
    expect(h.sent[1]!.batch.dropped).toBeUndefined()
    expect(h.sent[1]!.batch.events).toHaveLength(1) // nothing sent again
  })
})

describe('loss reports', () => {
  it(`reports at most ${LIMITS.lossPerBatch.toLocaleString('en')} evicted events in one batch, the rest with the next`, async () => {
    const h = harness({ store: null, maxEvents: 1 })
    const n = LIMITS.lossPerBatch + 10
    for (let i = 0; i < n; i++) h.track()
    await h.advance(1000)
    expect(h.sent[0]!.batch.evicted).toBe(LIMITS.lossPerBatch)
    h.track()
    await h.advance(1000)
    expect(h.sent[1]!.batch.evicted).toBe(9)
    h.track()
    await h.advance(1000)
    expect(h.sent[2]!.batch.evicted).toBeUndefined()
  })

  it('reports an eviction once when the page going away sends two requests at once', async () => {
    const h = harness({ maxEvents: 5, answers: [{ status: 0 }] })
    for (let i = 0; i < 8; i++) h.track()
    await h.advance(1000) // the first attempt fails; 3 of 8 were evicted
    expect(h.sent[0]!.batch.evicted).toBe(3)
    h.outbox.push({ id: 'other-visitor', type: 'track', ts: h.now(), url: 'https://shop.example/' }, 'v2', 's2')
    await h.outbox.flush(true) // two visitors: two requests, sent together
    await settle()
    const finals = h.sent.filter((s) => s.final)
    expect(finals).toHaveLength(2)
    expect(finals.reduce((n, s) => n + (s.batch.evicted ?? 0), 0)).toBe(3)
    h.track()
    await h.advance(5000)
    expect(h.sent.at(-1)!.batch.evicted).toBeUndefined()
  })
})

describe('outbox while a request is in flight', () => {
  it('sends an event recorded during a slow request right after it, without waiting for another event', async () => {
    let release!: () => void
    const sent: string[][] = []
    const clock = virtualClock()
    const outbox = createOutbox({
      site: 's',
      store: null,
      now: clock.now,
      timer: clock.timer,
      send: async (body) => {
        sent.push((JSON.parse(body) as Batch).events.map((e) => e.id))
        if (sent.length === 1) await new Promise<void>((r) => (release = r))
        return { status: 200 }
      },
    })
    const run = clock.advance
    outbox.push({ id: 'a', type: 't', ts: 1, url: 'u' }, 'v', 's')
    await run(1000) // 'a' is in flight and stays there
    outbox.push({ id: 'b', type: 't', ts: 2, url: 'u' }, 'v', 's')
    await run(1000) // the flush for 'b' finds the outbox busy
    release()
    await run(2000)
    expect(sent).toEqual([['a'], ['b']])
  })

  it('never writes an event to storage once the worker has acknowledged it, however late the storage tick runs', async () => {
    // A background tab may run a 0 ms timer long after a request has come back.
    const clock = virtualClock()
    const late: (() => void)[] = []
    const shared = new Map<string, Item>()
    const sent: string[][] = []
    const outbox = createOutbox({
      site: 's',
      store: {
        put: async (items) => void items.forEach((i) => shared.set(i.e.id, i)),
        all: async () => [...shared.values()],
        del: async (ids) => void ids.forEach((id) => shared.delete(id)),
      },
      now: clock.now,
      timer: (fn, ms) => (ms === 0 ? void late.push(fn) : clock.timer(fn, ms)),
      send: async (body) => {
        sent.push((JSON.parse(body) as Batch).events.map((e) => e.id))
        return { status: 200 }
      },
    })
    outbox.push({ id: 'a', type: 't', ts: 1, url: 'u' }, 'v', 's')
    const flushing = outbox.flush() // writes 'a', then sends what it finds
    outbox.push({ id: 'b', type: 't', ts: 2, url: 'u' }, 'v', 's') // recorded meanwhile, its write waits
    await flushing
    expect(sent).toEqual([['a', 'b']])
    for (const tick of late) tick()
    await settle()
    expect([...shared.keys()]).toEqual([]) // nothing left to be sent again on the next page
  })
})
