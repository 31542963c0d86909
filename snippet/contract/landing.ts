/**
 * A first visit's slots, decided in the page the moment the config arrives: no request after the
 * core's, so the decision fits the slot's wait even on a phone's network. The config carries, per
 * slot, the worker's rules folded over a first visit (edge/domain/landing.ts); this reads the
 * landing context as the worker reads a first pageview (profile.ts `entryOf`, interests.ts
 * `pathTopics`, device.ts), so both decide alike (test/edge/landing.test.ts). Nothing is sent:
 * it works the same whatever consent allows. Pure (the core passes the page's URL, referrer and
 * user agent).
 */
import type { SegmentRule, SiteConfig } from './wire'
import { deviceClass } from './device'

type Value = string | number | undefined

/**
 * What a page decides of its slots on a first visit: `decisions` (slot → variant; any other slot
 * shows its default, as in the worker's answers), but the slots in `wait`, which only the worker
 * can decide. Nothing without the config's slots (it did not load).
 */
export function firstDecisions(
  config: SiteConfig,
  url: string,
  referrer: string,
  userAgent: string,
): { decisions: { [slot: string]: string }; wait: string[] } | undefined {
  if (!config.slots) return
  const out: { [slot: string]: string } = {}
  const wait: string[] = []
  const u = new URL(url)
  const path = u.pathname
  const page: { [field: string]: Value } = { 'entry.path': path.slice(0, 200), device: deviceClass(userAgent) }
  for (const k of ['source', 'medium', 'campaign'])
    page['entry.' + k] =
      u.searchParams
        .get('utm_' + k)
        ?.slice(0, 100)
        .toLowerCase() || undefined
  try {
    if (referrer) page['entry.referrer'] = new URL(referrer).hostname.replace(/^www\./, '').slice(0, 100)
  } catch {}
  // The landing page's topics: the config's URL prefixes (what the page says of itself comes later).
  const map = config.capture?.topics || {}
  const topics = new Set<string>()
  for (const prefix in map) if (path.startsWith(prefix)) for (const t of map[prefix]!) topics.add(t.toLowerCase())
  const mine = [...topics].slice(0, 10)
  // Each weighs the same on a first visit: the strongest is the first by name.
  for (const t of mine) page['interests.' + t] = 1
  page.topInterest = mine.sort()[0]

  const test = (r: any): boolean =>
    r.all ? r.all.every(test) : r.any ? r.any.some(test) : r.not ? !test(r.not) : is(page[r.field], r.op, r.value)
  for (const s of config.slots) {
    // None: a config from a worker that does not fold rules for pages.
    const hit = s.first ? s.first.find((f) => !f.when || test(f.when as SegmentRule)) : { variant: null }
    // null: the worker's to decide (an experiment's arm, the country...): left waiting.
    if (hit?.variant === null) wait.push(s.id)
    else if (hit) out[s.id] = hit.variant
  }
  return { decisions: out, wait }
}

/** A condition, as the worker's `compare` (edge/domain/segments.ts) reads a string field. */
const is = (x: Value, op: string, want: any): boolean =>
  op == 'exists'
    ? (x !== undefined && x !== '') === (want ?? true)
    : op == 'ne'
      ? x !== want
      : op == 'in'
        ? x !== undefined && want.includes(x)
        : op == 'contains'
          ? typeof x == 'string' && x.toLowerCase().includes(String(want).toLowerCase())
          : op == 'eq' && x === want
