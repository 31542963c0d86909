/** A fake core for capture modules: records what they emit, runs the in-page bus. */
import type { Ctx } from '../../snippet/contract/context'
import type { SiteConfig, WireEvent } from '../../snippet/contract/wire'

export interface Emitted extends Omit<WireEvent, 'props'> {
  props: Record<string, any>
}

export function fakeCore(config: SiteConfig = {}, ready: Promise<unknown> = Promise.resolve()) {
  const events: Emitted[] = []
  const listeners: ((e: WireEvent) => void)[] = []
  let n = 0
  const ctx: Ctx = {
    config,
    ready,
    emit: (type, props, name, url = location.href, ts = Date.now(), hash) => {
      const e: Emitted = { id: String(++n), type, ts, url, name, props: props ?? {} }
      if (hash) e.hash = hash
      events.push(e)
      listeners.forEach((l) => l(e))
    },
    listen: (fn) => void listeners.push(fn),
  }
  return { ctx, events, of: (type: string) => events.filter((e) => e.type === type) }
}

/** A real-looking click at a point. */
export function clickOn(el: Element, x = 10, y = 10) {
  el.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true, clientX: x, clientY: y }))
}

/** Hides or shows the tab. */
export function setHidden(hidden: boolean) {
  Object.defineProperty(document, 'hidden', { value: hidden, configurable: true })
  Object.defineProperty(document, 'visibilityState', { value: hidden ? 'hidden' : 'visible', configurable: true })
  document.dispatchEvent(new Event('visibilitychange'))
}
