/**
 * The snippet never throws into the host page: every handler and public call goes through
 * guard(), which swallows (and reports, in the console) what goes wrong inside ciel.
 */
export function guard<A extends unknown[]>(fn: (...a: A) => unknown): (...a: A) => void {
  const g = gen
  return (...a) => {
    // A stopped core's handlers and timers do nothing.
    if (g < gen) return
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
/**
 * The listener the snippet added for each target, event type and phase (first), then the
 * handlers it calls. stop() removes the listeners from here: nothing more is kept per listener.
 */
const hubs = new Map<EventTarget, { [typeAndPhase: string]: Fn[] }>()
/** Bumped by stop(): what was guarded before it is inert. */
let gen = 0
/** What stop() undoes: the page's listeners and observers. */
let offs: (() => void)[] = []

/** Undoes everything the snippet added to the page (start()'s stop, for tests and teardown). */
export const stop = () => {
  gen++
  hubs.forEach((hub, target) => {
    for (const k in hub) {
      const capture = k.endsWith('true')
      target.removeEventListener(k.slice(0, capture ? -4 : -5), hub[k]![0]!, capture)
    }
  })
  hubs.clear()
  offs.forEach((off) => off())
  offs = []
}

/** Kept for stop(): an observer's disconnect, say. */
export const undo = (off: () => void) => void offs.push(off)

/** setTimeout, guarded: after stop() it does nothing. */
export const later = (fn: () => unknown, ms: number) => setTimeout(guard(fn), ms)

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
    // Each handler guarded alone, in place (no wrapper to call: a click runs this cold).
    const all = (e: Event) => {
      for (let i = 1, n = list.length; i < n; i++)
        try {
          ;(list[i]!(e) as any)?.catch?.(report)
        } catch (x) {
          report(x)
        }
    }
    const list: Fn[] = [all]
    try {
      target.addEventListener(type, all, { capture, passive: true })
      fns = hub[type + capture] = list
    } catch {
      return
    }
  }
  fns.push(fn)
}

/** The same on document, in the capture phase: a page that stops propagation hides nothing. */
export const onDoc = (type: string, fn: Fn) => on(type, fn, document, true)
