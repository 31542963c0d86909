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

type Fn = (e: any) => unknown
/** The handlers behind each listener the snippet added: one per target, event type and phase. */
const hubs = new Map<EventTarget, { [typeAndPhase: string]: Fn[] }>()

/**
 * Adds a guarded handler for `type` on window (or `target`). However many modules listen, the
 * page gets one passive listener per target, type and phase, which calls each handler in turn
 * (each guarded alone); a page whose addEventListener throws loses only that type.
 */
export const on = (type: string, fn: Fn, target: EventTarget = window, capture = false) => {
  let hub = hubs.get(target)
  if (!hub) hubs.set(target, (hub = {}))
  let fns = hub[type + capture]
  if (!fns) {
    const list: Fn[] = []
    try {
      // Each handler guarded alone, in place (no wrapper to call: a click runs this cold).
      target.addEventListener(
        type,
        (e) => {
          for (let i = 0, n = list.length; i < n; i++)
            try {
              ;(list[i]!(e) as any)?.catch?.(report)
            } catch (x) {
              report(x)
            }
        },
        { capture, passive: true },
      )
      fns = hub[type + capture] = list
    } catch {
      return
    }
  }
  fns.push(fn)
}

/** The same on document, in the capture phase: a page that stops propagation hides nothing. */
export const onDoc = (type: string, fn: Fn) => on(type, fn, document, true)
