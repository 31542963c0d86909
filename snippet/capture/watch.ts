/**
 * How the capture modules of the lazy chunk (later.ts) listen to the page: like on()/onDoc(),
 * and also for the replay of what happened before the chunk arrived. A handler gets the event,
 * when it happened (ms since the epoch; now, unless replayed) and, in a replay, `late` and the count of scrolls and selection changes at the time (moves.ts).
 */
import { on, onDoc } from '../core/guard'

export type Handler = (e: any, at?: number, late?: 1, moved?: number) => unknown

/** Listens to `type` on the document (capture phase), or on window with `win`. */
export type Watch = (type: string, fn: Handler, win?: 1) => void

/** Live events only: what a module started alone (a test) uses. */
export const live: Watch = (type, fn, win) => (win ? on : onDoc)(type, fn)
