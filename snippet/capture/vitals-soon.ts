/** Loads the web-vitals chunk once the page is idle (it is not part of the core's bytes). */
import type { Ctx } from '../contract/context'
import { guard } from '../core/guard'

export function init(ctx: Ctx) {
  // Guarded: it runs in an idle callback, where a throw would reach the host page.
  const go = guard(() => ctx.config.capture?.vitals !== false && import('./vitals').then((m) => m.report(ctx)))
  if (typeof requestIdleCallback === 'function') requestIdleCallback(go, { timeout: 5000 })
  else setTimeout(go, 3000)
}
