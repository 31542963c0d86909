/**
 * Named rollups (migration 0010, store/named.ts): top pages, entry pages and sources read rows
 * already named by the site's path rules and each session's first row. They agree with a
 * recount of raw events however batches are replayed or arrive late, answer what the
 * session-level rows answer, are named again when the rules change (read the old way
 * meanwhile), and forget an erased visitor.
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
} from './helpers'
import { SETTLE_MS } from '../../edge/jobs/maintain'
import { rawRows } from '../../edge/store/rollups'
import { normalisePath, rulesKey, type PathRules } from '../../edge/domain/paths'
import type { WireEvent } from '../../snippet/contract/wire'

const DAY = 86_400_000
const SHOP = 'https://shop.example'
const RULES: PathRules = { patterns: ['/docs/*'] }

const read = async (path: string) => {
  const r = await SELF.fetch(`https://edge.example/v1/insights/${path}`, { headers: ADMIN })
  expect(r.status, path).toBe(200)
  return r.json()
}

const all = async (sql: string) => (await env.DB.prepare(sql).bind('acme').all<any>()).results
const sortRows = (rows: Record<string, unknown>[]) =>
  rows.map((r) => JSON.stringify(r)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))

/** The named rows a recount of raw events gives (names and first rows computed here, in JS). */
async function recount(rules: PathRules) {
  const end = await rolledTo()
  const pages = new Map<string, Record<string, unknown>>()
  for (const r of await all(
    `SELECT day, path, device, visitor, pageviews FROM (${rawRows('roll_pages', 0, end * DAY)})`,
  )) {
    const page = normalisePath(r.path, rules)
    const k = JSON.stringify([r.day, page, r.device, r.visitor])
    const p = pages.get(k) ?? { day: r.day, page, device: r.device, visitor: r.visitor, pageviews: 0 }
    p.pageviews = (p.pageviews as number) + r.pageviews
    pages.set(k, p)
  }
  const rows = await all(
    `SELECT day, session, device, visitor, entry_ts, entry, source, utm_source, utm_medium, utm_campaign
     FROM (${rawRows('roll_sessions', 0, end * DAY)}) WHERE entry_ts IS NOT NULL`,
  )
  const first = new Map<string, any>()
  const before = (a: any, b: any) => a.entry_ts - b.entry_ts || a.day - b.day || a.device - b.device
  for (const r of rows) if (!first.has(r.session) || before(r, first.get(r.session)) < 0) first.set(r.session, r)
  const entries = rows.map((row) => {
    const { entry, ...r } = row
    return { ...r, page: normalisePath(entry, rules), lead: first.get(r.session) === row ? 1 : 0 }
  })
  return { pages: sortRows([...pages.values()]), entries: sortRows(entries) }
}

async function stored() {
  const end = await rolledTo()
  return {
    pages: sortRows(
      await all(`SELECT day, page, device, visitor, pageviews FROM roll_page_days WHERE site = ?1 AND day < ${end}`),
    ),
    entries: sortRows(
      await all(
        `SELECT day, session, device, visitor, entry_ts, source, utm_source, utm_medium, utm_campaign, page, lead
         FROM roll_entries WHERE site = ?1 AND day < ${end}`,
      ),
    ),
  }
}

/** Sends random batches over five days (sessions past midnight, replays, phones). */
async function randomTraffic(seed: number) {
  const rnd = random(seed)
  const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)]!
  const now = Date.now()
  const paths = ['/', '/pricing', '/projects/12', '/projects/7/settings', '/docs/a?x=1', '/docs/b/c', '/onboarding#top']
  const refs = ['', 'https://www.google.com/', 'https://news.ycombinator.com/item', SHOP + '/']
  const sent: { body: ReturnType<typeof batch>; headers: Record<string, string> }[] = []
  for (let b = 0; b < 30; b++) {
    const visitor = `v${Math.floor(rnd() * 8)}`
    const start = now - Math.floor(rnd() * 5 * DAY) - 60_000
    const events: WireEvent[] = []
    for (let i = 0, n = 2 + Math.floor(rnd() * 8); i < n; i++) {
      const ts = start + i * Math.floor(rnd() * 4 * 3_600_000) // some sessions run past midnight
      const url = SHOP + pick(paths) + (rnd() < 0.2 ? '?utm_source=news&utm_campaign=launch' : '')
      if (rnd() < 0.8) events.push(event({ type: 'pageview', url, ts, props: { ref: pick(refs) } }))
      else events.push(event({ type: 'track', name: 'export', url, ts }))
    }
    const body = batch(events, { visitor, session: `s${b}-${visitor}`, sentAt: now })
    const headers = rnd() < 0.3 ? PHONE : DESKTOP
    sent.push({ body, headers })
    expect((await post('/v1/events', body, headers)).status).toBe(200)
    if (rnd() < 0.3) expect((await post('/v1/events', body, headers)).status).toBe(200)
  }
  await drained()
  return { sent, rnd, now }
}

const QUERIES = [
  'pages?site=acme&days=7',
  'pages?site=acme&days=7&device=mobile',
  'pages?site=acme&days=7&referrer=google.com',
  'pages?site=acme&days=7&referrer=direct',
  'pages?site=acme&days=2',
  'sources?site=acme&days=7',
  'sources?site=acme&days=7&device=desktop',
  'sources?site=acme&days=2',
  'overview?site=acme&days=7&visitor=new',
  'overview?site=acme&days=7&visitor=returning',
  'overview?site=acme&days=7&visitor=returning&device=mobile',
  'overview?site=acme&days=3&visitor=new&device=desktop',
]
const answers = async () => (await Promise.all(QUERIES.map(read))).map(({ rolledUpTo: _, ...a }: any) => a)

/** Answers from the session-level rows: every day marked as named under no rules. */
async function oldWay() {
  const keys = await all('SELECT day, paths FROM roll_days WHERE site = ?1')
  await env.DB.prepare("UPDATE roll_days SET paths = NULL WHERE site = 'acme'").run()
  const a = await answers()
  await env.DB.batch(
    keys.map((k) =>
      env.DB.prepare("UPDATE roll_days SET paths = ? WHERE site = 'acme' AND day = ?").bind(k.paths, k.day),
    ),
  )
  return a
}

beforeEach(async () => {
  await emptyDb()
  await givenSite('acme', {}, undefined, { paths: RULES })
})

describe('named rollups', () => {
  it('agree with a recount of raw events after random batches, replays and a late batch, and answer what the session rows answer', async () => {
    const { sent, rnd, now } = await randomTraffic(7)
    const raw = await answers()
    // (At a time after every batch: later runs re-roll only days that received events since.)
    await runJob(Date.now() + SETTLE_MS)
    expect(await rolledTo()).toBeGreaterThanOrEqual(Math.floor(now / DAY) - 4)
    const named = await stored()
    expect(named.pages.length).toBeGreaterThan(10)
    expect(named).toEqual(await recount(RULES))
    expect(await answers()).toEqual(raw)

    // Replays after the job, and a late batch that gives a session rolled up on a later day
    // an earlier first pageview: that later row is no longer its session's first.
    for (const s of sent.filter(() => rnd() < 0.5)) await post('/v1/events', s.body, s.headers)
    const day = Math.floor(now / DAY) - 2
    const carried = (
      await all(`SELECT session FROM roll_entries WHERE site = ?1 AND day = ${day} AND lead = 1 LIMIT 1`)
    )[0]?.session as string
    expect(carried).toBeTruthy()
    const late = await post(
      '/v1/events',
      batch([event({ type: 'pageview', url: SHOP + '/docs/late', ts: (day - 1) * DAY + 3_600_000 })], {
        visitor: 'v-late',
        session: carried,
        sentAt: now,
      }),
      DESKTOP,
    )
    expect(late.status).toBe(200)
    await drained()
    const later = Date.now() + SETTLE_MS + 1000
    await runJob(later)
    await runJob(later)
    // Only the late day was rolled up again: its session's later row was told by the naming.
    expect(await all(`SELECT day FROM roll_days WHERE site = ?1 AND at = ${later}`)).toEqual([{ day: day - 1 }])
    const again = await stored()
    expect(again).toEqual(await recount(RULES))
    // (A session that went on past midnight has later rows too, not first either: which
    // sessions do depends on the hour the test runs.)
    const rows = await all(`SELECT day, lead FROM roll_entries WHERE site = ?1 AND session = '${carried}' ORDER BY day`)
    expect(rows.slice(0, 2)).toEqual([
      { day: day - 1, lead: 1 },
      { day, lead: 0 },
    ])
    expect(rows.slice(2).filter((r) => r.lead !== 0)).toEqual([])
    expect(await all('SELECT DISTINCT paths FROM roll_days WHERE site = ?1')).toEqual([{ paths: rulesKey(RULES) }])

    // The named rows and the session-level rows answer alike.
    const fresh = await answers()
    expect(fresh).toEqual(await oldWay())
    // And the named rows are what answers: without the session-level rows, nothing changes
    // for top pages and sources without a segment.
    await env.DB.batch([
      env.DB.prepare("DELETE FROM roll_pages WHERE site = 'acme'"),
      env.DB.prepare("DELETE FROM roll_sessions WHERE site = 'acme'"),
    ])
    const noSegment = [0, 1, 4, 5, 6, 7]
    const without = await answers()
    for (const i of noSegment) expect(without[i], QUERIES[i]).toEqual(fresh[i])
  })

  it("are read the old way once the site's path rules change, until the job has named them again", async () => {
    const { now } = await randomTraffic(3)
    await runJob(now + SETTLE_MS)
    const docs = (r: any) => r.pages.filter((p: any) => p.page.startsWith('/docs'))
    expect(docs(await read('pages?site=acme&days=7')).map((p: any) => p.page)).toEqual(['/docs/*'])

    const rules: PathRules = { patterns: ['/docs/:name', '/projects/*'] }
    await givenSite('acme', {}, undefined, { paths: rules })
    const before = (await read('pages?site=acme&days=7')) as any
    // The new rules apply at once (from the session-level rows: the named ones are stale).
    expect(
      docs(before)
        .map((p: any) => p.page)
        .sort(),
    ).toEqual(['/docs/:name', '/docs/b/c'])
    expect(before.pages.some((p: any) => p.page === '/projects/*')).toBe(true)
    const stale = await all(`SELECT count(*) AS n FROM roll_days WHERE site = ?1 AND paths IS NOT '${rulesKey(rules)}'`)
    expect(stale[0].n).toBeGreaterThan(0)

    await runJob(Date.now() + SETTLE_MS)
    expect(await all('SELECT DISTINCT paths FROM roll_days WHERE site = ?1')).toEqual([{ paths: rulesKey(rules) }])
    expect(await stored()).toEqual(await recount(rules))
    expect(await read('pages?site=acme&days=7')).toEqual(before)
    // The old rules' names are forgotten.
    expect(await all('SELECT DISTINCT key FROM roll_names WHERE site = ?1')).toEqual([{ key: rulesKey(rules) }])
  })

  it('forget an erased visitor, and the first rows of the sessions they shared are set again', async () => {
    const today = Math.floor(Date.now() / DAY) * DAY
    const pv = (path: string, ts: number, ref = '') => event({ type: 'pageview', url: SHOP + path, ts, props: { ref } })
    const send = (visitor: string, session: string, events: WireEvent[]) =>
      post('/v1/events', batch(events, { visitor, session, sentAt: Date.now() }), DESKTOP)
    // One session under two visitor ids (a device that reset its id): 'goes' on its first day.
    await send('goes', 'shared', [pv('/docs/a', today - 3 * DAY + 3_600_000, 'https://www.google.com/')])
    await send('stays', 'shared', [pv('/pricing', today - 2 * DAY + 3_600_000)])
    await send('other', 'o1', [pv('/', today - 2 * DAY + 7_200_000, 'https://news.ycombinator.com/')])
    await drained()
    await runJob(Date.now() + SETTLE_MS)
    expect(
      await all("SELECT visitor, lead FROM roll_entries WHERE site = ?1 AND session = 'shared' ORDER BY day"),
    ).toEqual([
      { visitor: 'goes', lead: 1 },
      { visitor: 'stays', lead: 0 },
    ])
    const r = await SELF.fetch('https://edge.example/v1/visitors/goes?site=acme', { method: 'DELETE', headers: ADMIN })
    expect(await r.json()).toMatchObject({ remaining: 0 })
    for (const t of ['roll_page_days', 'roll_entries'])
      expect(await all(`SELECT count(*) AS n FROM ${t} WHERE site = ?1 AND visitor = 'goes'`), t).toEqual([{ n: 0 }])
    expect(await stored()).toEqual(await recount(RULES))
    const pages = (await read('pages?site=acme&days=7')) as any
    expect(pages.entries).toEqual([
      { page: '/', sessions: 1, visitors: 1 },
      { page: '/pricing', sessions: 1, visitors: 1 },
    ])
    expect(pages.pages.map((p: any) => p.page).sort()).toEqual(['/', '/pricing'])
    const sources = (await read('sources?site=acme&days=7')) as any
    expect(sources.referrers).toEqual([
      { source: 'direct', sessions: 1, visitors: 1 },
      { source: 'news.ycombinator.com', sessions: 1, visitors: 1 },
    ])
  })
})

describe('overview of new and returning visitors', () => {
  it('counts a session shared by a returning and a new visitor as both, from raw events and from rollups', async () => {
    const today = Math.floor(Date.now() / DAY) * DAY
    const pv = (path: string, ts: number) => event({ type: 'pageview', url: SHOP + path, ts })
    const send = (visitor: string, session: string, events: WireEvent[], headers = DESKTOP) =>
      post('/v1/events', batch(events, { visitor, session, sentAt: Date.now() }), headers)
    await send('ret', 'r1', [pv('/', today - 3 * DAY + 3_600_000)])
    await send('ret', 'mix', [pv('/pricing', today - 2 * DAY + 3_600_000)])
    // A new visitor id in the same session (its only one), and a new visitor on a phone.
    await send('nu', 'mix', [pv('/docs/a', today - DAY + 3_600_000)])
    await send('nu2', 'n2', [pv('/', today - DAY + 7_200_000), pv('/pricing', Date.now() - 60_000)], PHONE)
    await drained()
    const counts = async () =>
      Promise.all(
        [
          'overview?site=acme&days=7&visitor=returning',
          'overview?site=acme&days=7&visitor=new',
          'overview?site=acme&days=7&visitor=new&device=mobile',
          'overview?site=acme&days=7&visitor=returning&device=mobile',
        ].map(async (q) => {
          const { visitors, sessions, pageviews, events } = (await read(q)) as any
          return { visitors, sessions, pageviews, events }
        }),
      )
    const raw = await counts()
    expect(raw).toEqual([
      { visitors: 1, sessions: 2, pageviews: 2, events: { pageview: 2 } },
      { visitors: 2, sessions: 2, pageviews: 3, events: { pageview: 3 } },
      { visitors: 1, sessions: 1, pageviews: 2, events: { pageview: 2 } },
      { visitors: 0, sessions: 0, pageviews: 0, events: {} },
    ])
    await runJob(Date.now() + SETTLE_MS)
    expect(await rolledTo()).toBe(Math.floor(Date.now() / DAY))
    expect(await counts()).toEqual(raw)
  })
})
