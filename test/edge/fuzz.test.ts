/**
 * Ingest fuzz: 10,000+ seeded malformed payloads against the real worker. A bad envelope is a
 * 4xx with a JSON error (nothing stored); a bad event is answered in `rejected` by its index
 * and only the good events beside it are stored. Never a 5xx, nothing half-written.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { createExecutionContext, env, SELF } from 'cloudflare:test'
import { app } from '../../edge/index'
import { batch, drained, emptyDb, event, givenSite, ORIGIN, random as prng, storedEvents } from './helpers'

const rnd = prng(20261124)
const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)]!
const WEIRD: unknown[] = [
  null,
  true,
  false,
  0,
  -1,
  1e308,
  -1e308,
  '',
  'x',
  '1e400',
  'NaN',
  [],
  {},
  [[[]]],
  { a: { b: {} } },
  '\u0000',
  '🙂'.repeat(3),
  'a'.repeat(70_000),
]
const DANGEROUS = ['__proto__', 'constructor', 'prototype']

function deep(n: number): unknown {
  let v: unknown = 'leaf'
  for (let i = 0; i < n; i++) v = rnd() < 0.5 ? [v] : { k: v }
  return v
}

/** A payload, what is wrong with it, and which of its events should be stored (and at which index the bad one is). */
interface Payload {
  body: string
  why: string
  good?: string[]
  bad?: number
}

/** A batch that is valid except for one thing. */
function broken(): Payload {
  const events = Array.from({ length: 1 + Math.floor(rnd() * 5) }, () => event())
  const b: any = batch(events)
  const field = pick(['site', 'visitor', 'session', 'sentAt', 'events', 'evicted', 'dropped', 'automation', 'event'])
  if (field === 'event') {
    const at = Math.floor(rnd() * b.events.length)
    const e: any = b.events[at]
    const key = pick(['id', 'type', 'ts', 'url', 'name', 'props'])
    const valid: Record<string, (v: unknown) => boolean> = {
      id: (v) => typeof v === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(v),
      type: (v) => typeof v === 'string' && /^[a-z][a-z0-9_]{0,39}$/.test(v),
      ts: (v) => typeof v === 'number' && v > 0 && v <= 8.64e15,
      url: (v) => typeof v === 'string' && v.length <= 2048,
      name: (v) => v === null || (typeof v === 'string' && v.length <= 200),
      props: (v) => v === null,
    }
    e[key] =
      key === 'props'
        ? pick([deep(8), 'str', [1, 2], 5, Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`k${i}`, i]))])
        : pick(WEIRD.filter((w) => !valid[key]!(w)))
    const good = b.events.filter((_: unknown, i: number) => i !== at).map((x: any) => x.id)
    return { body: JSON.stringify(b), why: `event.${key}`, good, bad: at }
  }
  if (field === 'evicted' || field === 'dropped') b[field] = pick([-1, 1.5, 'many', [], {}, 2e9])
  else if (field === 'automation') b.automation = pick(['yes', 1, [], {}])
  else if (field === 'events') b.events = pick([{}, 'x', 5, null, Array.from({ length: 501 }, () => event())])
  else if (field === 'sentAt') b.sentAt = pick(['now', -5, 0, null, [], 1e20])
  else b[field] = pick([null, 5, '', 'has space', 'x'.repeat(65), 'ü', {}, []])
  return { body: JSON.stringify(b), why: field }
}

function payload(i: number): Payload {
  switch (i % 10) {
    case 0: {
      const good = JSON.stringify(batch([event(), event()]))
      return { body: good.slice(0, Math.floor(rnd() * (good.length - 1))), why: 'truncated JSON' }
    }
    case 1:
      return {
        body: pick([
          '{',
          '}',
          'null',
          '[]',
          '"x"',
          '42',
          'true',
          '{"a":}',
          'undefined',
          '\u0000\u0001',
          '<html>',
          '{"site":"acme",}',
        ]),
        why: 'not an object',
      }
    case 2: {
      // Prototype keys everywhere, and nothing else valid.
      const k = pick(DANGEROUS)
      return { body: `{"${k}":{"events":[]},"site":"acme","events":{"${k}":1}}`, why: 'prototype keys' }
    }
    case 3:
      return {
        body: JSON.stringify({
          ...batch([event()]),
          events: [event({ props: deep(5 + Math.floor(rnd() * 200)) as any })],
        }),
        why: 'deep nesting',
        good: [],
        bad: 0,
      }
    case 4:
      return {
        body: JSON.stringify(batch([event({ props: { big: 'x'.repeat(1025 + Math.floor(rnd() * 40_000)) } })])),
        why: 'huge string',
        good: [],
        bad: 0,
      }
    case 5:
      return { body: '['.repeat(1 + Math.floor(rnd() * 5000)), why: 'bracket bomb' }
    default:
      return broken()
  }
}

describe('ingest fuzz', () => {
  beforeAll(async () => {
    await emptyDb()
    await givenSite()
  })

  it('answers 10,000 malformed payloads with a 4xx or the bad event named, never a 5xx, storing only good events', async () => {
    const N = 10_000
    const statuses = new Map<number, number>()
    const bad: string[] = []
    const expected = new Set<string>()
    for (let start = 0; start < N; start += 50) {
      const chunk = Array.from({ length: 50 }, (_, j) => payload(start + j))
      const answers = await Promise.all(
        chunk.map(async (p, j) => {
          // In-process (Hono's app.request): the same worker code, without a network hop per
          // payload; each from its own address, as a botnet would (the rate limit is tested apart).
          const r = await app.request(
            'https://edge.example/v1/events',
            {
              method: 'POST',
              headers: { origin: ORIGIN, 'cf-connecting-ip': `10.${start % 250}.${j}.1` },
              body: p.body,
            },
            env,
            createExecutionContext(),
          )
          const text = await r.text()
          let answer: any
          try {
            answer = JSON.parse(text)
          } catch {}
          return { status: r.status, answer, p }
        }),
      )
      for (const { status, answer, p } of answers) {
        statuses.set(status, (statuses.get(status) ?? 0) + 1)
        const why = JSON.stringify({ status, answer, why: p.why, body: p.body.slice(0, 200) })
        if (status === 200 && p.good) {
          // Only the broken event is refused, by its place in the batch; the others are stored.
          if (answer?.rejected?.length !== 1 || answer.rejected[0].index !== p.bad || answer.accepted !== p.good.length)
            bad.push(why)
          for (const id of p.good) expected.add(id)
        } else if (status < 400 || status >= 500 || typeof answer?.error !== 'string' || !answer.error) bad.push(why)
      }
    }
    expect(bad.slice(0, 5)).toEqual([])
    expect([...statuses.keys()].every((s) => s === 200 || (s >= 400 && s < 500))).toBe(true)
    expect(statuses.get(400)).toBeGreaterThan(N * 0.6)
    await drained()
    const { results } = await env.DB.prepare("SELECT id FROM events WHERE site = 'acme'").all<{ id: string }>()
    expect(results.length).toBe(expected.size)
    expect(results.every((r) => expected.has(r.id))).toBe(true)
  }, 180_000)

  it('answers 413 for a body over 512 KB and stores nothing', async () => {
    const events = Array.from({ length: 400 }, () => event({ props: { pad: 'y'.repeat(1000), more: 'z'.repeat(300) } }))
    const body = JSON.stringify(batch(events))
    expect(body.length).toBeGreaterThan(512 * 1024)
    const r = await SELF.fetch('https://edge.example/v1/events', { method: 'POST', headers: { origin: ORIGIN }, body })
    expect(r.status).toBe(413)
    expect(((await r.json()) as any).error).toMatch(/larger than 524288 bytes/)
    expect((await storedEvents()).events.filter((e) => events.some((x) => x.id === e.id))).toEqual([])
  })

  it('stores a valid batch whose props carry prototype keys, and they pollute nothing', async () => {
    const body = `{"site":"acme","visitor":"v-proto","session":"s","sentAt":${Date.now()},"events":[{"id":"proto-1","type":"track","name":"x","ts":${Date.now()},"url":"https://shop.example/","props":{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},"ok":1}}]}`
    const r = await SELF.fetch('https://edge.example/v1/events', { method: 'POST', headers: { origin: ORIGIN }, body })
    expect(r.status).toBe(200)
    expect(({} as any).polluted).toBeUndefined()
    await drained()
    const row = await env.DB.prepare("SELECT props FROM events WHERE id = 'proto-1'").first<{ props: string }>()
    expect(JSON.parse(row!.props)).toEqual({ ok: 1 })
  })
})
