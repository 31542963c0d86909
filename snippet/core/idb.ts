/**
 * The outbox's durable store: one IndexedDB database per site, shared by the site's tabs.
 * idb-keyval opens the database (and reopens it if the browser closes it); the three
 * operations are written here on its store so that its default store and old-browser cursor
 * fallback stay out of the bundle. Where IndexedDB is missing or broken the first operation
 * fails and the outbox goes on in memory (see outbox.ts).
 *
 * One record per write, not per event: a record is the list of items written together (its key
 * the first one's id). Each `put` is a round trip to the browser's storage process that costs
 * the page's main thread about as much for one event as for fifty (README, "The main thread").
 * A delete rewrites the records that still hold other events, in one transaction (atomic against
 * the other tabs). Records of one event each (an older snippet's) are read and deleted alike.
 *
 * Each transaction is committed as soon as its last request is made (`commit()`, where the
 * browser has it): WebKit can freeze a page into the back/forward cache before a transaction
 * commits by itself, and one left open there locks the store for every later page of the site
 * (a readonly one too). Where commit() is missing, the outbox begins none as the page is frozen.
 */
import { createStore, promisifyRequest as done } from 'idb-keyval'
import type { Item, OutboxStore } from './outbox'

/** A record's items: a list, or one item (written by an older snippet). */
const items = (v: Item | Item[]): Item[] => ([] as Item[]).concat(v)
/** Commits now, where the browser can (Chrome 76, Firefox 74, Safari 15); answers the transaction's outcome. */
const commit = (st: IDBObjectStore) => {
  const tx = st.transaction
  tx.commit?.()
  return done(tx)
}

export function idbStore(site: string): OutboxStore | null {
  try {
    const s = createStore('ciel-' + site, 'outbox')
    return {
      put: (list) => s('readwrite', (st) => (st.put(list, list[0]!.e.id), commit(st))),
      // concat flattens each record: a list's items, or an older snippet's one item as it is.
      all: () =>
        s('readonly', (st) => {
          const r = st.getAll()
          return commit(st).then(() => ([] as Item[]).concat(...r.result))
        }),
      del: (ids) =>
        s('readwrite', (st) => {
          const gone = new Set(ids)
          // Two reads, then the writes, all in one go: no round trip per record.
          const keys = st.getAllKeys()
          const all = st.getAll()
          const tx = st.transaction
          all.onsuccess = () => {
            all.result.forEach((v, i) => {
              const was = items(v)
              const left = was.filter((it) => !gone.has(it.e.id))
              if (!left.length) st.delete(keys.result[i]!)
              else if (left.length < was.length) st.put(left, keys.result[i])
            })
            tx.commit?.()
          }
          return done(tx)
        }),
    }
  } catch {
    return null
  }
}
