/**
 * Click autocapture: one `click` event per click with the element's descriptor and topics.
 * Config `capture.clicks`: true (default), false, or CSS selectors to limit it to.
 *
 * The click handler keeps the element, its text, the URL and the time; the events are described
 * and recorded half a second later, together (describing, ids, trimming to the limits, measuring
 * and the outbox's write are the costly part, and a click handler should cost the page almost
 * nothing). A hidden tab or a page going away records them at once.
 */
import type { Ctx } from '../contract/context'
import { on, onDoc } from '../core/guard'
import { pageUrl } from '../core/page'
import { clickOf, type Click } from './dom'
import { topics } from './topics'
import { live, type Watch } from './watch'

/** How long clicks gather before they are recorded together. */
export const RECORD_MS = 500

export function init(ctx: Ctx, watch: Watch = live) {
  let later: [Click, string, number][] = []
  const record = () => {
    const q = later
    later = []
    for (const [c, href, ts] of q) ctx.emit('click', { ...c.d(), topics: topics(ctx, c.el) }, '', pageUrl(href), ts)
  }
  watch('click', (e: MouseEvent, at?: number) => {
    const want = ctx.config.capture?.clicks ?? true
    const c = want && clickOf(e)
    // One selector a browser refuses (a config saved before selectors were checked) costs only itself.
    if (
      c &&
      (want === true ||
        want.some((s) => {
          try {
            return c.el.closest(s)
          } catch {}
        }))
    ) {
      if (!later.length) setTimeout(record, RECORD_MS)
      later.push([c, c.h, at || c.t])
    }
  })
  onDoc('visibilitychange', record)
  on('pagehide', record)
}
