/**
 * The hourly Cron Trigger and the maintenance chains it starts (jobs/maintain.ts, store/leases.ts),
 * through the worker's own scheduled and queue handlers, the jobs queue recorded: a tick while a
 * site's chain is alive starts no second one, a message delivered twice runs once, and a chain
 * that died is started again once its lease has expired. Ticks take their time from the
 * controller (no waiting).
 */
import { beforeEach, describe, expect, it } from 'vitest'
import {
  createExecutionContext,
  createMessageBatch,
  createScheduledController,
  env,
  getQueueResult,
} from 'cloudflare:test'
import { DESKTOP, batch, drained, emptyDb, event, givenSite, post } from './helpers'
import worker from '../../edge/index'
import { LEASE_MS } from '../../edge/store/leases'
import type { Env } from '../../edge/env'
import type { JobMessage, MaintainJob } from '../../edge/jobs/messages'

const DAY = 86_400_000

/** The jobs queue, recorded: what the handlers send to it. */
function recordedQueue() {
  const sent: JobMessage[] = []
  const JOBS = {
    send: async (body: JobMessage) => void sent.push(body),
    sendBatch: async (messages: { body: JobMessage }[]) => void sent.push(...messages.map((m) => m.body)),
  }
  return { sent, JOBS }
}

/** A Cron tick at `at`: the maintenance jobs it sends (propensity and scoring left aside). */
async function tick(at: number): Promise<MaintainJob[]> {
  const { sent, JOBS } = recordedQueue()
  const controller = createScheduledController({ scheduledTime: new Date(at), cron: '7 * * * *' })
  await worker.scheduled(controller, { ...env, JOBS } as unknown as Env)
  return sent.filter((j): j is MaintainJob => j.kind === 'maintain')
}

const rolledDays = async () =>
  (await env.DB.prepare("SELECT count(*) AS n FROM roll_days WHERE site = 'acme'").first<number>('n'))!

let deliveries = 0
/**
 * One delivery of `job` through the worker's queue handler, each run given no time (one day of
 * rollups a run): whether it was acked or is to be retried, what it sent, the days it rolled up.
 */
async function deliver(job: MaintainJob, over: Partial<Env> = {}) {
  const { sent, JOBS } = recordedQueue()
  const before = await rolledDays()
  const id = `job-${++deliveries}`
  const b = createMessageBatch<JobMessage>('ciel-jobs', [{ id, timestamp: new Date(), attempts: 1, body: job }])
  const ctx = createExecutionContext()
  await worker.queue(b, { ...env, JOBS, JOBS_RUN_MS: '0', ...over } as unknown as Env)
  const r = await getQueueResult(b, ctx)
  return {
    acked: r.explicitAcks.includes(id),
    retried: r.retryMessages.some((m: { msgId: string }) => m.msgId === id),
    sent,
    days: (await rolledDays()) - before,
  }
}

beforeEach(async () => {
  await emptyDb()
  await givenSite('acme')
  // Five closed days of traffic: a chain of one day a run takes five runs and a last one.
  const today = Math.floor(Date.now() / DAY) * DAY
  for (const d of [2, 3, 4, 5, 6]) {
    const ts = today - d * DAY + 3_600_000
    const to = { visitor: `v${d}`, session: `s${d}`, sentAt: Date.now() }
    expect((await post('/v1/events', batch([event({ ts })], to), DESKTOP)).status).toBe(200)
  }
  await drained()
})

describe('the maintenance chain', () => {
  it('is started by a tick only where none is alive, runs each message once, and is started again once dead', async () => {
    const [first, ...more] = await tick(Date.now())
    expect(more).toEqual([])
    // Ticks while the chain is alive (its first message queued, then a run done): no second chain.
    expect(await tick(Date.now() + 60_000)).toEqual([])
    expect(first).toEqual({ kind: 'maintain', site: 'acme', chain: expect.any(String), run: 0 })
    const r0 = await deliver(first!)
    expect(r0).toMatchObject({ acked: true, days: 1, sent: [{ ...first, run: 1 }] })
    expect(await tick(Date.now() + 10 * 60_000)).toEqual([])

    // The chain's next message delivered twice (Queues deliver at least once): one run.
    const next = r0.sent[0] as MaintainJob
    const r1 = await deliver(next)
    expect(r1).toMatchObject({ acked: true, days: 1, sent: [{ ...first, run: 2 }] })
    expect(await deliver(next)).toEqual({ acked: true, retried: false, sent: [], days: 0 })

    // A run that fails gives its turn back: the message comes again and runs.
    const DB = { prepare: (sql: string) => env.DB.prepare(sql), batch: () => Promise.reject(new Error('D1 is busy')) }
    const failing = { DB } as unknown as Partial<Env>
    const third = r1.sent[0] as MaintainJob
    expect(await deliver(third, failing)).toMatchObject({ acked: false, retried: true, sent: [], days: 0 })
    const r2 = await deliver(third)
    expect(r2).toMatchObject({ acked: true, days: 1, sent: [{ ...first, run: 3 }] })

    // The chain dies (its next message is lost): ticks before its lease expires start nothing,
    // the first after starts a new chain, and the dead chain's message, delivered late, runs nothing.
    const lost = r2.sent[0] as MaintainJob
    expect(await tick(Date.now() + LEASE_MS - 60_000)).toEqual([])
    const [restarted, ...others] = await tick(Date.now() + LEASE_MS + 60_000)
    expect(others).toEqual([])
    expect(restarted).toEqual({ kind: 'maintain', site: 'acme', chain: expect.any(String), run: 0 })
    expect(restarted!.chain).not.toBe(first!.chain)
    expect(await deliver(lost)).toEqual({ acked: true, retried: false, sent: [], days: 0 })

    // The new chain rolls up the rest, a day a run, and ends: the next tick starts one at once.
    const days: number[] = []
    let job: JobMessage | undefined = restarted
    for (let i = 0; job && i < 10; i++) {
      const r = await deliver(job as MaintainJob)
      expect(r.acked).toBe(true)
      days.push(r.days)
      job = r.sent[0]
    }
    expect(days).toEqual([1, 1, 0])
    expect(await rolledDays()).toBe(5)
    expect(await tick(Date.now())).toEqual([{ kind: 'maintain', site: 'acme', chain: expect.any(String), run: 0 }])
  })
})
