/**
 * Slots without flicker, started first thing by the core. The page carries its own
 * variants as <template data-variant>, so no markup travels and nothing is parsed from strings.
 *
 * Each slot is filled once per page and never changes after: from the decisions kept on the
 * device (a returning visitor: at once, as soon as the core runs), on a first visit from its
 * landing page as soon as the config is in (landing.ts), else from the first answer that arrives
 * (the core asks `POST /v1/decide` for what only the worker can decide, without waiting for its
 * first batch), or with its default after `wait` ms. Until then it is hidden without layout shift
 * (visibility): by the site's CSS rule before this runs (README), by an inline style after. A
 * later answer may only fill a slot still undecided; what it says is kept for the next page, as
 * is a first visit's own decision until then (its slots left to the worker still wait there).
 *
 * A slot a framework renders (React, Vue, Svelte, Preact, Angular) is left as it is: removing its
 * nodes would break the framework's next update, and hydration would undo the swap (issue 28).
 * Such apps render the variant themselves (the ES module's `onSlot`, the adapters), asking
 * through `on` and reporting exposure through `seen`.
 */

import { guard, onDoc, undo } from '../core/guard'

const SEL = '[data-ciel-slot]'
const KEY = 'ciel_d'
/** Told the page once that its framework's slots are left to it. */
let told = 0

/**
 * Whether a framework renders `el`, or will hydrate it: the page's opt-out or a framework's
 * marker on it or an ancestor (React's container and fibers, Vue's app and vnode, Preact's vnode,
 * Angular's context, Svelte's in development), or the comments that React, Vue and Svelte leave
 * in server-rendered HTML. A client-only Svelte app in production leaves none (its marks are
 * symbols, as are happy-dom's own): it says so with data-ciel-framework, or uses the adapter.
 * Checked again before a swap: hydration may start in between.
 */
const framework = (el: Element): unknown => {
  if (el.closest('[data-ciel-framework],[data-reactroot],[data-v-app],#__next,#__nuxt')) return 1
  for (let n: Element | null = el; n; n = n.parentElement) {
    for (const k of Object.keys(n)) if (/^(__react|_react|__vue|__k$|_vnode$|__ng|__svelte)/.test(k)) return 1
    for (const c of n.childNodes as unknown as Comment[]) if (c.nodeType == 8 && /^([[\]$]|\/\$)/.test(c.data)) return 1
  }
}

/** What `a` decides of `slot`: [variant, decided] ('' the default, decided or not); nothing while it waits. */
const pick = (a: Answer | null, slot: string): [string, boolean?, string?] | undefined => {
  const v = a?.decisions?.[slot]
  // typeof: a slot named like an object property ('toString') is not decided by it.
  if (!a?.wait?.includes(slot)) return typeof v == 'string' ? [v, true, a!.experiments?.[slot]] : ['']
}

/** Slots still waiting for their decision. */
export const UNDECIDED = SEL + ':not([data-ciel-shown])'
/**
 * What a batch answer or `/v1/decide` says of slots (kept on the device as is); or what the page
 * decided itself on a first visit (contract/landing.ts), but for the slots in `wait`.
 */
export type Answer = {
  decisions?: { [slot: string]: string }
  experiments?: { [slot: string]: string }
  wait?: string[]
}

/**
 * Starts watching the page's slots; answers the function that takes each answer (`keep`: store
 * it for the next page).
 * @param wait most ms a slot stays hidden waiting for its decision
 * @param shown records an exposure: a slot filled by a decision shows `variant` ('' its default)
 */
export function watchSlots(wait: number, shown: (slot: string, variant: string, exp?: string) => void): Slots {
  let known: Answer | null = null
  /** What the page decided of its slots on a first visit (landing.ts): for an app asking later. */
  let landing: Answer | null = null
  try {
    known = JSON.parse(localStorage.getItem(KEY)!)
  } catch {}
  /** The framework slots' decisions, once made (the same for every asker), and who waits for them. */
  const given: { [slot: string]: [string, boolean?, string?, 1?] } = {}
  const asked: { [slot: string]: ((v: string) => void)[] } = {}
  const give = (slot: string, a: Answer | null) => {
    const d = given[slot] || (a && (given[slot] = pick(a, slot)!))
    if (d) for (const fn of asked[slot]?.splice(0) || []) fn(d[0])
  }

  /** Leaves a framework's slot as it is: not even hidden (the site's CSS rule still ends its wait). */
  const standBack = (el: HTMLElement) => {
    if (el.style.getPropertyPriority('visibility')) el.style.visibility = ''
    if (!told++) console.info('ciel: a framework renders slot', el.dataset.cielSlot, '(see ciel/react, ciel/vue…)')
  }

  /** Fills a slot for good: with what `a` decides (its default when nothing), else the default. */
  const settle = (el: HTMLElement, a = known) => {
    if (el.dataset.cielShown != null) return
    if (framework(el)) return standBack(el)
    const slot = el.dataset.cielSlot!
    // A kept first-visit decision may leave the slot to the worker: its default after the wait.
    const [v, decided, exp] = pick(a || {}, slot) || ['']
    let tpl
    if (decided)
      for (const c of el.children as unknown as HTMLTemplateElement[]) if (c.content && c.dataset.variant == v) tpl = c
    // The variant goes in before the default comes out: a slot is never empty.
    const old = [...(el.childNodes as unknown as Node[])].filter((n) => n.nodeName != 'TEMPLATE')
    if (tpl) {
      el.appendChild(tpl.content.cloneNode(true))
      for (const n of old) el.removeChild(n)
    }
    el.dataset.cielShown = tpl ? v : ''
    el.style.visibility = ''
    // A variant the page no longer carries shows the default, and is no exposure (of either arm).
    if (decided && (tpl || !v)) shown(slot, v, exp)
  }

  // Slots the parser has not finished yet (their variants may still be on their way).
  let pending: HTMLElement[] = []
  const see = (el: HTMLElement, first?: boolean) => {
    if (el.dataset.cielShown != null) return
    if (framework(el)) return standBack(el)
    // The site's CSS rule has shown the default already (this came late): it stays.
    const css = getComputedStyle(el)
    if (css.animationName == 'ciel-wait' && css.visibility == 'visible') return settle(el, null)
    el.style.setProperty('visibility', 'hidden', 'important')
    let n: Node | null = el
    while (n && !n.nextSibling) n = n.parentNode
    if (!n && document.readyState == 'loading') return pending.push(el)
    // The wait counts from when the slot could first be seen: the start of the site's CSS rule's
    // animation (it ends the wait at the same moment); without one (no rule, or its stylesheet is
    // not in yet), the page's first paint for the slots it came with, else now.
    const rule = el.getAnimations?.().find((x) => (x as CSSAnimation).animationName == 'ciel-wait')
    const paint = performance.getEntriesByType?.('paint')[0]
    const now = performance.now()
    const left = wait - (rule ? now - ((rule.startTime as number) ?? now) : first && paint ? now - paint.startTime : 0)
    if ((known && pick(known, el.dataset.cielSlot!)) || left <= 0) return settle(el)
    setTimeout(guard(settle), left, el)
  }
  const more = guard((records: MutationRecord[]) => {
    const p = pending
    pending = []
    p.forEach((el) => see(el))
    for (const r of records)
      for (const n of r.addedNodes as unknown as HTMLElement[])
        if (n.nodeType == 1) {
          if (n.matches(SEL)) see(n)
          n.querySelectorAll<HTMLElement>(SEL).forEach((el) => see(el))
        }
  })

  document.querySelectorAll<HTMLElement>(SEL).forEach((el) => see(el, true))
  // Slots parsed after this ran, or added later by a single-page app: one observer for the page.
  const mo = new MutationObserver(more)
  mo.observe(document.documentElement, { childList: true, subtree: true })
  undo(() => mo.disconnect())
  onDoc('DOMContentLoaded', () => more([]))

  const fill = (a?: Answer, keep?: boolean) => {
    if (!a?.decisions) return
    if (keep)
      try {
        // A first visit's own decision (with its slots left to the worker) never replaces one
        // kept already: that is the worker's, which knows more, or another tab's.
        if (!a.wait || !localStorage.getItem(KEY))
          localStorage.setItem(
            KEY,
            JSON.stringify({ decisions: a.decisions, experiments: a.experiments, wait: a.wait }),
          )
      } catch {}
    // Given again only to be kept (consent came): it filled what it could when it came.
    if (a == landing) return
    // The page's own decision is for the slots it has now (the worker's answer is for any), and
    // for a framework's slot asked after it came.
    if (a.wait) landing = a
    else known = a
    document.querySelectorAll<HTMLElement>(SEL).forEach((el) => a.wait?.includes(el.dataset.cielSlot!) || settle(el, a))
    for (const slot in asked) give(slot, a)
  }
  return Object.assign(fill, {
    on(slot: string, fn: (v: string) => void) {
      ;(asked[slot] ||= []).push(fn)
      give(slot, known || landing)
    },
    seen(slot: string, v: string) {
      give(slot, known || landing)
      const d = given[slot]
      // Once per page, and only for what was decided: a variant the app does not have is not an exposure.
      if (d?.[1] && d[0] === v && !d[3]) {
        d[3] = 1
        shown(slot, v, d[2])
      }
    },
  })
}

/**
 * What watchSlots answers: the function that takes each answer (`keep`: store it for the next
 * page), `on`, which tells `fn` the variant of a slot an app renders itself once decided ('' its
 * default), and `seen`, an app's report that it shows `v` in `slot` (its exposure, once).
 */
export type Slots = ((a?: Answer, keep?: boolean) => void) & {
  on: (slot: string, fn: (v: string) => void) => void
  seen: (slot: string, v: string) => void
}
