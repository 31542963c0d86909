/**
 * Scrolls (of the page or of any element: carousels) and selection changes (a double or triple
 * click selecting text): answers a page gives a click without changing the DOM. The core counts
 * them from its start, so that the clicks it keeps before the friction chunk arrives carry the
 * count at their time, and rage clicks can be judged on them when they are replayed (CI once
 * saw a triple click on text, made before the chunk arrived, reported as rage).
 */
import { on, onDoc, undo } from '../core/guard'

let n = -1

/** How many scrolls and selection changes since counting started. */
export const moves = () => n

/** Starts counting; once, whoever asks first (the core, or the friction chunk alone in a test). */
export function countMoves() {
  if (n < 0) {
    n = 0
    const tick = () => void n++
    on('scroll', tick, window, true) // capture: element scrolls do not bubble
    onDoc('selectionchange', tick)
    undo(() => (n = -1)) // stopped: the next core counts again
  }
}
