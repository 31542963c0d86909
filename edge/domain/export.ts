/**
 * @module export: the time range of `GET /v1/export`. Pure. `from` and `to` are each a UTC day
 * (`2026-05-01`), an ISO time (`2026-05-01T12:00:00Z`) or milliseconds since the Unix epoch;
 * events with from ≤ ts < to are exported (`to` defaults to now; a day as `to` means its start,
 * so `from=2026-05-01&to=2026-05-02` is one day).
 */
import type { Result } from './batch'

const DAY = /^\d{4}-\d{2}-\d{2}$/
const TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/
const MS = /^\d{1,15}$/

/** A time of the query, or null when it is none of the three forms. */
export function timeOf(text: string): number | null {
  if (MS.test(text)) return Number(text)
  if (DAY.test(text) || TIME.test(text)) {
    const t = Date.parse(DAY.test(text) ? `${text}T00:00:00Z` : text)
    return Number.isFinite(t) ? t : null
  }
  return null
}

const FORMS = 'a day (2026-05-01), an ISO time (2026-05-01T12:00:00Z) or milliseconds since 1970'

export function exportRange(q: { from?: string; to?: string }, now: number): Result<{ from: number; to: number }> {
  if (!q.from) return { ok: false, error: `?from is required: ${FORMS}` }
  const from = timeOf(q.from)
  if (from === null) return { ok: false, error: `?from must be ${FORMS}` }
  const to = q.to ? timeOf(q.to) : now
  if (to === null) return { ok: false, error: `?to must be ${FORMS}` }
  if (to <= from) return { ok: false, error: '?to must come after ?from' }
  return { ok: true, value: { from, to } }
}
