/**
 * Web vitals (LCP, INP, CLS, FCP, TTFB) with the web-vitals package, once per page each, as
 * `vitals` events named after the metric. A lazy chunk: loaded by vitals-soon.ts when idle.
 */
import { onCLS, onFCP, onINP, onLCP, onTTFB, type Metric } from 'web-vitals'
import type { Ctx } from '../contract/context'

export function report(ctx: Ctx) {
  const send = (m: Metric) => ctx.emit('vitals', { value: Math.round(m.value * 1000) / 1000, rating: m.rating }, m.name)
  // Each alone: one that throws (say, the page broke addEventListener) stops no other.
  for (const on of [onLCP, onINP, onCLS, onFCP, onTTFB] as ((f: typeof send) => void)[])
    try {
      on(send)
    } catch {}
}
