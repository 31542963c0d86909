/**
 * @module ingest: what the worker does to a valid batch before storing it. Pure.
 * Clock skew: the snippet stamps `sentAt` by its own clock just before sending; the gap to our
 * clock is the client's skew (plus transit), and the same shift applies to every event.
 */
import type { Batch } from '../../snippet/core/wire'
import { FLAG, type PreparedEvent } from '../store/queries'

/** An event more than this far ahead of the batch's own send time is flagged as from the future. */
export const FUTURE_MS = 23 * 3600 * 1000

export function prepareEvents(batch: Batch, receivedAt: number, bot: boolean): PreparedEvent[] {
  const skew = receivedAt - batch.sentAt
  return batch.events.map((e) => {
    let flags = bot ? FLAG.bot : 0
    if (e.ts - batch.sentAt > FUTURE_MS || e.ts - receivedAt > FUTURE_MS) flags |= FLAG.future
    // Corrected time never lies after the moment we received it.
    const ts = Math.min(e.ts + skew, receivedAt)
    return { id: e.id, type: e.type, name: e.name, url: e.url, ts, clientTs: e.ts, props: e.props, flags }
  })
}
