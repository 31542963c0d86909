/**
 * Time-ordered unique id: 9 base-36 characters of milliseconds, 3 of a per-page sequence (so
 * events of one millisecond keep their order), then 12 random ones. Sorting ids sorts this
 * page's events by creation, which the outbox relies on for "oldest first".
 */
let last = 0
let seq = 0

export function uid(now = Date.now()): string {
  seq = now > last ? 0 : seq + 1
  last = Math.max(now, last)
  const r = crypto.getRandomValues(new Uint32Array(2))
  return (
    last.toString(36).padStart(9, '0') +
    seq.toString(36).padStart(3, '0') +
    '-' +
    r[0]!.toString(36).padStart(6, '0').slice(-6) +
    r[1]!.toString(36).padStart(6, '0').slice(-6)
  )
}
