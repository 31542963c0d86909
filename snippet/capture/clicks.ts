/**
 * Click autocapture: one `click` event per click with the element's descriptor and topics.
 * Config `capture.clicks`: true (default), false, or CSS selectors to limit it to.
 */
import type { Ctx } from '../core/context'
import { onDoc } from '../core/guard'
import { clicked, describe } from './dom'
import { topics } from './topics'

export function init(ctx: Ctx) {
  onDoc('click', (e: MouseEvent) => {
    const want = ctx.config.capture?.clicks ?? true
    const el = clicked(e.target)
    if (el && want && (want === true || want.some((s) => el.closest(s))))
      ctx.emit('click', { ...describe(el), topics: topics(ctx, el) })
  })
}
