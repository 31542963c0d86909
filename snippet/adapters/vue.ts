/**
 * @module ciel/vue: `useSlot`, a composable for Vue 3. Undefined on the server and until the
 * component is mounted (render the default, hidden by the CSS rule: no hydration mismatch); the
 * decision comes on mount. Vue is the app's own (a peer import), never bundled.
 */
import { onMounted, onUnmounted, ref, watch, type Ref } from 'vue'
import { onSlot, shown, type SlotOptions } from '../index'

/** The variant to show in `slot` ('' its default), undefined while undecided; its exposure is recorded once shown. */
export function useSlot(slot: string, o?: SlotOptions): Ref<string | undefined> {
  const v = ref<string>()
  let off = () => {}
  onMounted(() => (off = onSlot(slot, (x) => (v.value = x), o)))
  onUnmounted(() => off())
  watch(v, (x) => x !== undefined && shown(slot, x), { flush: 'post' })
  return v
}
