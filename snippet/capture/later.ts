/**
 * @module capture/later: the capture that can start a moment after the core (clicks, rage and
 * dead clicks, errors, forms, stalls, web vitals): one lazy chunk the core imports as soon as it
 * starts, which keeps the core small (one chunk, not two: each module a page fetches costs its
 * main thread a few milliseconds of the browser's own work, README "The main thread"). Until it arrives the core keeps what
 * it would have seen (see `early` in index.ts): those DOM events and recorded events are replayed
 * to it, in order, with the time each happened, so a click, an error thrown or a step recorded
 * meanwhile is not lost (a replayed click is described as it is when replayed). A click replayed
 * counts for rage clicks (judged on the scrolls and selection changes the core counted: a DOM
 * change before the chunk arrived goes unseen) and error clicks, never for a dead click (the page
 * may have answered it before the chunk was there to look).
 */
import type { Ctx } from '../contract/context'
import type { WireEvent } from '../contract/wire'
import { guard } from '../core/guard'
import { live, type Handler, type Watch } from './watch'
import { init as clicks } from './clicks'
import { init as errors } from './errors'
import { init as forms } from './forms'
import { init as friction } from './friction'
import { init as stall } from './stall'
import { init as vitals } from './vitals-soon'

/** A DOM event or a recorded event, when it happened, and the page's scrolls and selection changes by then. */
export type Early = [Event | WireEvent, number, number?]

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
  for (const start of [stall, forms, clicks, friction, errors, vitals]) guard(start)(c, watch)
  for (const [e, at, moved] of early)
    for (const fn of e instanceof Event ? dom[e.type] || [] : bus) guard(fn)(e, at, 1, moved)
}
