/**
 * Topics: what a page, or a part of it, is about. From <meta name="ciel:topics">, the
 * config's URL prefixes, and data-ciel-topic on sections (for a click: its nearest; for the
 * page: all of them). Lower-case, trimmed, deduplicated, at most 10.
 */
import type { Ctx } from '../contract/context'

export function topics(ctx: Ctx, el?: Element | null): string[] {
  const t: string[] = []
  const add = (s?: string | null) => s && t.push(...s.split(','))
  add(document.querySelector<HTMLMetaElement>('meta[name="ciel:topics"]')?.content)
  const map = ctx.config.capture?.topics || {}
  // String(): a list gives "a,b", and junk from a config cannot throw.
  for (const prefix in map) if (location.pathname.startsWith(prefix)) add(String(map[prefix]))
  // A click: the nearest section's topics; the page: every section's.
  const sections = el
    ? [el.closest<HTMLElement>('[data-ciel-topic]')]
    : document.querySelectorAll<HTMLElement>('[data-ciel-topic]')
  sections.forEach((s) => add(s?.dataset.cielTopic))
  return [...new Set(t.map((s) => s.trim().toLowerCase()).filter(Boolean))].slice(0, 10)
}
