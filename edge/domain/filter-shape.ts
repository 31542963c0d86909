/**
 * @module filter-shape: what kind of filter an insight is asked for, as far as choosing a rollup
 * table goes (store/planner.ts). Pure. A coarse table counts by day and device, so it answers
 * everyone and a device; a table that keeps each row's visitor answers new/returning and named
 * segments; the referrer is the source of a session's first pageview in the window, which only
 * rows keeping the session can find.
 */
import type { Filter } from './filters'

export type Shape =
  /** No filter. */
  | 'everyone'
  /** The device alone. */
  | 'device'
  /** New or returning visitors, with a device or not. */
  | 'visitor'
  /** The referrer alone. */
  | 'referrer'
  /** A named segment, or a referrer with anything else. */
  | 'segment'

export const SHAPES: readonly Shape[] = ['everyone', 'device', 'visitor', 'referrer', 'segment']

export function shapeOf(f: Filter): Shape {
  if (f.visitors) return 'segment'
  if (f.referrer) return f.device || f.visitor ? 'segment' : 'referrer'
  if (f.visitor) return 'visitor'
  return f.device ? 'device' : 'everyone'
}
