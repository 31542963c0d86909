/** @module dashboard/i18n/nodes: a message whose `{name}`s are elements (a code sample, a site's own name). */
import type { ComponentChild } from 'preact'
import { formatLocale, type Key, t } from '../i18n'

/**
 * The message `key` in the language shown, each `{name}` of `nodes` put in as the element given:
 * the words are translated, a `<code>` or a `<bdi>` of the site's own text is not.
 */
export function tx(key: Key, nodes: Record<string, ComponentChild>, params: Record<string, string | number> = {}) {
  return t(key, params)
    .split(/\{(\w+)\}/)
    .map((part, i) => (i % 2 ? (part in nodes ? nodes[part] : `{${part}}`) : part))
}

/** Items as a list in the language shown ("a, b and c", "a، b و c"), each kept as the element given. */
export function listOf(items: ComponentChild[]): ComponentChild[] {
  let i = 0
  return new Intl.ListFormat(formatLocale(), { type: 'conjunction' })
    .formatToParts(items.map((_, k) => String(k)))
    .map((p) => (p.type === 'element' ? items[i++] : p.value))
}
