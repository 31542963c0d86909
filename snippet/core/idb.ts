/**
 * The outbox's durable store: one IndexedDB database per site (idb-keyval), shared by the
 * site's tabs. Returns null where IndexedDB is missing; failures later make the outbox fall
 * back to memory (see outbox.ts).
 */
import { createStore, delMany, setMany, values } from 'idb-keyval'
import type { Item, OutboxStore } from './outbox'

export function idbStore(site: string): OutboxStore | null {
  try {
    if (typeof indexedDB === 'undefined' || !indexedDB) return null
    const s = createStore('ciel-' + site, 'outbox')
    return {
      put: (items) => setMany(items.map((i) => [i.e.id, i]), s),
      all: () => values<Item>(s),
      del: (ids) => delMany(ids, s),
    }
  } catch {
    return null
  }
}
