/**
 * Raw events age out without losing what they said (issue #8): each received day is exported
 * to R2 as gzip NDJSON (every event, once) and rolled up before retention deletes it, and the
 * rollups stay.
 */
import { beforeEach, describe, expect, it } from 'vitest'
import { env } from 'cloudflare:test'
import worker from '../../edge/index'
import { emptyDb, givenSite, until } from './helpers'
import { LIMITS, doneKey, maintain } from '../../edge/jobs/maintain'

const DAY = 86_400_000
const NOW = Date.parse('2026-11-25T10:00:00Z')
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10)

/** Seeds events straight into D1: `n` per day for each of `days` days before NOW (received at noon). */
async function seed(days: number[], n: number, site = 'acme') {
  const rows = days.flatMap((d) =>
    Array.from({ length: n }, (_, i) => ({
      id: `d${d}-e${String(i).padStart(4, '0')}`,
      visitor: `v${i % 7}`,
      type: i % 3 ? 'click' : 'pageview',
      at: Date.parse(day(NOW - d * DAY) + 'T12:00:00Z') + i,
    })),
  )
  for (let i = 0; i < rows.length; i += 2000)
    await env.DB.prepare(
      `INSERT INTO events (site, id, visitor, session, type, url, ts, client_ts, received_at, props)
       SELECT ?1, value ->> 'id', value ->> 'visitor', 's', value ->> 'type', 'https://shop.example/',
              value ->> 'at', value ->> 'at', value ->> 'at', '{"k":1}' FROM json_each(?2)`,
    )
      .bind(site, JSON.stringify(rows.slice(i, i + 2000)))
      .run()
  return rows
}

/** Every line of a received day's export in R2. */
async function exported(site: string, d: string) {
  const { objects } = await env.ARCHIVE.list({ prefix: `events/site=${site}/day=${d}/part-` })
  const lines: any[] = []
  for (const o of objects) {
    const body = (await env.ARCHIVE.get(o.key))!.body.pipeThrough(new DecompressionStream('gzip'))
    const text = await new Response(body).text()
    lines.push(
      ...text
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l)),
    )
  }
  return { parts: objects.length, lines }
}

/** What the insights' rollups hold of the day `d` days before NOW: events by type, pageviews, sessions. */
async function rolled(d: number) {
  const n = Math.floor((NOW - d * DAY) / DAY)
  const types = await env.DB.prepare(
    "SELECT type, sum(events) AS n FROM roll_types WHERE site = 'acme' AND day = ? AND bot = 0 GROUP BY type",
  )
    .bind(n)
    .all<{ type: string; n: number }>()
  const totals = await env.DB.prepare(
    "SELECT pageviews, sessions FROM roll_totals WHERE site = 'acme' AND day = ? AND device = -1",
  )
    .bind(n)
    .first<{ pageviews: number; sessions: number }>()
  return { ...Object.fromEntries(types.results.map((r) => [r.type, r.n])), ...totals }
}

async function runUntilDone(site: string, limits = LIMITS) {
  let runs = 0
  for (let r = await maintain(env, site, NOW, limits); ; r = await maintain(env, site, NOW, limits)) {
    runs++
    if (!r.more) return runs
  }
}

beforeEach(async () => {
  await emptyDb()
  const objects = await env.ARCHIVE.list()
  if (objects.objects.length) await env.ARCHIVE.delete(objects.objects.map((o) => o.key))
  await givenSite('acme', {}, ['https://shop.example'], { retentionDays: 30 })
})

describe('R2 export', () => {
  it('exports a received day completely, each event once, in parts, across runs that hand over', async () => {
    const rows = await seed([1, 2], 250)
    // Small parts and a small budget per run, so the job must hand over to its next run.
    const runs = await runUntilDone('acme', { ...LIMITS, partEvents: 60, partsPerRun: 3 })
    expect(runs).toBeGreaterThan(2)
    for (const d of [1, 2]) {
      const want = rows.filter((r) => r.id.startsWith(`d${d}-`)).map((r) => r.id)
      const got = await exported('acme', day(NOW - d * DAY))
      expect(got.parts).toBe(5)
      expect(got.lines.map((l) => l.id).sort()).toEqual(want.sort())
      expect(got.lines[0]).toMatchObject({ site: 'acme', type: expect.any(String), props: { k: 1 } })
      const done = await (await env.ARCHIVE.get(doneKey('acme', day(NOW - d * DAY))))!.json()
      expect(done).toEqual({ site: 'acme', day: day(NOW - d * DAY), parts: 5, events: 250 })
    }
    // Today is not over: not exported yet.
    expect((await env.ARCHIVE.list({ prefix: `events/site=acme/day=${day(NOW)}/` })).objects).toEqual([])
  })
})

describe('retention', () => {
  it('deletes raw events past the site retention and keeps their rollups', async () => {
    await seed([40, 31, 29, 3], 30)
    await runUntilDone('acme')
    const left = await env.DB.prepare(
      "SELECT DISTINCT substr(id, 1, instr(id, '-') - 1) AS d FROM events WHERE site = 'acme' ORDER BY d",
    ).all<{ d: string }>()
    expect(left.results.map((r) => r.d)).toEqual(['d29', 'd3'])
    // What the deleted days said stays in the rollups (bots left out).
    expect(await rolled(40)).toEqual({ pageview: 10, click: 20, pageviews: 10, sessions: 1 })
    expect(await rolled(31)).toEqual({ pageview: 10, click: 20, pageviews: 10, sessions: 1 })
    // And every deleted event is in R2.
    expect((await exported('acme', day(NOW - 40 * DAY))).lines).toHaveLength(30)
  })

  it('deletes a day past a short retention once it is exported and rolled up, without waiting two more days', async () => {
    await givenSite('acme', {}, ['https://shop.example'], { retentionDays: 1 })
    await seed([2], 30)
    await runUntilDone('acme')
    expect(await env.DB.prepare("SELECT count(*) AS n FROM events WHERE site = 'acme'").first('n')).toBe(0)
    expect(await rolled(2)).toEqual({ pageview: 10, click: 20, pageviews: 10, sessions: 1 })
    expect((await exported('acme', day(NOW - 2 * DAY))).lines).toHaveLength(30)
  })

  it('never deletes what has not been exported yet', async () => {
    await seed([60], 10)
    // The export has no room this run: retention must wait for it.
    const r = await maintain(env, 'acme', NOW, { ...LIMITS, partsPerRun: 0 })
    expect(r.deleted).toBe(0)
    expect(await env.DB.prepare("SELECT count(*) AS n FROM events WHERE site = 'acme'").first('n')).toBe(10)
  })
})

describe('the Cron Trigger', () => {
  it('sends one maintenance job per site through the jobs queue, which exports and applies retention', async () => {
    await givenSite('other', {}, [], { retentionDays: 7 })
    await seed([10], 5, 'other')
    const controller = { scheduledTime: Date.now(), cron: '7 * * * *', noRetry() {} }
    await worker.scheduled(controller, env)
    await until(async () => {
      const n = await env.DB.prepare("SELECT count(*) AS n FROM events WHERE site = 'other'").first('n')
      if (n !== 0) throw new Error(`${n} events still there`)
    })
    const list = await env.ARCHIVE.list({ prefix: 'events/site=other/' })
    expect(list.objects.map((o) => o.key).some((k) => k.endsWith('part-0000.ndjson.gz'))).toBe(true)
  })
})
