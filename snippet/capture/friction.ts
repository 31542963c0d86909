/**
 * Friction: rage clicks (a burst of clicks on one spot) and dead clicks (a click on something
 * that looks interactive, after which nothing happens).
 */
import type { Ctx } from '../core/context'
import { onDoc } from '../core/guard'
import { clicked, describe } from './dom'
import { live, type Watch } from './watch'

/** Elements whose state flips per click: repeated clicks there are use, not rage. */
const TOGGLE =
  '[type=checkbox],[type=radio],summary,select,option,[aria-expanded],[aria-pressed],[role=switch],[role=checkbox],[role=tab],[data-ciel-no-rage]'
const LOOKS_ACTIVE = 'a[href],button,[role=button],[role=link],[role=menuitem],[type=button],[type=submit]'

export function init(ctx: Ctx, watch: Watch = live) {
  let n = 0
  let last = { t: 0, x: 0, y: 0, s: '' }
  let hiddenAt = 0
  onDoc('visibilitychange', () => document.hidden && (hiddenAt = Date.now()))

  watch('click', (e: MouseEvent, at = Date.now(), late?: 1) => {
    const t = e.target as Element
    const el = clicked(t)
    if (!el) return
    const c = ctx.config.capture || {}
    const r = c.rage || {}

    // Rage: each click within r.ms and r.px of the previous one; reported once per burst.
    // An element whose attributes changed since the previous click flips state per click.
    const s = Array.from(el.attributes, (a) => a.value).join()
    const near = at - last.t <= (r.ms ?? 1000) && Math.hypot(e.clientX - last.x, e.clientY - last.y) <= (r.px ?? 30)
    n = t.closest(TOGGLE) || (near && s != last.s) ? 0 : near ? n + 1 : 1
    last = { t: at, x: e.clientX, y: e.clientY, s }
    if (n === (r.clicks ?? 3)) ctx.emit('rage_click', { ...describe(el), clicks: n, x: e.clientX, y: e.clientY })

    // Dead: nothing changes within deadMs (no DOM change, navigation, scroll or selection).
    // Not for a replayed click: what happened since it is unknown.
    if (late) return
    const target = t.closest(LOOKS_ACTIVE) || (getComputedStyle(t).cursor === 'pointer' ? el : null)
    if (!target) return
    let changed = false
    const mo = new MutationObserver(() => (changed = true))
    mo.observe(document, { subtree: true, childList: true, attributes: true, characterData: true })
    const snap = () => [location.href, scrollX, scrollY, getSelection()].join()
    const before = snap()
    setTimeout(() => {
      mo.disconnect()
      if (!changed && hiddenAt < at && snap() === before) ctx.emit('dead_click', describe(target))
    }, c.deadMs ?? 2500)
  })
}
