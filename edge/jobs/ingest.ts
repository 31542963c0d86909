/**
 * @module jobs/ingest: the ingest queue's consumer. Writes a whole queue batch (up to 100
 * accepted page batches) to D1 in one transaction; if that fails, each message alone, so one
 * bad message is retried (and, after max_retries, parked in the dead-letter queue) without
 * holding up the others. Writing twice is harmless: events are keyed by (site, id).
 */
import type { Env } from '../env'
import type { IngestMessage } from './messages'
import { ingestStatements } from '../store/ingest'

export async function consumeIngest(batch: MessageBatch<IngestMessage>, env: Env): Promise<void> {
  try {
    const stmts = ingestStatements(
      env.DB,
      batch.messages.map((m) => m.body),
    )
    if (stmts.length) await env.DB.batch(stmts)
    batch.ackAll()
    return
  } catch (e) {
    console.error('ciel: ingest batch failed, writing its messages one by one', e)
  }
  for (const m of batch.messages) {
    try {
      const stmts = ingestStatements(env.DB, [m.body])
      if (stmts.length) await env.DB.batch(stmts)
      m.ack()
    } catch (e) {
      console.error(`ciel: ingest message for site '${m.body.site}' failed (attempt ${m.attempts})`, e)
      m.retry({ delaySeconds: Math.min(300, 2 ** m.attempts) })
    }
  }
}
