/**
 * @module ciel/react: `useSlot` for React 19 (tested; 18 has the same hooks). The server and the
 * first client render get undefined (render the default, hidden by the CSS rule: no hydration
 * mismatch); the decision comes in a layout effect, before the browser paints when it is known on
 * the device. React is the app's own (a peer import), never bundled.
 */
import { useEffect, useLayoutEffect, useState } from 'react'
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
