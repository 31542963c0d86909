/**
 * @module jobs/maintain: daily upkeep, on Cloudflare's machinery: the hourly Cron Trigger
 * sends one job per site to the jobs queue; each job exports finished days to R2, rolls up
 * event days for the insights, then deletes raw events past the site's retention. A job does a bounded amount
 * of work and sends itself again while work remains, so a large site never runs out of time.
 * Those runs are a chain holding the site's lease (store/leases.ts): a tick starts none while
 * one is alive, and never two runs of a site's upkeep at once.
 *
 * Bounded in time as well as in count (LIMITS.runMs): a run stops after the step (a part, a day,
 * a chunk) that spends its second. Under `wrangler dev` a run holds the worker's only thread (the
 * local D1 answers on it), and after a run of several seconds the local Queues could stop
 * delivering for good: a 90-day backfill stopped at 14 or 21 days on a loaded machine
 * (docs/benchmarks.md).
 *
 * Nothing is deleted before it is exported and rolled up.
 */
import type { Env } from '../env'
import type { AlertJob, JobMessage, MaintainJob, ScoreJob } from './messages'
import { consumeAlert } from './alerts'
import { consumeScore } from './score'
import { forgetAnalysesWithoutAnswer } from '../store/analysis'
import { retrain } from './propensity'
import { getSite, listSites } from '../store/sites'
import {
  DAY_MS,
  dayStart,
  daysToExport,
  deleteReceivedBefore,
  exportPage,
  exportProgress,
  saveProgress,
} from '../store/archive'
import { dayOf } from '../domain/ingest'
import { daysToRoll, daysWithoutHits, fillHits, lateDays, rollDay, saveMark } from '../store/rollups'
import { daysToName, forgetOldNames, nameDay } from '../store/named'
import { claimRun, endChain, startChains, unclaimRun } from '../store/leases'

/** Events per R2 object, and how much one job run may do before handing over to the next. */
export const LIMITS = {
  partEvents: 10_000,
  partsPerRun: 10,
  /** Days of the insights' rollups (store/rollups.ts) recomputed per run. */
  insightDaysPerRun: 7,
  /** Rolled-up days named again per run (store/named.ts: after the site's path rules changed). */
  namedDaysPerRun: 30,
  deletesPerRun: 10,
  deleteChunk: 10_000,
  /**
   * How long a run works (ms) before it hands over: checked after each step, so a run lasts
   * this and one step. The job sets it from JOBS_RUN_MS when given.
   */
  runMs: 1_000,
}
/** A received day is exported once it has been over for this long (queued batches land meanwhile). */
export const SETTLE_MS = 3_600_000

/** Where a part of a received day's export lives in R2 (Hive-style: warehouses read the partitions). */
export const partKey = (site: string, day: string, part: number) =>
  `events/site=${site}/day=${day}/part-${String(part).padStart(4, '0')}.ndjson.gz`
export const doneKey = (site: string, day: string) => `events/site=${site}/day=${day}/_SUCCESS.json`

async function gzip(text: string): Promise<ArrayBuffer> {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream('gzip'))
  return new Response(stream).arrayBuffer()
}

export interface MaintainReport {
  exported: { day: string; parts: number; events: number }[]
  /** Day numbers of the insights' rollups recomputed (first time or after late events). */
  insightDays: number[]
  deleted: number
  /** More work is left: the job runs again. */
  more: boolean
}

/**
 * One run of the job for a site, as if at `now`. `clock` measures the run's own time (LIMITS.runMs):
 * once spent, the run stops after the step in hand, with `more` set.
 */
export async function maintain(
  env: Env,
  siteKey: string,
  now: number,
  limits: typeof LIMITS = LIMITS,
  clock: () => number = Date.now,
): Promise<MaintainReport> {
  const report: MaintainReport = { exported: [], insightDays: [], deleted: 0, more: false }
  const site = await getSite(env.DB, siteKey)
  if (!site) return report
  const end = clock() + limits.runMs
  /** Asked after each step done: the run has used its time (a run always does one step). */
  const spent = () => clock() >= end
  let stopped = false
  const handOver = () => ((report.more = true), report)
  // 1. Export finished received days, oldest first.
  let budget = limits.partsPerRun
  const settled = dayOf(now - SETTLE_MS)
  const pending = await daysToExport(env.DB, site.key, settled, 30)
  for (const day of pending) {
    const p = await exportProgress(env.DB, site.key, day)
    while (budget > 0) {
      const page = await exportPage(env.DB, site.key, p, limits.partEvents)
      if (page.length) {
        const body = page.map((e) => JSON.stringify(e)).join('\n') + '\n'
        await env.ARCHIVE.put(partKey(site.key, day, p.parts), await gzip(body), {
          httpMetadata: { contentType: 'application/x-ndjson', contentEncoding: 'gzip' },
          customMetadata: { events: String(page.length) },
        })
        const last = page[page.length - 1]!
        p.parts += 1
        p.events += page.length
        p.afterAt = last.receivedAt
        p.afterId = last.id
        budget -= 1
        if (spent()) stopped = true
      }
      if (page.length < limits.partEvents) {
        p.done = true
        await env.ARCHIVE.put(
          doneKey(site.key, day),
          JSON.stringify({ site: site.key, day, parts: p.parts, events: p.events }),
          {
            httpMetadata: { contentType: 'application/json' },
          },
        )
        break
      }
      if (stopped) break
    }
    await saveProgress(env.DB, site.key, p, now)
    if (p.done) report.exported.push({ day, parts: p.parts, events: p.events })
    if (budget <= 0 || stopped) break
  }
  if (budget <= 0) report.more = true
  if (stopped) return handOver()

  // 2. The insights' rollups: days over for SETTLE_MS, oldest first; then days rolled up
  // before that received events since (late batches of an offline outbox), recomputed whole.
  // Events received in the last SETTLE_MS may still be on their way to D1: looked at next hour.
  let days = limits.insightDaysPerRun
  const closed = Math.floor((now - SETTLE_MS) / DAY_MS)
  const fresh = await daysToRoll(env.DB, site.key, closed, days + 1)
  const rules = site.settings.paths
  /** Rolls up (and names) `list`'s days in order until the run's day count or time is used: how many. */
  const roll = async (list: number[]) => {
    let n = 0
    while (n < list.length && days > 0 && !stopped) {
      await rollDay(env.DB, site.key, list[n]!, now)
      await nameDay(env.DB, site.key, list[n]!, rules)
      report.insightDays.push(list[n]!)
      n += 1
      days -= 1
      if (spent()) stopped = true
    }
    return n
  }
  const rolled = await roll(fresh)
  if (rolled < fresh.length) return handOver()
  // Every fresh day rolled up, with time left: days rolled up before that received events since.
  // Retention may have deleted part of days older than this: they stay as rolled up.
  const oldest = Math.ceil((now - site.settings.retentionDays * DAY_MS) / DAY_MS) + 1
  const late = await lateDays(env.DB, site.key, now - SETTLE_MS, oldest, SETTLE_MS)
  const todo = late.days.filter((d) => !report.insightDays.includes(d))
  if ((await roll(todo)) < todo.length) return handOver()
  await saveMark(env.DB, site.key, late.mark)
  if (stopped) return handOver()
  // 2b. Days rolled up but not named under the site's current path rules (the rules changed, or
  // they were rolled up before migration 0010): named again from their rollups, not raw events.
  const unnamed = await daysToName(env.DB, site.key, rules, limits.namedDaysPerRun + 1)
  for (const day of unnamed.slice(0, limits.namedDaysPerRun)) {
    await nameDay(env.DB, site.key, day, rules)
    if (spent()) return handOver()
  }
  if (unnamed.length > limits.namedDaysPerRun) report.more = true
  else await forgetOldNames(env.DB, site.key, rules)

  // 2c. Days rolled up before migration 0014, whose funnel hits (roll_hits) were never filled:
  // filled from what raw events remain (ordered funnels read those days raw until then).
  const unhit = await daysWithoutHits(env.DB, site.key, limits.insightDaysPerRun + 1)
  for (const day of unhit.slice(0, limits.insightDaysPerRun)) {
    await fillHits(env.DB, site.key, day)
    if (spent()) return handOver()
  }
  if (unhit.length > limits.insightDaysPerRun) report.more = true

  // 3. Retention: never past a day not yet exported or rolled up.
  const stillNeeded = (await daysToExport(env.DB, site.key, '9999-12-31', 1)).map(dayStart)
  for (const day of await daysToRoll(env.DB, site.key, Infinity, 1)) stillNeeded.push(day * DAY_MS)
  const cutoff = Math.min(now - site.settings.retentionDays * DAY_MS, ...stillNeeded)
  for (let i = 0; i < limits.deletesPerRun; i++) {
    const n = await deleteReceivedBefore(env.DB, site.key, cutoff, limits.deleteChunk)
    report.deleted += n
    if (n < limits.deleteChunk) break
    if (i === limits.deletesPerRun - 1 || spent()) {
      report.more = true
      break
    }
  }
  // What written answers said goes with them.
  await forgetAnalysesWithoutAnswer(env.DB, site.key, cutoff)
  return report
}

/**
 * The Cron Trigger, at `now`: one propensity training and one sweep of survey answers left to
 * score (jobs/score.ts) per site, and a maintenance chain for each site where none is alive (its
 * lease held: store/leases.ts), so a tick never starts a second chain beside a running one.
 */
export async function scheduleMaintenance(env: Env, now: number): Promise<number> {
  const sites = await listSites(env.DB)
  const jobs: JobMessage[] = []
  for (let i = 0; i < sites.length; i += 100) {
    const keys = sites.slice(i, i + 100).map((s) => s.key)
    const started = await startChains(env.DB, keys, now)
    for (const site of keys) {
      const t = started.get(site)
      if (t) jobs.push({ kind: 'maintain', site, ...t })
      jobs.push({ kind: 'propensity', site }, { kind: 'score', site })
    }
  }
  for (let i = 0; i < jobs.length; i += 100) await env.JOBS.sendBatch(jobs.slice(i, i + 100).map((body) => ({ body })))
  return sites.length
}

/**
 * One run of a site's maintenance chain, if its message's ticket is the chain's next run
 * (store/leases.ts): it hands over to the next run while work remains, else ends the chain.
 * A message delivered twice, or of a chain that lost its lease, does nothing.
 */
async function consumeMaintain(m: Message<MaintainJob>, env: Env, now: number): Promise<void> {
  const { site } = m.body
  const ticket =
    m.body.chain === undefined
      ? (await startChains(env.DB, [site], now)).get(site)
      : { chain: m.body.chain, run: m.body.run ?? 0 }
  if (!ticket || !(await claimRun(env.DB, site, ticket, now))) {
    console.warn(`ciel: maintenance of site '${site}' left to the chain that holds its lease`)
    m.ack()
    return
  }
  try {
    const runMs = Number(env.JOBS_RUN_MS || NaN)
    const limits = Number.isFinite(runMs) ? { ...LIMITS, runMs } : LIMITS
    const r = await maintain(env, site, now, limits)
    if (r.more) await env.JOBS.send({ kind: 'maintain', site, chain: ticket.chain, run: ticket.run + 1 })
    else await endChain(env.DB, site, ticket)
    m.ack()
  } catch (e) {
    console.error(`ciel: maintenance of site '${site}' failed (attempt ${m.attempts})`, e)
    // The run again when the message comes back (if this fails too, the lease expires and the
    // next tick starts a new chain).
    await unclaimRun(env.DB, site, ticket).catch(() => {})
    m.retry({ delaySeconds: 60 })
  }
}

export async function consumeJobs(
  batch: MessageBatch<JobMessage>,
  env: Env,
  clock: () => number = Date.now,
): Promise<void> {
  for (const m of batch.messages) {
    if (m.body.kind === 'alert') {
      await consumeAlert(m as Message<AlertJob>, env)
      continue
    }
    if (m.body.kind === 'score') {
      await consumeScore(m as Message<ScoreJob>, env)
      continue
    }
    if (m.body.kind === 'propensity') {
      try {
        await retrain(env, m.body.site, Date.now())
        m.ack()
      } catch (e) {
        console.error(`ciel: propensity training of site '${m.body.site}' failed (attempt ${m.attempts})`, e)
        m.retry({ delaySeconds: 300 })
      }
      continue
    }
    await consumeMaintain(m as Message<MaintainJob>, env, clock())
  }
}
