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
 * later answer may only fill a slot still undecided; what it says is kept for the next page.
 */

import { guard, onDoc, undo } from '../core/guard'

const SEL = '[data-ciel-slot]'
const KEY = 'ciel_d'

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
export function watchSlots(
  wait: number,
  shown: (slot: string, variant: string, exp?: string) => void,
): (a?: Answer, keep?: boolean) => void {
  let known: Answer | null = null
  try {
    known = JSON.parse(localStorage.getItem(KEY)!)
  } catch {}

  /** Fills a slot for good: with what `a` decides (its default when nothing), else the default. */
  const settle = (el: HTMLElement, a = known) => {
    if (el.dataset.cielShown != null) return
    const slot = el.dataset.cielSlot!
    // typeof: a slot named like an object property ('toString') is not decided by it.
    let v = a?.decisions?.[slot]
    const decided = typeof v == 'string'
    let tpl
    if (decided)
      for (const c of el.children as unknown as HTMLTemplateElement[]) if (c.content && c.dataset.variant == v) tpl = c
    if (tpl) {
      for (const n of [...(el.childNodes as unknown as Node[])]) n.nodeName != 'TEMPLATE' && el.removeChild(n)
      el.appendChild(tpl.content.cloneNode(true))
    } else v = ''
    el.dataset.cielShown = v
    el.style.visibility = ''
    if (decided) shown(slot, v!, a!.experiments?.[slot])
  }

  // Slots the parser has not finished yet (their variants may still be on their way).
  let pending: HTMLElement[] = []
  const see = (el: HTMLElement, first?: boolean) => {
    if (el.dataset.cielShown != null) return
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
    if (known || left <= 0) return settle(el)
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
    // The page's own decision is for the slots it has now (the worker's answer is for any).
    if (!a.wait) known = a
    if (keep)
      try {
        localStorage.setItem(KEY, JSON.stringify({ decisions: a.decisions, experiments: a.experiments }))
      } catch {}
    document.querySelectorAll<HTMLElement>(SEL).forEach((el) => a.wait?.includes(el.dataset.cielSlot!) || settle(el, a))
  }
  return fill
}
