/**
 * @module forms: which of a visitor's `form_abandon`s still count, whatever order they arrive
 * in. Pure. The snippet reports a form abandoned at once when a phone hides the tab, and sends
 * `form_submit` if the visitor comes back and submits it on that page: a submit takes back one
 * abandon of the same form and page, the latest before it by the events' own times (one for one,
 * as the insights' friction counts are abandons less submits). So the profile keeps, per form,
 * the times of both (bounded) and pairs them in time order: an abandon that arrives late, after a
 * submit that came later by its own time, is taken back all the same.
 */

/** One form on one page: the times of its abandons and of its submits, each the latest MAX_TIMES. */
export interface FormState {
  a: number[]
  s: number[]
}

/** Form key → its state. */
export type Forms = { [key: string]: FormState }

const MAX_FORMS = 20
const MAX_TIMES = 20

/** The key of a form: its id (as the snippet names it) on its page. */
export const formKey = (form: string | undefined, url: string | undefined) =>
  `${(form ?? '').slice(0, 100)} ${(url ?? '').slice(0, 300)}`

/** The abandons of a form that no submit took back: each submit takes the latest one before it. */
function left(f: FormState): number[] {
  const open: number[] = []
  let i = 0
  for (const s of f.s) {
    // An abandon and a submit at the same moment: the submit follows it.
    while (i < f.a.length && f.a[i]! <= s) open.push(f.a[i++]!)
    open.pop()
  }
  return [...open, ...f.a.slice(i)]
}

/**
 * Applies a `form_abandon` or `form_submit` at `ts` to `forms` (a copy: its entries are
 * replaced, never changed) and to `abandon` (the abandons that count and the latest one's time),
 * answering the new `abandon` (undefined: none counts).
 */
export function formEvent(
  forms: Forms,
  abandon: { n: number; last: number } | undefined,
  type: 'form_abandon' | 'form_submit',
  key: string,
  ts: number,
): { n: number; last: number } | undefined {
  const was = forms[key] ?? { a: [], s: [] }
  const add = (times: number[]) => [...times, ts].sort((x, y) => x - y).slice(-MAX_TIMES)
  const now = type === 'form_abandon' ? { a: add(was.a), s: was.s } : { a: was.a, s: add(was.s) }
  forms[key] = now
  bound(forms)
  const n = (abandon?.n ?? 0) + left(now).length - left(was).length
  if (n <= 0) return undefined
  // The latest abandon still counting (of the forms kept; else, counted before them, the one known).
  const open = Object.values(forms).flatMap(left)
  return { n, last: open.length ? Math.max(...open) : abandon!.last }
}

/** Keeps the forms most recently active. */
function bound(forms: Forms) {
  const keys = Object.keys(forms)
  if (keys.length <= MAX_FORMS) return
  const latest = (f: FormState) => Math.max(...f.s, ...f.a)
  for (const k of keys.sort((a, b) => latest(forms[a]!) - latest(forms[b]!)).slice(0, keys.length - MAX_FORMS))
    delete forms[k]
}
