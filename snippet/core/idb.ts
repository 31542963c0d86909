/**
 * The outbox's durable store: one IndexedDB database per site, shared by the site's tabs.
 * idb-keyval opens the database (and reopens it if the browser closes it); the three
 * operations are written here on its store so that its default store and old-browser cursor
 * fallback stay out of the bundle. Where IndexedDB is missing or broken the first operation
 * fails and the outbox goes on in memory (see outbox.ts).
 */
import { createStore, promisifyRequest as done } from 'idb-keyval'
import type { Item, OutboxStore } from './outbox'

export function idbStore(site: string): OutboxStore | null {
  try {
    const s = createStore('ciel-' + site, 'outbox')
    return {
      put: (items) => s('readwrite', (st) => (items.forEach((i) => st.put(i, i.e.id)), done(st.transaction))),
      all: () => s('readonly', (st) => done(st.getAll() as IDBRequest<Item[]>)),
      del: (ids) => s('readwrite', (st) => (ids.forEach((id) => st.delete(id)), done(st.transaction))),
    }
  } catch {
    return null
  }
}
