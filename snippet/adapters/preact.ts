/**
 * @module ciel/preact: `useSlot` for Preact 11 (tested; 10 has the same hooks). The server and the
 * first client render get undefined (render the default, hidden by the CSS rule: no hydration
 * mismatch); the decision comes in a layout effect, before the browser paints when it is known on
 * the device. Preact is the app's own (a peer import), never bundled.
 */
import { useEffect, useLayoutEffect, useState } from 'preact/hooks'
import { onSlot, shown, type SlotOptions } from '../index'

/** The variant to show in `slot` ('' its default), undefined while undecided; its exposure is recorded once shown. */
export function useSlot(slot: string, o?: SlotOptions): string | undefined {
  const [v, set] = useState<string | undefined>(undefined)
  useLayoutEffect(() => onSlot(slot, set, o), [slot])
  useEffect(() => {
    if (v !== undefined) shown(slot, v)
  }, [slot, v])
  return v
}
