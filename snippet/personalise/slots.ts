/**
 * Applies the worker's decisions to the page's slots. The page carries its own variants as
 * <template data-variant>, so no markup travels over the network and nothing is parsed from
 * strings: the chosen template's content is cloned in place of the default.
 * Records a `slot_shown` event for each slot it changes (what each visitor was shown), and
 * returns them.
 */
export function applyDecisions(
  decisions: { [slot: string]: string } | undefined,
  emit?: (type: string, props: { slot: string; variant: string }) => void,
): [string, string][] {
  const changed: [string, string][] = []
  for (const el of document.querySelectorAll<HTMLElement>('[data-ciel-slot]')) {
    const slot = el.dataset.cielSlot!
    const v = decisions?.[slot]
    if (!v || el.dataset.cielShown === v) continue
    const tpl = Array.from(el.children).find(
      (c): c is HTMLTemplateElement => c instanceof HTMLTemplateElement && c.dataset.variant === v,
    )
    if (!tpl) continue
    for (const n of Array.from(el.childNodes)) if (!(n instanceof HTMLTemplateElement)) n.remove()
    el.append(tpl.content.cloneNode(true))
    el.dataset.cielShown = v
    changed.push([slot, v])
    emit?.('slot_shown', { slot, variant: v })
  }
  return changed
}
