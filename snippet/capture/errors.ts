/**
 * Uncaught errors and unhandled rejections (deduplicated, at most 20 a page), and error clicks:
 * an error within 1 s of a click, with the clicked element.
 */
import type { Ctx } from '../contract/context'
import { clickOf, type Click } from './dom'
import { live, type Watch } from './watch'

export function init(ctx: Ctx, watch: Watch = live) {
  const seen = new Set<string>()
  // The last click and its time (two variables: a click handler allocates nothing it can avoid).
  let clicked: Click | null = null
  let t = 0
  watch('click', (e: Event, at?: number) => {
    clicked = clickOf(e)
    t = at || clicked?.t || 0
  })

  const report = (at: number, message: unknown, source = '', line = 0, col = 0) => {
    const m = String(message).slice(0, 200)
    source = source.split(/[?#]/)[0]!.slice(0, 300) // no query strings: they may carry tokens
    const key = m + source + line
    if (seen.has(key) || seen.size >= 20) return
    seen.add(key)
    ctx.emit('error', { message: m, source, line, col })
    if (clicked && at - t <= 1000) ctx.emit('error_click', { ...clicked.d(), message: m })
  }
  watch(
    'error',
    (e: ErrorEvent, at = Date.now()) => e.message && report(at, e.message, e.filename, e.lineno, e.colno),
    1,
  )
  watch(
    'unhandledrejection',
    (e: PromiseRejectionEvent, at = Date.now()) => report(at, e.reason?.message ?? e.reason),
    1,
  )
}
