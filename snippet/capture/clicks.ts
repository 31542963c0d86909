/**
 * Click autocapture: one `click` event per click with the element's descriptor and topics.
 * Config `capture.clicks`: true (default), false, or CSS selectors to limit it to.
 *
 * The element is described at the click (its text and classes as the visitor saw them), and
 * the events are recorded a moment later, together, with the topics of the element's section:
 * recording (ids, trimming to the limits, measuring, the outbox) is the costly part, and a click
 * handler should cost the page almost nothing. A hidden tab or a page going away records them
 * at once.
 */
import type { Ctx, Props } from '../core/context'
import { on, onDoc } from '../core/guard'
import { pageUrl } from '../core/page'
import { clickOf } from './dom'
import { topics } from './topics'
import { live, type Watch } from './watch'

export function init(ctx: Ctx, watch: Watch = live) {
  let later: [Element, Props, string, number][] = []
  const record = () => {
    const q = later
    later = []
    for (const [el, props, url, ts] of q) ctx.emit('click', { ...props, topics: topics(ctx, el) }, '', url, ts)
  }
  watch('click', (e: MouseEvent, at = Date.now()) => {
    const want = ctx.config.capture?.clicks ?? true
    const c = want && clickOf(e)
    if (c && (want === true || want.some((s) => c.el.closest(s)))) {
      if (!later.length) setTimeout(record, 500)
      later.push([c.el, c.d(), pageUrl(), at])
    }
  })
  onDoc('visibilitychange', record)
  on('pagehide', record)
}
