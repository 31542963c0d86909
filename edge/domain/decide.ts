/**
 * @module decide: picks each slot's variant from the visitor's interests. Pure.
 * A slot whose rules match none of the visitor's interests is left out, so the page keeps its
 * default content.
 */
import type { SiteConfig } from '../../snippet/core/wire'

export type Interests = { [topic: string]: number }

export function decide(config: SiteConfig, interests: Interests): { [slot: string]: string } {
  const ranked = Object.entries(interests)
    .filter(([, s]) => s > 0)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
  const out: { [slot: string]: string } = {}
  for (const slot of config.slots ?? []) {
    const rules = slot.byInterest ?? {}
    const hit = ranked.find(([topic]) => Object.prototype.hasOwnProperty.call(rules, topic))
    if (hit) out[slot.id] = rules[hit[0]]!
  }
  return out
}
