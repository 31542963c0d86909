/**
 * Daily rollups (issue #11, "fast at volume"): the hourly job's rollups agree with a recount of
 * raw events however batches are replayed, and every insight that reads them answers exactly
 * what it answered from raw events alone.
 */
import { beforeEach, describe, expect, it } from 'vitest'
import { SELF, createExecutionContext, createMessageBatch, env, getQueueResult } from 'cloudflare:test'
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
import { LIMITS, SETTLE_MS, maintain, type MaintainReport } from '../../edge/jobs/maintain'
import worker from '../../edge/index'
import type { JobMessage } from '../../edge/jobs/messages'
import type { Env } from '../../edge/env'
import { rawRows } from '../../edge/store/rollups'
import { ROLLUP_TABLES, tableNames, type TableName as Table } from '../../edge/store/rollup-tables'
import { sessionPaths } from '../../edge/store/insights/journeys'
import { spansOf } from '../../edge/domain/spans'
import { signOffer } from '../../edge/domain/offers'
import { siteSecret } from '../../edge/store/sites'
import type { WireEvent } from '../../snippet/contract/wire'

const DAY = 86_400_000
const FUNNEL = { id: 'onboarding', steps: [{ id: 'account' }, { id: 'workspace' }, { id: 'done' }] }
const SHOP = 'https://shop.example'

/** The tables rollDay fills from raw events (the named ones: named.test.ts). */
const RAW_TABLES = tableNames().filter((t) => ROLLUP_TABLES[t].filledBy === 'rollDay')

/** Each rollup table's rows for the rolled-up days, and a recount of them from raw events. */
async function storedAndRecounted(table: Table) {
  const end = await rolledTo()
  const columns = ROLLUP_TABLES[table].columns
  const cols = columns.map((_, i) => i + 1).join(', ')
  const stored = await env.DB.prepare(
    `SELECT ${columns.join(', ')} FROM ${table} WHERE site = ?1 AND day < ${end} ORDER BY ${cols}`,
  )
    .bind('acme')
    .all()
  const recount = await env.DB.prepare(
    `SELECT ${columns.join(', ')} FROM (${rawRows(table, 0, end * DAY)}) ORDER BY ${cols}`,
  )
    .bind('acme')
    .all()
  return { stored: stored.results, recount: recount.results }
}

const read = async (path: string) => {
  const r = await SELF.fetch(`https://edge.example/v1/insights/${path}`, { headers: ADMIN })
  expect(r.status, path).toBe(200)
  return r.json()
}

beforeEach(async () => {
  await emptyDb()
  await givenSite('acme', { funnels: [FUNNEL] })
})

describe('spans of a window', () => {
  it('reads rolled-up whole days and raw events for the partial first day and the open day', () => {
    const from = 10 * DAY + 5000
    const to = 20 * DAY + 7000
    expect(spansOf(from, to, 0)).toEqual({ days: [11, 11], raw: [[from, to]] })
    expect(spansOf(from, to, 15)).toEqual({
      days: [11, 15],
      raw: [
        [from, 11 * DAY],
        [15 * DAY, to],
      ],
    })
    // Today (day 20) is never read from rollups, even if a day after it were rolled up.
    expect(spansOf(from, to, 30)).toEqual({
      days: [11, 20],
      raw: [
        [from, 11 * DAY],
        [20 * DAY, to],
      ],
    })
    expect(spansOf(11 * DAY, 20 * DAY, 30)).toEqual({ days: [11, 20], raw: [] })
  })
})

describe('rollups', () => {
  it('agree with a recount of raw events after random batches, some replayed before and after the job', async () => {
    const rnd = random(11)
    const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)]!
    const now = Date.now()
    const paths = ['/', '/pricing', '/projects/12', '/projects/7/settings', '/docs/a?x=1', '/onboarding#top']
    const refs = ['', 'https://www.google.com/', 'https://news.ycombinator.com/item', SHOP + '/']
    const sent: { body: ReturnType<typeof batch>; headers: Record<string, string> }[] = []
    for (let b = 0; b < 36; b++) {
      const visitor = `v${Math.floor(rnd() * 9)}`
      const start = now - Math.floor(rnd() * 5 * DAY) - 60_000
      const events: WireEvent[] = []
      const n = 2 + Math.floor(rnd() * 10)
      for (let i = 0; i < n; i++) {
        const ts = start + i * Math.floor(rnd() * 4 * 3_600_000) // some sessions run past midnight
        const url = SHOP + pick(paths) + (rnd() < 0.2 ? '?utm_source=news&utm_campaign=launch' : '')
        const kind = pick([
          'pageview',
          'pageview',
          'pageview',
          'track',
          'step',
          'stall',
          'rage_click',
          'survey_answer',
          'form',
        ])
        if (kind === 'pageview') events.push(event({ type: 'pageview', url, ts, props: { ref: pick(refs) } }))
        else if (kind === 'track')
          events.push(
            event({
              type: 'track',
              name: pick(['invite_sent', 'export']),
              url,
              ts,
              props: { plan: pick(['pro', 'free']), seats: 3 },
            }),
          )
        else if (kind === 'step' || kind === 'stall')
          events.push(
            event({ type: kind, name: 'onboarding', url, ts, props: { step: pick(['account', 'workspace', 'done']) } }),
          )
        else if (kind === 'rage_click')
          events.push(event({ type: 'rage_click', url, ts, props: { path: 'button#save' } }))
        else if (kind === 'form') {
          // Left, and sometimes submitted after all (which takes the abandonment back).
          events.push(event({ type: 'form_abandon', url, ts, props: { form: 'signup', fields: ['email'] } }))
          if (rnd() < 0.5) events.push(event({ type: 'form_submit', url, ts: ts + 1_000, props: { form: 'signup' } }))
        } else
          events.push(
            event({
              type: 'survey_answer',
              name: 'nps',
              url,
              ts,
              props: { kind: 'nps', score: Math.floor(rnd() * 11) },
            }),
          )
      }
      const body = batch(events, { visitor, session: `s${b}-${visitor}`, sentAt: now })
      const headers = rnd() < 0.1 ? CRAWLER : rnd() < 0.3 ? PHONE : DESKTOP
      sent.push({ body, headers })
      expect((await post('/v1/events', body, headers)).status).toBe(200)
      if (rnd() < 0.3) expect((await post('/v1/events', body, headers)).status).toBe(200) // replayed at once
    }
    await drained()
    await runJob(now + SETTLE_MS)
    expect(await rolledTo()).toBeGreaterThanOrEqual(Math.floor(now / DAY) - 4)
    for (const table of RAW_TABLES) {
      const { stored, recount } = await storedAndRecounted(table)
      expect(stored.length, table).toBeGreaterThan(0)
      expect(stored, table).toEqual(recount)
    }
    const before = await env.DB.prepare("SELECT sum(events) AS n FROM roll_types WHERE site = 'acme'").first<{
      n: number
    }>()

    // Replays after the job (answered as duplicates), the job again, and a late batch for a day
    // already rolled up (an outbox that was offline): the day is rolled up again, nothing doubles.
    for (const s of sent.filter(() => rnd() < 0.5)) {
      const r = (await (await post('/v1/events', s.body, s.headers)).json()) as { accepted: number }
      expect(r.accepted).toBe(0)
    }
    const lateTs = (Math.floor(now / DAY) - 3) * DAY + 3_600_000
    await post(
      '/v1/events',
      batch(
        [
          event({ type: 'pageview', url: SHOP + '/late', ts: lateTs }),
          event({ type: 'track', name: 'late', ts: lateTs + 1 }),
        ],
        {
          visitor: 'v-late',
          session: 's-late',
          sentAt: now,
        },
      ),
      DESKTOP,
    )
    await drained()
    const later = Date.now() + SETTLE_MS + 1000
    await runJob(later)
    await runJob(later)
    for (const table of RAW_TABLES) {
      const { stored, recount } = await storedAndRecounted(table)
      expect(stored, table).toEqual(recount)
    }
    // Days rolled up before migration 0009 get its coarse tables from the session-level rows:
    // the same rows as a recount of their events.
    const coarse: Table[] = ['roll_totals', 'roll_funnel_days', 'roll_paths']
    await env.DB.batch(coarse.map((t) => env.DB.prepare(`DELETE FROM ${t}`)))
    const migration = env.TEST_MIGRATIONS.find((m) => m.name.startsWith('0009'))!
    const fills = migration.queries.filter((q) => /^\s*INSERT/i.test(q.replace(/^(\s*--.*\n)*/, '')))
    expect(fills).toHaveLength(coarse.length)
    await env.DB.batch(fills.map((q) => env.DB.prepare(q)))
    for (const table of coarse) {
      const { stored, recount } = await storedAndRecounted(table)
      expect(stored.length, table).toBeGreaterThan(0)
      expect(stored, table).toEqual(recount)
    }
    const after = await env.DB.prepare("SELECT sum(events) AS n FROM roll_types WHERE site = 'acme'").first<{
      n: number
    }>()
    expect(after!.n).toBe(before!.n + 2)
    const late = await env.DB.prepare(
      "SELECT visitor, pages FROM roll_sessions WHERE site = 'acme' AND session = 's-late'",
    ).first()
    expect(late).toEqual({ visitor: 'v-late', pages: '["/late"]' })
  })
})

describe('insights from rollups', () => {
  /** Four sessions of three people over four days (one across midnight), and a bot. */
  async function seedKnown() {
    const today = Math.floor(Date.now() / DAY) * DAY
    const at = (days: number, ms = 0) => today - days * DAY + 12 * 3_600_000 + ms
    const visit = (visitor: string, session: string, events: WireEvent[], headers = DESKTOP) =>
      post('/v1/events', batch(events, { visitor, session, sentAt: Date.now() }), headers)
    const pv = (path: string, ts: number, ref = '') => event({ type: 'pageview', url: SHOP + path, ts, props: { ref } })
    const step = (s: string, ts: number) => event({ type: 'step', name: 'onboarding', ts, props: { step: s } })
    await visit('ann', 'a1', [
      pv('/?utm_source=news&utm_campaign=launch', at(3), 'https://www.google.com/'),
      pv('/pricing', at(3, 1000)),
      step('account', at(3, 2000)),
      step('workspace', at(3, 3000)),
      event({ type: 'track', name: 'invite_sent', ts: at(3, 4000), props: { plan: 'pro' } }),
      pv('/projects/9', at(3, 5000)),
    ])
    await visit('ann', 'a2', [pv('/projects/12', Date.now() - 60_000), step('done', Date.now() - 50_000)])
    await visit(
      'bob',
      'b1',
      [
        pv('/projects/7', at(2), 'https://news.ycombinator.com/'),
        event({ type: 'track', name: 'invite_sent', ts: at(2, 1000), props: { plan: 'free' } }),
        step('account', at(2, 2000)),
      ],
      PHONE,
    )
    // Across midnight: 23:59 two days ago, then 00:01 yesterday.
    await visit('cat', 'c1', [
      pv('/', today - DAY - 60_000),
      pv('/pricing', today - DAY + 60_000),
      // Signed, as the survey's offer signs it: unsigned answers are left out of NPS.
      event({
        type: 'survey_answer',
        name: 'nps',
        ts: today - DAY + 70_000,
        props: { kind: 'nps', score: 9 },
        hash: await signOffer((await siteSecret(env.DB, 'acme'))!, 'acme', 'nps', 'cat', Date.now()),
      }),
    ])
    await visit('crawler', 'x1', [pv('/', at(1))], CRAWLER)
    await drained()
  }

  const QUERIES = [
    'overview?site=acme&days=7',
    'overview?site=acme&days=7&device=mobile',
    'overview?site=acme&days=7&visitor=returning',
    // Two days of a longer history: people counted by day, not in visitor order (store/insights/people.ts).
    'overview?site=acme&days=2',
    'overview?site=acme&days=2&device=mobile',
    'funnels?site=acme&days=7&vs.device=mobile',
    'funnels?site=acme&days=7&referrer=google.com',
    'trends?site=acme&days=7',
    'trends?site=acme&days=7&device=desktop',
    'pages?site=acme&days=7',
    'pages?site=acme&days=7&referrer=direct',
    'sources?site=acme&days=7',
    'events?site=acme&days=7',
    'events?site=acme&days=7&visitor=returning',
    'journeys?site=acme&days=7',
    'journeys?site=acme&days=7&goal=invite_sent',
    'journeys?site=acme&days=7&from=/pricing',
    // By device: from the coarse tables and entry columns, as without a filter.
    'sources?site=acme&days=7&device=mobile',
    'pages?site=acme&days=7&device=desktop',
    'journeys?site=acme&days=7&goal=invite_sent&device=desktop',
    // New/returning: the new visitors' rows, and everyone's counts less theirs.
    'overview?site=acme&days=7&visitor=new',
    'overview?site=acme&days=7&visitor=returning&device=desktop',
  ]
  /** Every answer, without the overview's `rolledUpTo` (the one thing rollups change on purpose). */
  const answers = async () => (await Promise.all(QUERIES.map(read))).map(({ rolledUpTo: _, ...a }: any) => a)
  const rolledUpTo = async () => ((await read('overview?site=acme&days=7')) as any).rolledUpTo

  it('answer the same numbers from rollups as from raw events, with known answers', async () => {
    await seedKnown()
    expect(await rolledUpTo()).toBe(null)
    const raw = await answers()
    const [overview, , returning, , , funnels, , trends, , pages, , sources, events, , journeys, toGoal] = raw as any[]
    expect(overview).toMatchObject({ visitors: 3, sessions: 4, pageviews: 7, botEvents: 1 })
    expect(overview.events).toEqual({ pageview: 7, step: 4, track: 2, survey_answer: 1 })
    expect(returning).toMatchObject({ visitors: 1, sessions: 2, pageviews: 4 }) // ann came back
    expect(returning.events).toEqual({ pageview: 4, step: 3, track: 1 })
    const [fresh, desktopReturning] = raw.slice(-2) as any[]
    expect(fresh).toMatchObject({ visitors: 2, sessions: 2, pageviews: 3 }) // bob, and cat across midnight
    expect(fresh.events).toEqual({ pageview: 3, step: 1, track: 1, survey_answer: 1 })
    expect(desktopReturning).toMatchObject({ visitors: 1, sessions: 2, pageviews: 4 })
    expect(funnels.funnels[0].steps.map((s: any) => [s.id, s.visitors])).toEqual([
      ['account', 2],
      ['workspace', 1],
      ['done', 1],
    ])
    expect(funnels.compare.funnels[0].steps.map((s: any) => s.visitors)).toEqual([1, 0, 0])
    expect(trends.metrics.find((m: any) => m.id === 'visitors').total.current).toBe(3)
    expect(trends.metrics.find((m: any) => m.id === 'visitors').current.slice(-5)).toEqual([0, 1, 2, 1, 1])
    expect(trends.metrics.find((m: any) => m.id === 'nps').total.current).toBe(100)
    expect(pages.pages).toEqual([
      { page: '/projects/:id', pageviews: 3, visitors: 2 },
      { page: '/', pageviews: 2, visitors: 2 },
      { page: '/pricing', pageviews: 2, visitors: 2 },
    ])
    expect(pages.entries).toEqual([
      { page: '/', sessions: 2, visitors: 2 },
      { page: '/projects/:id', sessions: 2, visitors: 2 },
    ])
    expect(sources.referrers).toEqual([
      { source: 'direct', sessions: 2, visitors: 2 },
      { source: 'google.com', sessions: 1, visitors: 1 },
      { source: 'news.ycombinator.com', sessions: 1, visitors: 1 },
    ])
    expect(sources.campaigns).toEqual([{ source: 'news', medium: null, campaign: 'launch', sessions: 1, visitors: 1 }])
    expect(events.events).toEqual([
      {
        name: 'invite_sent',
        events: 2,
        visitors: 2,
        props: [
          {
            key: 'plan',
            values: [
              { value: 'free', events: 1 },
              { value: 'pro', events: 1 },
            ],
          },
        ],
      },
    ])
    expect(journeys.sessions).toBe(4)
    expect(toGoal.converted).toBe(2)

    // The hourly job rolls up every closed day; the answers stay the same.
    await runJob(Date.now() + SETTLE_MS)
    expect(await rolledTo()).toBeGreaterThanOrEqual(Math.floor(Date.now() / DAY))
    expect(await rolledUpTo()).toBe(new Date(((await rolledTo()) - 1) * DAY).toISOString().slice(0, 10))
    expect(await answers()).toEqual(raw)

    // And they come from the rollups: with the raw events of those days gone (as retention
    // deletes them), nothing changes.
    const gone = await env.DB.prepare("DELETE FROM events WHERE site = 'acme' AND ts < ?")
      .bind((await rolledTo()) * DAY)
      .run()
    expect(gone.meta.changes).toBeGreaterThan(10)
    // (Custom events' prop values under a new/returning filter are counted from raw events, and
    // so is what those who stopped at a funnel step did next.)
    const fromRaw = QUERIES.indexOf('events?site=acme&days=7&visitor=returning')
    const rolledOnly = (xs: unknown[]) =>
      JSON.parse(JSON.stringify(xs.filter((_, i) => i !== fromRaw)), (k, v) => (k === 'next' ? undefined : v))
    expect(rolledOnly(await answers())).toEqual(rolledOnly(raw))
  })
})

describe('erasure and rollups', () => {
  it("forget an erased visitor: no rollup row names them, and every total is what the others' events give", async () => {
    const today = Math.floor(Date.now() / DAY) * DAY
    const pv = (path: string, ts: number) => event({ type: 'pageview', url: SHOP + path, ts })
    const visit = (visitor: string, events: WireEvent[], headers = DESKTOP) =>
      post('/v1/events', batch(events, { visitor, session: `s-${visitor}`, sentAt: Date.now() }), headers)
    for (const [visitor, headers] of [
      ['stays', DESKTOP],
      ['goes', PHONE],
    ] as const)
      await visit(
        visitor,
        [
          pv('/pricing', today - 2 * DAY + 3_600_000),
          event({ type: 'step', name: 'onboarding', ts: today - 2 * DAY + 3_700_000, props: { step: 'account' } }),
          event({ type: 'track', name: 'invite_sent', ts: today - 2 * DAY + 3_800_000 }),
          pv(`/projects/${visitor.length}`, today - DAY + 3_600_000),
        ],
        headers,
      )
    await drained()
    await runJob(Date.now() + SETTLE_MS)
    const before = (await read('overview?site=acme&days=7')) as any
    expect(before).toMatchObject({ visitors: 2, pageviews: 4 })

    const r = await SELF.fetch('https://edge.example/v1/visitors/goes?site=acme', { method: 'DELETE', headers: ADMIN })
    expect(await r.json()).toMatchObject({ visitors: 1, remaining: 0 })
    for (const table of ['roll_sessions', 'roll_pages', 'roll_steps', 'roll_tracks', 'roll_hits'])
      expect(await env.DB.prepare(`SELECT count(*) AS n FROM ${table} WHERE visitor = 'goes'`).first('n'), table).toBe(
        0,
      )
    // The coarse tables count people without naming them: counted again, without the erased.
    for (const table of RAW_TABLES.filter((t) => t !== 'roll_types' && t !== 'roll_props')) {
      const { stored, recount } = await storedAndRecounted(table)
      expect(stored, table).toEqual(recount)
    }
    expect(await read('overview?site=acme&days=7')).toMatchObject({ visitors: 1, sessions: 1, pageviews: 2 })
    const trends = (await read('trends?site=acme&days=7')) as any
    expect(trends.metrics.find((m: any) => m.id === 'visitors').current.slice(-3)).toEqual([1, 1, 0])
    const funnels = (await read('funnels?site=acme&days=7')) as any
    expect(funnels.funnels[0].steps[0]).toMatchObject({ id: 'account', visitors: 1 })
    const pages = (await read('pages?site=acme&days=7&device=mobile')) as any
    expect(pages.pages).toEqual([])
  })
})

describe('journeys from rollups', () => {
  it('read the newest sessions of the window, also when a session has rows on several days', async () => {
    const today = Math.floor(Date.now() / DAY) * DAY
    const pv = (path: string, ts: number) => event({ type: 'pageview', url: SHOP + path, ts })
    const visit = (session: string, events: WireEvent[]) =>
      post('/v1/events', batch(events, { visitor: `v-${session}`, session, sentAt: Date.now() }), DESKTOP)
    // Older single-day sessions, and one that runs over three days (a row on each): its rows are
    // the newest, so the first rows read newest first name fewer sessions than asked for.
    await visit('old1', [pv('/a1', today - 5 * DAY + 3_600_000)])
    await visit('old2', [pv('/a2', today - 4 * DAY + 3_600_000)])
    await visit('mid', [pv('/m', today - 3 * DAY + 3_600_000)])
    await visit('new', [pv('/n', today - 2 * DAY + 3_600_000)])
    await visit('long', [
      pv('/l1', today - 3 * DAY - 60_000),
      pv('/l2', today - 2 * DAY - 60_000),
      pv('/l3', today - DAY - 60_000),
      pv('/l4', today - DAY + 60_000),
    ])
    await drained()
    const w = { from: today - 6 * DAY, to: Date.now() + 1, filter: {} }
    const newest = async () => (await sessionPaths(env.DB, 'acme', w, undefined, 3)).map((s) => s.pages).sort()
    const raw = await newest()
    expect(raw).toEqual([['/l1', '/l2', '/l3', '/l4'], ['/m'], ['/n']])
    await runJob(Date.now() + SETTLE_MS)
    expect(await rolledTo()).toBeGreaterThanOrEqual(Math.floor(Date.now() / DAY))
    expect(await newest()).toEqual(raw)
  })
})

describe('the maintenance job on the jobs queue', () => {
  const today = Math.floor(Date.now() / DAY) * DAY
  /** A session on each of the days `days` days ago, posted as pages would. */
  async function sessions(days: number[], path = '/pricing') {
    for (const d of days) {
      const ts = today - d * DAY + 3_600_000
      const events = [
        event({ type: 'pageview', url: SHOP + path, ts }),
        event({ type: 'track', name: 'invite_sent', ts: ts + 1000, props: { plan: 'pro' } }),
        event({ type: 'step', name: 'onboarding', ts: ts + 2000, props: { step: 'account' } }),
      ]
      const to = { visitor: `v${d}-${path.slice(1)}`, session: `s${d}-${path.slice(1)}`, sentAt: Date.now() }
      expect((await post('/v1/events', batch(events, to), DESKTOP)).status).toBe(200)
    }
    await drained()
  }
  /** Every rollup table's rows are what a recount of the raw events gives. */
  async function recounted() {
    for (const table of RAW_TABLES) {
      const { stored, recount } = await storedAndRecounted(table)
      expect(stored.length, table).toBeGreaterThan(0)
      expect(stored, table).toEqual(recount)
    }
  }
  const rolledDays = () => env.DB.prepare("SELECT count(*) AS n FROM roll_days WHERE site = 'acme'").first<number>('n')

  /**
   * A jobs-queue message for acme through the worker's queue handler (the first a message without
   * a chain, which starts one; then the one the last run sent), with the run's time set
   * (JOBS_RUN_MS) and what it sends to the queue recorded: the days it rolled up, and whether it
   * handed over to a next run of its chain.
   */
  let next: JobMessage = { kind: 'maintain', site: 'acme' }
  async function run(runMs: string, i: number) {
    const sent: JobMessage[] = []
    const JOBS = { send: async (body: JobMessage) => void sent.push(body) }
    const before = (await rolledDays())!
    const b = createMessageBatch<JobMessage>('ciel-jobs', [
      { id: `job-${i}`, timestamp: new Date(), attempts: 1, body: next },
    ])
    const ctx = createExecutionContext()
    await worker.queue(b, { ...env, JOBS, JOBS_RUN_MS: runMs } as unknown as Env)
    expect((await getQueueResult(b, ctx)).explicitAcks).toEqual([`job-${i}`])
    const chain = { kind: 'maintain', site: 'acme', chain: expect.any(String), run: i + 1 }
    expect(sent).toEqual(sent.length ? [chain] : [])
    if (sent.length) next = sent[0]!
    return { days: (await rolledDays())! - before, more: sent.length > 0 }
  }

  it('hands a backfill over to its next run once a run has used its time, and rolls up every day in the end', async () => {
    // 9 closed days (2 to 10 days ago: yesterday may not be closed yet).
    await sessions([2, 3, 4, 5, 6, 7, 8, 9, 10])
    // No time at all for a run (JOBS_RUN_MS=0): each does one day (a run always does one step)
    // and sends the job again; the chain ends once nothing is left.
    const runs: { days: number; more: boolean }[] = []
    do runs.push(await run('0', runs.length))
    while (runs.at(-1)!.more && runs.length < 20)
    expect(runs.map((r) => r.days)).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1, 0])
    expect(runs.map((r) => r.more)).toEqual([true, true, true, true, true, true, true, true, true, false])
    await recounted()
  })

  it('rolls up late events of more days than a run does, each day once, and then stops', async () => {
    await sessions([2, 3, 4, 5, 6, 7, 8, 9, 10])
    await runJob(Date.now() + SETTLE_MS)
    // Late events for all 9 days (an outbox that was offline), looked for once settled: runs of
    // 2 days each go on with the next days, not the same two again.
    await sessions([2, 3, 4, 5, 6, 7, 8, 9, 10], '/late')
    const later = Date.now() + SETTLE_MS + 1000
    const runs: number[][] = []
    let r: MaintainReport
    do {
      r = await maintain(env, 'acme', later, { ...LIMITS, insightDaysPerRun: 2 })
      runs.push(r.insightDays.map((d) => today / DAY - d))
    } while (r.more && runs.length < 20)
    expect(runs).toEqual([[10, 9], [8, 7], [6, 5], [4, 3], [2]])
    await recounted()
    const pages = (await read('pages?site=acme&days=30')) as any
    expect(pages.pages.find((p: any) => p.page === '/late')).toEqual({ page: '/late', pageviews: 9, visitors: 9 })
  })
})
