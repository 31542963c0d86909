/**
 * @module export: the time range of `GET /v1/export`. Pure. `from` and `to` are each a UTC day
 * (`2026-05-01`), an ISO time (`2026-05-01T12:00:00Z`) or milliseconds since the Unix epoch;
 * events with from ≤ ts < to are exported (`to` defaults to now; a day as `to` means its start,
 * so `from=2026-05-01&to=2026-05-02` is one day).
 */
import * as v from 'valibot'

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

/** `?name=` as a time in one of the three forms. */
const time = (name: string) => {
  const message = `?${name} must be ${FORMS}`
  return v.pipe(
    v.string(message),
    v.rawTransform(({ dataset, addIssue, NEVER }) => {
      const t = timeOf(dataset.value)
      if (t !== null) return t
      addIssue({ message })
      return NEVER
    }),
  )
}

/** The query's range: `from` (required) and `to` (default: now, which the route compares). */
export const ExportQuery = v.object({
  site: v.optional(v.string()),
  from: v.pipe(v.optional(v.string(), ''), v.nonEmpty(`?from is required: ${FORMS}`), time('from')),
  to: v.optional(time('to')),
})
