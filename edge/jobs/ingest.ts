/**
 * @module jobs/ingest: the ingest queue's consumer. Writes a whole queue batch (up to 100
 * packets of accepted page batches) to D1 in one transaction; if that fails, each packet alone,
 * so one bad packet is retried (and, after max_retries, parked in the dead-letter queue)
 * without holding up the others. Writing twice is harmless: events are keyed by (site, id).
 * Then the written survey answers written go to the jobs queue to be scored.
 */
import type { Env } from '../env'
import type { IngestPacket } from './messages'
import { ingestStatements } from '../store/ingest'
import { scoreJobs } from './score'

/**
 * Written survey answers just written go to be scored (jobs/score.ts). A failure here loses
 * nothing: the hourly sweep scores what no job did.
 */
async function sendToScore(env: Env, batches: IngestPacket['batches']) {
  const jobs = scoreJobs(batches)
  try {
    for (let i = 0; i < jobs.length; i += 100)
      await env.JOBS.sendBatch(jobs.slice(i, i + 100).map((body) => ({ body })))
  } catch (e) {
    console.error('ciel: could not queue the scoring of survey answers (the hourly sweep will)', e)
  }
}

export async function consumeIngest(batch: MessageBatch<IngestPacket>, env: Env): Promise<void> {
  try {
    const batches = batch.messages.flatMap((m) => m.body.batches)
    const stmts = ingestStatements(env.DB, batches)
    if (stmts.length) await env.DB.batch(stmts)
    batch.ackAll()
    await sendToScore(env, batches)
    return
  } catch (e) {
    console.error('ciel: ingest batch failed, writing its packets one by one', e)
  }
  for (const m of batch.messages) {
    try {
      const stmts = ingestStatements(env.DB, m.body.batches)
      if (stmts.length) await env.DB.batch(stmts)
      m.ack()
      await sendToScore(env, m.body.batches)
    } catch (e) {
      console.error(`ciel: ingest packet failed (attempt ${m.attempts})`, e)
      m.retry({ delaySeconds: Math.min(300, 2 ** m.attempts) })
    }
  }
}
