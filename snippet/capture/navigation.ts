/**
 * Navigation: pageviews for full loads and single-page apps (History API, popstate,
 * hashchange); on leaving a page a `page_leave` with the time it was visible and the deepest
 * scroll; and u-turns: back within 10 s of arriving (popstate), or leaving a page and coming
 * back within 10 s (a return from the back/forward cache, which is how browsers go back between
 * full pages). Uses no storage, so it works in every consent mode. Not seen: a return to a page
 * the browser could not keep in that cache (it reloads it).
 */
import type { Ctx } from '../contract/context'
import { on, onDoc } from '../core/guard'
import { pageUrl } from '../core/page'
import { topics } from './topics'

const U_TURN_MS = 10_000

export function init(ctx: Ctx) {
  const now = () => Date.now()
  let url = pageUrl()
  let arrived = now()
  let left = 0
  let shown = 0 // visible time so far, ms
  let since = arrived // when it last became visible
  let depth = 0

  const view = (ref: string) => {
    arrived = since = now()
    ctx.emit('pageview', { title: document.title, ref, topics: topics(ctx) })
  }
  const turn = (via: string, ms: number) => ms <= U_TURN_MS && ctx.emit('u_turn', { via, ms })
  const visible = () => !document.hidden
  const leave = () => {
    ctx.emit('page_leave', { ms: shown + (visible() ? now() - since : 0), scroll: depth }, undefined, url)
    shown = depth = 0
    left = now()
  }
  const route = () => {
    const next = pageUrl()
    if (next === url) return
    leave()
    const from = url
    url = next
    view(from)
  }

  view(document.referrer)
  for (const k of ['pushState', 'replaceState'] as const) {
    const orig = history[k]
    history[k] = function (this: History, ...a: Parameters<History['pushState']>) {
      const r = orig.apply(this, a)
      try {
        route()
      } catch {}
      return r
    }
  }
  on('popstate', () => (turn('back', now() - arrived), route()))
  on('hashchange', route)
  on('pagehide', leave)
  // Back from the back/forward cache: a new view of the same page, maybe a u-turn.
  on('pageshow', (e: PageTransitionEvent) => e.persisted && (turn('return', now() - left), view(document.referrer)))
  onDoc('visibilitychange', () => {
    if (visible()) since = now()
    else shown += now() - since
  })
  on('scroll', () => {
    const h = document.documentElement.scrollHeight
    depth = Math.max(depth, h ? Math.min(100, Math.round(((scrollY + innerHeight) / h) * 100)) : 100)
  })
}
