/**
 * `npm run bench:insights`: every insights endpoint against a seeded data set of 1,000,000
 * events over 90 days (20,000 visitors, 100,000 sessions, 2% bots, a third on phones) in a fresh
 * local D1, through `wrangler dev`. Prints p50/p95 per endpoint and period; the target is
 * ≤ 300 ms p95. BENCH_EVENTS changes the size, BENCH_ROUNDS the requests per endpoint,
 * BENCH_DAYS the periods asked for (default 7,30,90), BENCH_ENDPOINTS the endpoints measured
 * (a comma-separated list of prefixes: `breakdown,retention`; default all). Retention reads its
 * own window (`weeks`, default 8) whatever the period.
 *
 * The events are generated inside SQLite by one recursive INSERT (deterministic: the same
 * data every run), so seeding takes seconds, not an hour of batches. Then the Cron Trigger runs
 * (GET /__scheduled) and the bench waits until its jobs have rolled up every closed day, as the
 * hourly job keeps a live site; BENCH_ROLLUPS=0 measures raw events only (nothing rolled up).
 * BENCH_QUIET=0 prints wrangler's log (requests, queue runs, the worker's errors). The bench
 * stops when no day was rolled up for BENCH_STALL ms (default 120 s: the jobs stopped), or after
 * BENCH_ROLL_WAIT ms in all; BENCH_KEEP=1 keeps the database folder. BENCH_DB=<that folder> times
 * the endpoints over a kept database again, neither seeded nor rolled up (nor removed): two
 * builds compared on the same data, the second running this script from its own checkout.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { migrate, root, runCron, serve } from './serve.mjs'

const EVENTS = Number(process.env.BENCH_EVENTS ?? 1_000_000)
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 20)
const PERIODS = (process.env.BENCH_DAYS ?? '7,30,90').split(',').map(Number)
const DAY = 86_400_000
const ROLLUPS = process.env.BENCH_ROLLUPS !== '0'
/** BENCH_ENDPOINTS=breakdown,retention: only the endpoints starting so. */
const ONLY = process.env.BENCH_ENDPOINTS?.split(',')
/** How long the bench waits for the jobs to roll up every closed day (ms). */
const wait = Number(process.env.BENCH_ROLL_WAIT ?? 1_200_000)
/** BENCH_KEEP=1: the seeded (and rolled-up) database is kept, for sqlite3 to look at. */
const KEEP = process.env.BENCH_KEEP === '1'
/** The jobs are taken to have stopped when no day was rolled up for this long (ms). */
const STALL_MS = Number(process.env.BENCH_STALL ?? 120_000)
/** BENCH_DB: a database kept by an earlier run (BENCH_KEEP=1), timed as it is. */
const REUSED = process.env.BENCH_DB
const dir = REUSED ?? mkdtempSync(join(process.env.BENCH_DISK ? root : tmpdir(), 'ciel-bench-insights-'))
const now = Date.now()
const start = now - 90 * DAY
const sessions = Math.ceil(EVENTS / 10)

/** Ten events a session: pageviews, clicks, a page_leave, vitals, a funnel step, a custom event, friction now and then. */
const seed = `
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${EVENTS - 1}),
e AS (SELECT i, i / 10 AS s, i % 10 AS k FROM n)
INSERT INTO events (site, id, visitor, session, type, name, url, ts, client_ts, received_at, props, flags)
SELECT 'demo', 'b' || i, 'v' || (s % 20000), 'x' || s,
  CASE k WHEN 0 THEN 'pageview' WHEN 1 THEN 'pageview' WHEN 2 THEN 'click' WHEN 3 THEN 'page_leave'
    WHEN 4 THEN 'vitals' WHEN 5 THEN 'pageview' WHEN 6 THEN 'step' WHEN 7 THEN 'track'
    WHEN 8 THEN (CASE WHEN s % 13 = 0 THEN 'rage_click' ELSE 'click' END)
    ELSE (CASE WHEN s % 17 = 0 THEN 'survey_answer' ELSE 'pageview' END) END,
  CASE k WHEN 4 THEN 'LCP' WHEN 6 THEN 'onboarding' WHEN 7 THEN (CASE s % 3 WHEN 0 THEN 'invite_sent' WHEN 1 THEN 'export' ELSE 'search' END)
    WHEN 9 THEN (CASE WHEN s % 17 = 0 THEN 'nps' END) END,
  'https://app.example' || CASE (s + k) % 6 WHEN 0 THEN '/' WHEN 1 THEN '/pricing' WHEN 2 THEN '/projects/' || (s % 500)
    WHEN 3 THEN '/projects/' || (s % 500) || '/settings' WHEN 4 THEN '/docs/' || (s % 40) ELSE '/onboarding' END
    || CASE WHEN k = 0 AND s % 7 = 0 THEN '?utm_source=newsletter&utm_campaign=launch' ELSE '' END,
  ${start} + s * ${Math.floor((90 * DAY) / sessions)} + k * 20000,
  ${start} + s * ${Math.floor((90 * DAY) / sessions)} + k * 20000,
  ${start} + s * ${Math.floor((90 * DAY) / sessions)} + k * 20000 + 1500,
  CASE k WHEN 0 THEN json_object('ref', CASE s % 5 WHEN 0 THEN 'https://www.google.com/' WHEN 1 THEN 'https://news.ycombinator.com/' ELSE '' END, 'title', 'Page')
    WHEN 4 THEN json_object('value', 800 + (s % 3000), 'rating', 'good')
    WHEN 6 THEN json_object('step', CASE WHEN s % 4 = 0 THEN 'done' WHEN s % 4 = 1 THEN 'invite' WHEN s % 4 = 2 THEN 'workspace' ELSE 'account' END)
    WHEN 7 THEN json_object('plan', CASE s % 4 WHEN 0 THEN 'pro' ELSE 'free' END, 'seats', s % 9)
    WHEN 8 THEN json_object('path', 'button#save', 'text', 'Save')
    WHEN 9 THEN (CASE WHEN s % 17 = 0 THEN json_object('kind', 'nps', 'score', s % 11) END)
    ELSE json_object('path', 'a.nav') END,
  (CASE WHEN s % 50 = 0 THEN 1 ELSE 0 END) | (CASE WHEN s % 3 = 0 THEN 16 ELSE 0 END) /* FLAG.bot | FLAG.mobile (edge/domain/flags.ts) */
FROM e;
-- The R2 export is not what this bench measures: its days are marked done, so the jobs only roll up.
INSERT INTO exports (site, day, parts, events, after_at, after_id, done, at)
SELECT 'demo', day, 0, 0, 0, '', 1, 0 FROM (SELECT DISTINCT date(received_at / 1000, 'unixepoch') AS day FROM events WHERE site = 'demo');
INSERT INTO visitors (site, id, interests, first_seen, last_seen, sessions)
SELECT 'demo', visitor, '{}', min(ts), max(ts), count(DISTINCT session) FROM events WHERE site = 'demo' GROUP BY visitor;
`

/** The start of the first cohort of an 8-week retention at `now` (a Monday, UTC; day 0 was a Thursday). */
const firstCohort = (now) => {
  const today = Math.floor(now / DAY)
  return (today - ((((today + 3) % 7) + 7) % 7) - 7 * 7) * DAY
}

const endpoints = [
  'overview',
  'trends',
  'funnels',
  'funnels&vs.device=mobile',
  // An ad hoc funnel (steps=) whose first step nearly every visitor does: every starter's steps are read.
  'funnels&steps=page:/pricing,page:/projects/:id/settings,track:invite_sent',
  'friction',
  'vitals',
  'surveys',
  'pages',
  'sources',
  'events',
  'journeys',
  'journeys&goal=invite_sent',
  'visitors',
  // Drill-downs: the visitors behind a funnel step (a first and a later page), a trend's point is a bucket of these.
  'visitors&funnel=onboarding&step=account',
  'visitors&funnel=onboarding&step=account&offset=1000',
  'visitors&device=mobile&offset=1000',
  // Who stopped at a step, viewed a page, gave an NPS group's score, saw an experiment's arm.
  'visitors&funnel=onboarding&dropped=account',
  'visitors&viewed=/pricing',
  'visitors&survey=nps&score=promoters',
  'visitors&experiment=trial-cta-1&arm=trial',
  // Behind today's point of the Sessions and Pageviews trends, a breakdown's row and its "other", a
  // custom event, an entry page, and the first cohort of the retention (8 weeks) in its week 1.
  `visitors&bucket=${Math.floor(now / DAY) * DAY}&metric=sessions`,
  `visitors&bucket=${Math.floor(now / DAY) * DAY}&metric=pageviews`,
  'visitors&event=pageview&by=page&value=/pricing',
  'visitors&event=pageview&by=page&other=1',
  'visitors&event=pageview&by=source&value=google.com',
  'visitors&event=track:invite_sent',
  'visitors&entry=/pricing',
  `visitors&cohort=${firstCohort(now)}&week=1`,
  'trends&device=mobile',
  'pages&referrer=google.com',
  'overview&visitor=returning',
  'breakdown&event=pageview&by=page',
  'breakdown&event=click&by=device',
  'breakdown&event=pageview&by=source',
  'breakdown&event=track:invite_sent&by=country',
  'breakdown&event=track:export&by=prop:plan',
  'breakdown&event=pageview&by=page&device=mobile',
  'retention',
  'retention&event=track:invite_sent',
].filter((ep) => !ONLY || ONLY.some((p) => ep.startsWith(p)))

const width = Math.max(...endpoints.map((e) => e.length))
const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(xs.length * p) - 1)]

async function main() {
  let t = Date.now()
  if (REUSED) console.log(`bench:insights: the database kept in ${dir}`)
  else {
    console.log(`bench:insights: seeding ${EVENTS.toLocaleString()} events over 90 days into ${dir}`)
    migrate(dir)
    const file = join(dir, 'seed.sql')
    writeFileSync(file, seed)
    const r = spawnSync(
      `${root}node_modules/.bin/wrangler`,
      ['d1', 'execute', 'DB', '--local', '--persist-to', dir, '--file', file, '--yes'],
      {
        cwd: root,
        encoding: 'utf8',
        env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CI: 'true', NO_COLOR: '1' },
      },
    )
    if (r.status !== 0) throw new Error(`seeding failed:\n${r.stdout}\n${r.stderr}`)
    console.log(`seeded in ${((Date.now() - t) / 1000).toFixed(1)} s`)
  }
  const edge = await serve({
    port: Number(process.env.PORT ?? 8797),
    persistTo: dir,
    quiet: process.env.BENCH_QUIET !== '0',
  })
  const headers = { authorization: `Bearer ${edge.token}` }
  const rows = []
  try {
    if (ROLLUPS && !REUSED) {
      // The hourly job rolls up days that ended over an hour ago; today stays raw.
      const expected = Math.floor((Date.now() - 3_600_000) / DAY) - Math.floor(start / DAY)
      t = Date.now()
      await runCron(edge.origin)
      // A chain of jobs that stopped (no day rolled up for STALL_MS) is reported as such at once.
      let progress = { rolled: 0, at: t }
      for (let rolled = 0; rolled < expected;) {
        const stalled = Date.now() - progress.at > STALL_MS
        if (Date.now() - t > wait || stalled)
          throw new Error(
            `only ${rolled} of ${expected} days rolled up in ${((Date.now() - t) / 1000).toFixed(0)} s${
              stalled ? ` (none for ${STALL_MS / 1000} s: the jobs stopped)` : ''
            }:\n${edge.output().slice(-4000)}`,
          )
        await new Promise((r) => setTimeout(r, 2000))
        // The overview says up to which day the insights read rollups.
        // (A worker that stopped answering fails here too, after STALL_MS.)
        const o = await (
          await fetch(`${edge.origin}/v1/insights/overview?site=demo&days=1`, {
            headers,
            signal: AbortSignal.timeout(STALL_MS),
          })
        ).json()
        rolled = o.rolledUpTo ? Math.floor(Date.parse(o.rolledUpTo) / DAY) - Math.floor(start / DAY) + 1 : 0
        if (rolled > progress.rolled) progress = { rolled, at: Date.now() }
      }
      const took = (Date.now() - t) / 1000
      console.log(
        `rolled up ${expected} days in ${took.toFixed(0)} s, ${(took / expected).toFixed(2)} s a day (by the Cron Trigger's jobs)`,
      )
    }
    for (const days of PERIODS) {
      for (const ep of endpoints) {
        const [path, ...rest] = ep.split('&')
        const url = `${edge.origin}/v1/insights/${path}?site=demo&days=${days}${rest.map((x) => `&${x}`).join('')}`
        const times = []
        for (let i = 0; i < ROUNDS + 2; i++) {
          t = performance.now()
          const res = await fetch(url, { headers })
          await res.arrayBuffer()
          if (!res.ok) throw new Error(`${url}: ${res.status}`)
          if (i >= 2) times.push(performance.now() - t)
        }
        rows.push({ days, ep, p50: pct(times, 0.5), p95: pct(times, 0.95) })
        console.log(
          `${String(days).padStart(3)} d  ${ep.padEnd(width)} p50 ${pct(times, 0.5).toFixed(0).padStart(5)} ms  p95 ${pct(times, 0.95).toFixed(0).padStart(5)} ms`,
        )
      }
    }
  } finally {
    await edge.stop()
    if (KEEP) console.log(`the data stays in ${dir} (BENCH_KEEP)`)
    else if (!REUSED) rmSync(dir, { recursive: true, force: true })
  }
  const worst = rows.reduce((a, b) => (b.p95 > a.p95 ? b : a))
  console.log(`\nslowest p95: ${worst.ep} over ${worst.days} days, ${worst.p95.toFixed(0)} ms (target 300 ms)`)
}

main().catch((e) => {
  console.error(e)
  if (!REUSED) rmSync(dir, { recursive: true, force: true })
  process.exit(1)
})
