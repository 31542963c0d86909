/**
 * @module capture/later: the capture that can start a moment after the core (errors, forms,
 * rage and dead clicks, stalls, web vitals): a lazy chunk the core imports as soon as it starts,
 * which keeps the core small. Until it arrives the core keeps what it would have seen (see
 * `early` in index.ts): those DOM events and recorded events are replayed to it, in order, with
 * the time each happened, so an error thrown or a step recorded meanwhile is not lost. A click
 * replayed counts for rage and error clicks, never for a dead click (the page may have answered
 * it before the chunk was there to look).
 */
import type { Ctx } from '../core/context'
import type { WireEvent } from '../core/wire'
import { guard } from '../core/guard'
import { live, type Handler, type Watch } from './watch'
import { init as errors } from './errors'
import { init as forms } from './forms'
import { init as friction } from './friction'
import { init as stall } from './stall'
import { init as vitals } from './vitals-soon'

/** A DOM event or a recorded event, and when it happened. */
export type Early = [Event | WireEvent, number]

export function init(ctx: Ctx, early: Early[]) {
  const dom: { [type: string]: Handler[] } = {}
  const bus: Handler[] = []
  // Reads go through to ctx (its config is replaced when it arrives); listen also keeps the handler.
  const c: Ctx = Object.create(ctx)
  c.listen = (fn) => (bus.push(fn), ctx.listen(fn))
  const watch: Watch = (type, fn, win) => {
    ;(dom[type] = dom[type] || []).push(fn)
    live(type, fn, win)
  }
  // stall and forms listen for events of the others, so they start first.
  for (const start of [stall, forms, friction, errors, vitals]) guard(start)(c, watch)
  for (const [e, at] of early) for (const fn of e instanceof Event ? dom[e.type] || [] : bus) guard(fn)(e, at, 1)
}
