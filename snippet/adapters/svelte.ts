/**
 * @module ciel/svelte: `slot`, a store for Svelte 5 (tested; 4 has the same stores). Undefined on
 * the server and until a component subscribes in the browser (render the default, hidden by the
 * CSS rule: no hydration mismatch). Svelte is the app's own (a peer import), never bundled.
 */
import { tick } from 'svelte'
import { readable, type Readable } from 'svelte/store'
import { onSlot, shown, type SlotOptions } from '../index'

/** The variant to show in `name` ('' its default), undefined while undecided; its exposure is recorded once shown. */
export const slot = (name: string, o?: SlotOptions): Readable<string | undefined> =>
  readable<string | undefined>(undefined, (set) =>
    onSlot(
      name,
      (v) => {
        set(v)
        void tick().then(() => shown(name, v))
      },
      o,
    ),
  )
