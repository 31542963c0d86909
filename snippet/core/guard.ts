/**
 * The snippet never throws into the host page: every handler and public call goes through
 * guard(), which swallows (and reports, in the console) what goes wrong inside ciel.
 */
export function guard<A extends unknown[]>(fn: (...a: A) => unknown): (...a: A) => void {
  return (...a) => {
    try {
      ;(fn(...a) as any)?.catch?.(report)
    } catch (e) {
      report(e)
    }
  }
}

function report(e: unknown) {
  try {
    console.debug('ciel:', e)
  } catch {}
}

/** Adds a guarded, passive listener on window; a page whose addEventListener throws loses only that one. */
export const on = (type: string, fn: (e: any) => unknown, target: EventTarget = window, capture = false) => {
  try {
    target.addEventListener(type, guard(fn), { capture, passive: true })
  } catch {}
}

/** The same on document, in the capture phase: a page that stops propagation hides nothing. */
export const onDoc = (type: string, fn: (e: any) => unknown) => on(type, fn, document, true)
