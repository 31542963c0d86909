/**
 * @module ingest: what the worker does to a valid batch before storing it. Pure.
 * Clock skew: the snippet stamps `sentAt` by its own clock just before sending; the gap to our
 * clock is the client's skew (plus transit), and the same shift applies to every event.
 */
import type { Batch, Json } from '../../snippet/contract/wire'
import { FLAG } from './flags'

/** An event more than this far ahead of the batch's own send time is flagged as from the future. */
export const FUTURE_MS = 23 * 3600 * 1000
/**
 * An event dated more than this many days before its batch's `sentAt` (so before its arrival,
 * once the clock is corrected) is refused: each past day an event lands on is rolled up again,
 * so a batch may not reach far back. The outbox keeps events until the visitor's next page
 * load, with no age limit of its own: a month covers a visitor who comes back monthly (an
 * outbox that waited longer gets the event back in `rejected`, deletes it and counts it dropped).
 */
export const PAST_DAYS = 30
export const PAST_MS = PAST_DAYS * 86_400_000

/** An event as stored: corrected time, the client's own time, flags. */
export interface PreparedEvent {
  id: string
  type: string
  name?: string
  url: string
  ts: number
  clientTs: number
  props?: { [key: string]: Json }
  flags: number
}

/**
 * @param unverified ids of identify events whose hash did not check out on a site that
 *   verifies identities: stored, but flagged so they link nothing.
 * @param unsigned ids of survey answers without a valid signed offer: stored, flagged, left
 *   out of NPS and CSAT.
 * @param device the device bits of the sender (FLAG.mobile, FLAG.tablet), set on every event.
 * @param extra ids of signed survey answers that do not count (answers.ts): stored, flagged,
 *   left out of NPS and CSAT.
 */
export function prepareEvents(
  batch: Pick<Batch, 'events' | 'sentAt'>,
  receivedAt: number,
  bot: boolean,
  unverified: ReadonlySet<string> = new Set(),
  unsigned: ReadonlySet<string> = new Set(),
  device = 0,
  extra: ReadonlySet<string> = new Set(),
): PreparedEvent[] {
  const skew = receivedAt - batch.sentAt
  return batch.events.map((e) => {
    let flags = (bot ? FLAG.bot : 0) | device
    if (e.ts - batch.sentAt > FUTURE_MS || e.ts - receivedAt > FUTURE_MS) flags |= FLAG.future
    if (unverified.has(e.id)) flags |= FLAG.unverified
    if (unsigned.has(e.id)) flags |= FLAG.unsigned
    if (extra.has(e.id)) flags |= FLAG.extra
    // Corrected time never lies after the moment we received it.
    const ts = Math.min(e.ts + skew, receivedAt)
    const out: PreparedEvent = { id: e.id, type: e.type, url: e.url, ts, clientTs: e.ts, flags }
    if (e.name !== undefined) out.name = e.name
    if (e.props !== undefined) out.props = e.props
    return out
  })
}

/**
 * Events a visitor may report as evicted or dropped in a UTC day, counted: the reports are the
 * page's word (anyone can send them), and an outbox that loses more than this in a day has a
 * problem the count already shows.
 */
export const LOSS_PER_VISITOR_DAY = 1000

/** A batch's reported loss within what the visitor may still report today (`used` so far). */
export function capLoss<L extends { evicted: number; dropped: number }>(loss: L, used: number): L {
  const evicted = Math.min(loss.evicted, Math.max(0, LOSS_PER_VISITOR_DAY - used))
  const dropped = Math.min(loss.dropped, Math.max(0, LOSS_PER_VISITOR_DAY - used - evicted))
  return { ...loss, evicted, dropped }
}

const DAY_MS = 86_400_000
let last = { from: NaN, day: '' }

/**
 * UTC day of a time, as `YYYY-MM-DD` (the key of daily counts, exports and rollups). The last
 * day asked is kept: ingest asks on every batch, and a Date per call showed in its CPU profile.
 */
export function dayOf(ms: number): string {
  if (!(ms >= last.from && ms < last.from + DAY_MS))
    last = { from: ms - (((ms % DAY_MS) + DAY_MS) % DAY_MS), day: new Date(ms).toISOString().slice(0, 10) }
  return last.day
}
