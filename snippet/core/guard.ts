/**
 * The snippet never throws into the host page: every handler and public call goes through
 * guard(), which swallows (and reports, in the console) what goes wrong inside ciel.
 */
export function guard<A extends unknown[]>(fn: (...a: A) => unknown): (...a: A) => void {
  return (...a) => {
    try {
      const r = fn(...a) as any
      if (r && typeof r.catch === 'function') r.catch(report)
    } catch (e) {
      report(e)
    }
  }
}

function report(e: unknown) {
  try {
    console.debug('ciel: internal error', e)
  } catch {}
}

type Add = (type: string, fn: (e: any) => void, opts?: AddEventListenerOptions | boolean) => void

/** Adds a guarded, passive listener. */
export function on(add: Add, type: string, fn: (e: any) => unknown, capture = false) {
  add(type, guard(fn), { capture, passive: true })
}
