/**
 * @module dashboard/drafts: the state of a config form (funnels, segments, slots): a list of
 * drafts changed by copy, so each change renders and a refused save keeps what was typed.
 */
import { useState } from 'preact/hooks'

/** The drafts, and `set`, which changes a copy of them in place. */
export function useDrafts<D>(init: () => D[]): [D[], (f: (d: D[]) => void) => void] {
  const [drafts, setDrafts] = useState<D[]>(init)
  const set = (f: (d: D[]) => void) =>
    setDrafts((prev) => {
      const next: D[] = JSON.parse(JSON.stringify(prev))
      f(next)
      return next
    })
  return [drafts, set]
}

/** Moves item i of a list by `by` places (in place). */
export const move = <T>(list: T[], i: number, by: number) => list.splice(i + by, 0, ...list.splice(i, 1))
