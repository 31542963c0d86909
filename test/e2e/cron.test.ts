/**
 * The hourly job under `wrangler dev`, as `npm start` runs it: the Cron Trigger runs the worker's
 * own scheduled handler (rollups, exports, training, retention), on wrangler.toml's schedule.
 * (`/cdn-cgi/handler/scheduled` reaches the static-assets router in front of the worker, which
 * has no scheduled handler; scripts/serve.mjs explains.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { eventually, startEdge, storedEvents, type Edge } from './harness'
import { shopSite, visit } from './seed'
// @ts-expect-error plain ESM script shared with `npm start`
import { cronSchedule, runCron, untilNextRun } from '../../scripts/serve.mjs'

const DAY = 86_400_000

let edge: Edge
beforeAll(async () => {
  edge = await startEdge()
})
afterAll(async () => {
  await edge?.stop()
})

const overview = async () => {
  const r = await fetch(`${edge.origin}/v1/insights/overview?site=demo&days=7`, {
    headers: { authorization: `Bearer ${edge.token}` },
  })
  return (await r.json()) as { visitors: number; rolledUpTo: string | null }
}

describe('the hourly job under wrangler dev', () => {
  it('runs the worker’s scheduled handler, which rolls up the days that are over', async () => {
    await shopSite(edge)
    await visit(edge, 'demo', 'returning', [{ type: 'pageview', ago: 3 * DAY }])
    await eventually(async () => expect((await storedEvents(edge)).total).toBe(1))
    expect((await overview()).rolledUpTo).toBeNull()

    expect(await runCron(edge.origin)).toBe('Ran scheduled event')
    // The handler queues one job per site; the job rolls up every closed day, the visit's too.
    const visited = new Date(Date.now() - 3 * DAY).toISOString().slice(0, 10)
    await eventually(async () => expect((await overview()).rolledUpTo! >= visited).toBe(true), 30_000)
    expect((await overview()).visitors).toBe(1)
  })

  it('runs hourly at the minute wrangler.toml gives, as Cloudflare does', () => {
    const cron = cronSchedule()
    expect(cron).toBe('7 * * * *')
    const at = (iso: string) => untilNextRun(cron, Date.parse(iso)) / 60_000
    expect(at('2026-12-07T10:05:00Z')).toBe(2)
    expect(at('2026-12-07T10:30:00Z')).toBe(37)
    expect(at('2026-12-07T10:07:00Z')).toBe(60)
    expect(() => cronSchedule('[triggers]\ncrons = ["0 3 * * *"]')).toThrow(/one hourly cron/)
  })
})
