/**
 * The registry of rollup tables (store/rollup-tables.ts): every table the insights read holds,
 * after the hourly job, exactly what its registered recount gives from raw events, on a site
 * with random traffic, replays, path rules and a late batch. The test walks the registry, so a
 * table added to it is checked here; a roll_ table of the schema missing from it fails.
 */
import { beforeEach, describe, expect, it } from 'vitest'
import { SELF, env } from 'cloudflare:test'
import {
  ADMIN,
  batch,
  drained,
  emptyDb,
  event,
  givenSite,
  post,
  random,
  rolledTo,
  runJob,
  DESKTOP,
  PHONE,
  CRAWLER,
} from './helpers'
import { SETTLE_MS } from '../../edge/jobs/maintain'
import { ROLLUP_BOOKKEEPING, ROLLUP_TABLES, tableNames, type TableName } from '../../edge/store/rollup-tables'
import { renames, type PathRules } from '../../edge/domain/paths'
import type { WireEvent } from '../../snippet/contract/wire'

const DAY = 86_400_000
const SHOP = 'https://shop.example'
const RULES: PathRules = { patterns: ['/docs/*'] }

/** Random batches over five days: every kind of event a rollup counts, phones, bots, replays. */
async function randomTraffic(seed: number) {
  const rnd = random(seed)
  const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)]!
  const now = Date.now()
  const paths = ['/', '/pricing', '/projects/12', '/projects/7/settings', '/docs/a?x=1', '/docs/b/c', '/onboarding#top']
  const refs = ['', 'https://www.google.com/', 'https://news.ycombinator.com/item', SHOP + '/']
  for (let b = 0; b < 40; b++) {
    const visitor = `v${Math.floor(rnd() * 9)}`
    const start = now - Math.floor(rnd() * 5 * DAY) - 60_000
    const events: WireEvent[] = []
    for (let i = 0, n = 2 + Math.floor(rnd() * 9); i < n; i++) {
      const ts = start + i * Math.floor(rnd() * 4 * 3_600_000) // some sessions run past midnight
      const url = SHOP + pick(paths) + (rnd() < 0.2 ? '?utm_source=news&utm_medium=mail&utm_campaign=launch' : '')
      const kind = pick(['pageview', 'pageview', 'pageview', 'track', 'step', 'stall', 'rage_click', 'nps', 'form'])
      if (kind === 'pageview') events.push(event({ type: 'pageview', url, ts, props: { ref: pick(refs) } }))
      else if (kind === 'track')
        events.push(
          event({
            type: 'track',
            name: pick(['invite_sent', 'export']),
            url,
            ts,
            props: { plan: pick(['pro', 'free']), seats: 3, paid: rnd() < 0.5 },
          }),
        )
      else if (kind === 'step' || kind === 'stall')
        events.push(event({ type: kind, name: 'onboarding', url, ts, props: { step: pick(['account', 'done']) } }))
      else if (kind === 'rage_click') events.push(event({ type: 'rage_click', url, ts, props: { path: 'button' } }))
      else if (kind === 'form') {
        events.push(event({ type: 'form_abandon', url, ts, props: { form: 'signup' } }))
        if (rnd() < 0.5) events.push(event({ type: 'form_submit', url, ts: ts + 1_000, props: { form: 'signup' } }))
      } else
        events.push(
          event({ type: 'survey_answer', name: 'nps', url, ts, props: { kind: 'nps', score: Math.floor(rnd() * 11) } }),
        )
    }
    const body = batch(events, { visitor, session: `s${b}-${visitor}`, sentAt: now })
    const headers = rnd() < 0.1 ? CRAWLER : rnd() < 0.3 ? PHONE : DESKTOP
    expect((await post('/v1/events', body, headers)).status).toBe(200)
    if (rnd() < 0.3) expect((await post('/v1/events', body, headers)).status).toBe(200) // replayed
  }
  await drained()
  return now
}

/** A table's stored rows of the rolled-up days and its registered recount from raw events, both sorted. */
async function storedAndRecounted(table: TableName, rules: PathRules) {
  const end = await rolledTo()
  const { columns, filledBy, recount } = ROLLUP_TABLES[table]
  const order = columns.map((_, i) => i + 1).join(', ')
  // Named tables name raw paths by the site's rules, as the job does.
  const args: unknown[] = ['acme']
  if (filledBy === 'nameDay') {
    const paths = await env.DB.prepare(`SELECT DISTINCT path FROM (${ROLLUP_TABLES.roll_pages.recount(0, end * DAY)})`)
      .bind('acme')
      .all<{ path: string }>()
    args.push(
      JSON.stringify(
        renames(
          paths.results.map((r) => r.path),
          rules,
        ),
      ),
    )
  }
  const stored = await env.DB.prepare(
    `SELECT ${columns.join(', ')} FROM ${table} WHERE site = ?1 AND day < ${end} ORDER BY ${order}`,
  )
    .bind('acme')
    .all()
  const recounted = await env.DB.prepare(
    `SELECT ${columns.join(', ')} FROM (${recount(0, end * DAY)}) ORDER BY ${order}`,
  )
    .bind(...args)
    .all()
  return { stored: stored.results, recounted: recounted.results }
}

async function everyTableAgrees(rules: PathRules) {
  for (const table of tableNames()) {
    const { stored, recounted } = await storedAndRecounted(table, rules)
    expect(stored.length, table).toBeGreaterThan(0)
    expect(stored, table).toEqual(recounted)
  }
}

beforeEach(async () => {
  await emptyDb()
  await givenSite('acme', {}, undefined, { paths: RULES })
})

describe('the registry of rollup tables', () => {
  it('names every roll_ table of the schema, as a table of counts or as bookkeeping', async () => {
    const { results } = await env.DB.prepare(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'roll\\_%' ESCAPE '\\' ORDER BY name",
    ).all<{ name: string }>()
    expect(results.map((r) => r.name)).toEqual([...tableNames(), ...Object.keys(ROLLUP_BOOKKEEPING)].sort())
  })

  it('every table holds what its recount from raw events gives, after random traffic, replays and a late batch', async () => {
    const now = await randomTraffic(5)
    await runJob(Date.now() + SETTLE_MS)
    expect(await rolledTo()).toBeGreaterThanOrEqual(Math.floor(now / DAY) - 4)
    await everyTableAgrees(RULES)

    // A late batch (an offline outbox) for a day already rolled up, in a session rolled up on a
    // later day: the day is rolled up and named again, and the session's later row is no
    // longer its first.
    const day = Math.floor(now / DAY) - 2
    const { session } = (await env.DB.prepare(
      'SELECT session FROM roll_entries WHERE site = ?1 AND day = ?2 AND lead = 1 ORDER BY session LIMIT 1',
    )
      .bind('acme', day)
      .first<{ session: string }>())!
    await post(
      '/v1/events',
      batch(
        [
          event({ type: 'pageview', url: SHOP + '/docs/late', ts: (day - 1) * DAY + 3_600_000 }),
          event({ type: 'track', name: 'late', ts: (day - 1) * DAY + 3_600_001, props: { at: 'night' } }),
        ],
        { visitor: 'v-late', session, sentAt: now },
      ),
      PHONE,
    )
    await drained()
    const later = Date.now() + SETTLE_MS + 1000
    await runJob(later)
    await everyTableAgrees(RULES)
    const rows = await env.DB.prepare(
      'SELECT day, lead FROM roll_entries WHERE site = ?1 AND session = ?2 ORDER BY day, device',
    )
      .bind('acme', session)
      .all()
    expect(rows.results[0]).toEqual({ day: day - 1, lead: 1 })
    expect(rows.results.slice(1).every((r) => r.lead === 0)).toBe(true)

    // New rules: the job names every day again, and the named tables agree with a recount under them.
    const rules: PathRules = { patterns: ['/projects/*'], ids: false }
    await givenSite('acme', {}, undefined, { paths: rules })
    await runJob(later)
    await everyTableAgrees(rules)
  })
})

describe('sources by referrer', () => {
  const read = async (path: string) => {
    const r = await SELF.fetch(`https://edge.example/v1/insights/${path}`, { headers: ADMIN })
    expect(r.status, path).toBe(200)
    return r.json()
  }

  it("are read from the sessions' named first rows once their days are named, with the same answer", async () => {
    await randomTraffic(9)
    const queries = ['sources?site=acme&days=7&referrer=google.com', 'sources?site=acme&days=7&referrer=direct']
    const raw = await Promise.all(queries.map(read))
    expect((raw[0] as { referrers: unknown[] }).referrers).toEqual([
      { source: 'google.com', sessions: expect.any(Number), visitors: expect.any(Number) },
    ])
    await runJob(Date.now() + SETTLE_MS)
    expect(await Promise.all(queries.map(read))).toEqual(raw)
    // Without the session-level rows, nothing changes: the named rows answer.
    await env.DB.prepare("DELETE FROM roll_sessions WHERE site = 'acme'").run()
    expect(await Promise.all(queries.map(read))).toEqual(raw)
  })
})
