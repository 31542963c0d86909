/**
 * Capture that starts with the core: pageviews, needed at once. The rest (clicks, errors, forms,
 * stalls, vitals, and through it rage and dead clicks) is capture/later.ts, a lazy chunk that the
 * core imports as soon as it starts. Each module exports init(ctx); see contract/context.ts.
 */
import type { Capture, Ctx } from '../contract/context'
import type { WireEvent } from '../contract/wire'
import { guard, on, onDoc } from '../core/guard'
import type { Early } from './later'
import { countMoves, moves } from './moves'
import { init as navigation } from './navigation'

/** Imports capture/later.ts and keeps, until it has arrived, what it would have seen. */
function later(ctx: Ctx) {
  let early: Early[] | 0 = []
  countMoves()
  // At most 100: if the chunk never arrives (offline, blocked), this stops growing. A click
  // keeps the count of the page's scrolls and selection changes: what answered it is told later.
  const keep = (e: Event | WireEvent) => early && early.length < 100 && early.push([e, Date.now(), moves()])
  for (const t of ['click', 'input', 'change', 'submit']) onDoc(t, keep)
  for (const t of ['error', 'unhandledrejection']) on(t, keep)
  ctx.listen(keep)
  import('./later').then(
    guard((m: typeof import('./later')) => {
      const e = early || []
      early = 0
      m.init(ctx, e)
    }),
    () => (early = 0),
  )
}

// later first: it keeps what the others record from the start.
export const captures: Capture[] = [later, navigation]
