/**
 * Uncaught errors and unhandled rejections (deduplicated, at most 20 a page), and error clicks:
 * an error within 1 s of a click, with the clicked element.
 */
import type { Ctx } from '../core/context'
import { on, onDoc } from '../core/guard'
import { clicked, describe } from './dom'

export function init(ctx: Ctx) {
  const seen = new Set<string>()
  let click = { t: 0, el: null as Element | null }
  onDoc('click', (e: Event) => (click = { t: Date.now(), el: clicked(e.target) }))

  const report = (message: unknown, source = '', line = 0, col = 0) => {
    const m = String(message).slice(0, 200)
    source = source.split(/[?#]/)[0]!.slice(0, 300) // no query strings: they may carry tokens
    const key = m + source + line
    if (seen.has(key) || seen.size >= 20) return
    seen.add(key)
    ctx.emit('error', { message: m, source, line, col })
    if (click.el && Date.now() - click.t <= 1000) ctx.emit('error_click', { ...describe(click.el), message: m })
  }
  on('error', (e: ErrorEvent) => e.message && report(e.message, e.filename, e.lineno, e.colno))
  on('unhandledrejection', (e: PromiseRejectionEvent) => report(e.reason?.message ?? e.reason))
}
