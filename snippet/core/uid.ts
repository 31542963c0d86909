/**
 * Time-ordered unique id: 9 base-36 characters of milliseconds, 3 of a per-page sequence (so
 * events of one millisecond keep their order), then 10 random ones. Sorting ids sorts this
 * page's events by creation, which the outbox relies on for "oldest first".
 */
let last = 0
let seq = 0

const b36 = (n: number, len: number) => n.toString(36).padStart(len, '0')

export function uid(now = Date.now()): string {
  seq = now > last ? 0 : seq + 1
  last = Math.max(now, last)
  return b36(last, 9) + b36(seq, 3) + '-' + Math.random().toString(36).slice(2, 12).padEnd(10, '0')
}
