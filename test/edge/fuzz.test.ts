/**
 * Ingest fuzz: 10,000+ seeded malformed payloads against the real worker. Every answer is a
 * 4xx with a JSON error, never a 5xx, and nothing is half-written.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { createExecutionContext, env, SELF } from 'cloudflare:test'
import app from '../../edge/index'
import { batch, emptyDb, event, givenSite, ORIGIN } from './helpers'

function prng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

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

/** A batch that is valid except for one thing. */
function broken(): { body: string; why: string } {
  const events = Array.from({ length: 1 + Math.floor(rnd() * 5) }, () => event())
  const b: any = batch(events)
  const field = pick(['site', 'visitor', 'session', 'sentAt', 'events', 'evicted', 'dropped', 'automation', 'event'])
  if (field === 'event') {
    const e: any = pick(b.events)
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
    return { body: JSON.stringify(b), why: `event.${key}` }
  }
  if (field === 'evicted' || field === 'dropped') b[field] = pick([-1, 1.5, 'many', [], {}, 2e9])
  else if (field === 'automation') b.automation = pick(['yes', 1, [], {}])
  else if (field === 'events') b.events = pick([{}, 'x', 5, null, Array.from({ length: 501 }, () => event())])
  else if (field === 'sentAt') b.sentAt = pick(['now', -5, 0, null, [], 1e20])
  else b[field] = pick([null, 5, '', 'has space', 'x'.repeat(65), 'ü', {}, []])
  return { body: JSON.stringify(b), why: field }
}

function payload(i: number): { body: string; why: string } {
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
      }
    case 4:
      return {
        body: JSON.stringify(batch([event({ props: { big: 'x'.repeat(1025 + Math.floor(rnd() * 40_000)) } })])),
        why: 'huge string',
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

  it('answers 10,000 malformed payloads with a 4xx and a JSON error, never a 5xx, and stores nothing', async () => {
    const N = 10_000
    const statuses = new Map<number, number>()
    const bad: string[] = []
    for (let start = 0; start < N; start += 50) {
      const chunk = Array.from({ length: 50 }, (_, j) => payload(start + j))
      const answers = await Promise.all(
        chunk.map(async (p) => {
          // In-process (Hono's app.request): the same worker code, without a network hop per payload.
          const r = await app.request(
            'https://edge.example/v1/events',
            { method: 'POST', headers: { origin: ORIGIN }, body: p.body },
            env,
            createExecutionContext(),
          )
          const text = await r.text()
          let error: unknown
          try {
            error = JSON.parse(text).error
          } catch {}
          return { status: r.status, error, why: p.why, body: p.body.slice(0, 200) }
        }),
      )
      for (const a of answers) {
        statuses.set(a.status, (statuses.get(a.status) ?? 0) + 1)
        if (a.status < 400 || a.status >= 500 || typeof a.error !== 'string' || !a.error) bad.push(JSON.stringify(a))
      }
    }
    expect(bad.slice(0, 5)).toEqual([])
    expect([...statuses.keys()].every((s) => s >= 400 && s < 500)).toBe(true)
    expect(statuses.get(400)).toBeGreaterThan(N * 0.8)
    const rows = await env.DB.prepare('SELECT count(*) AS n FROM events').first<{ n: number }>()
    expect(rows?.n).toBe(0)
  }, 120_000)

  it('answers 413 for a body over 512 KB and stores nothing', async () => {
    const events = Array.from({ length: 400 }, () => event({ props: { pad: 'y'.repeat(1000), more: 'z'.repeat(300) } }))
    const body = JSON.stringify(batch(events))
    expect(body.length).toBeGreaterThan(512 * 1024)
    const r = await SELF.fetch('https://edge.example/v1/events', { method: 'POST', headers: { origin: ORIGIN }, body })
    expect(r.status).toBe(413)
    expect(((await r.json()) as any).error).toMatch(/larger than 524288 bytes/)
    const rows = await env.DB.prepare('SELECT count(*) AS n FROM events').first<{ n: number }>()
    expect(rows?.n).toBe(0)
  })

  it('stores a valid batch whose props carry prototype keys, and they pollute nothing', async () => {
    const body = `{"site":"acme","visitor":"v-proto","session":"s","sentAt":${Date.now()},"events":[{"id":"proto-1","type":"track","name":"x","ts":${Date.now()},"url":"https://shop.example/","props":{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},"ok":1}}]}`
    const r = await SELF.fetch('https://edge.example/v1/events', { method: 'POST', headers: { origin: ORIGIN }, body })
    expect(r.status).toBe(200)
    expect(({} as any).polluted).toBeUndefined()
    const row = await env.DB.prepare("SELECT props FROM events WHERE id = 'proto-1'").first<{ props: string }>()
    expect(JSON.parse(row!.props)).toEqual({ ok: 1 })
  })
})
