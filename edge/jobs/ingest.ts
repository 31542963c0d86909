/**
 * @module jobs/ingest: the ingest queue's consumer. Writes a whole queue batch (up to 100
 * packets of accepted page batches) to D1 in one transaction; if that fails, each packet alone,
 * so one bad packet is retried (and, after max_retries, parked in the dead-letter queue)
 * without holding up the others. Writing twice is harmless: events are keyed by (site, id).
 */
import type { Env } from '../env'
import type { IngestPacket } from './messages'
import { ingestStatements } from '../store/ingest'

export async function consumeIngest(batch: MessageBatch<IngestPacket>, env: Env): Promise<void> {
  try {
    const stmts = ingestStatements(
      env.DB,
      batch.messages.flatMap((m) => m.body.batches),
    )
    if (stmts.length) await env.DB.batch(stmts)
    batch.ackAll()
    return
  } catch (e) {
    console.error('ciel: ingest batch failed, writing its packets one by one', e)
  }
  for (const m of batch.messages) {
    try {
      const stmts = ingestStatements(env.DB, m.body.batches)
      if (stmts.length) await env.DB.batch(stmts)
      m.ack()
    } catch (e) {
      console.error(`ciel: ingest packet failed (attempt ${m.attempts})`, e)
      m.retry({ delaySeconds: Math.min(300, 2 ** m.attempts) })
    }
  }
}
