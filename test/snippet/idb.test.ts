/**
 * The outbox's IndexedDB store (fake-indexeddb): one record per write, so a burst of events costs
 * the page one storage round trip, not one per event; deletes keep every event not acknowledged.
 */
import 'fake-indexeddb/auto'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createStore, promisifyRequest } from 'idb-keyval'
import { idbStore } from '../../snippet/core/idb'
import type { Item } from '../../snippet/core/outbox'

let n = 0
const site = () => `idb${++n}`
const item = (id: string): Item => ({ e: { id, type: 'click', ts: 1, url: 'https://shop.example/' }, v: 'v1', s: 's1' })
const ids = (items: Item[]) => items.map((i) => i.e.id).sort()
/** The records as stored, whatever their shape. */
const records = (name: string) =>
  createStore('ciel-' + name, 'outbox')('readonly', (st) => promisifyRequest(st.getAll()))

afterEach(() => vi.restoreAllMocks())

describe('the outbox in IndexedDB', () => {
  it('writes twenty events recorded together with one put, and reads them all back', async () => {
    const name = site()
    const store = idbStore(name)!
    const put = vi.spyOn(IDBObjectStore.prototype, 'put')
    await store.put(Array.from({ length: 20 }, (_, i) => item(`a${String(i).padStart(2, '0')}`)))
    expect(put).toHaveBeenCalledTimes(1)
    expect(await records(name)).toHaveLength(1)
    expect(ids(await store.all())).toHaveLength(20)
  })

  it('deletes acknowledged events and keeps the others of their record; an emptied record goes', async () => {
    const name = site()
    const store = idbStore(name)!
    await store.put([item('a1'), item('a2'), item('a3')])
    await store.put([item('b1')])
    await store.del(['a1', 'a3', 'b1'])
    expect(ids(await store.all())).toEqual(['a2'])
    expect(await records(name)).toHaveLength(1)
    await store.del(['a2', 'nothing'])
    expect(await store.all()).toEqual([])
    expect(await records(name)).toHaveLength(0)
  })

  it('two tabs deleting different events of one record at once lose neither deletion', async () => {
    const name = site()
    const [one, two] = [idbStore(name)!, idbStore(name)!]
    await one.put([item('a1'), item('a2'), item('a3')])
    await Promise.all([one.del(['a1']), two.del(['a3'])])
    expect(ids(await two.all())).toEqual(['a2'])
  })

  it('commits each transaction as soon as its requests are made: WebKit may freeze the page before it would commit by itself', async () => {
    const store = idbStore(site())!
    const commit = vi.spyOn(IDBTransaction.prototype, 'commit')
    await store.put([item('a1'), item('a2')])
    await store.all()
    await store.del(['a1'])
    expect(commit).toHaveBeenCalledTimes(3)
    expect(ids(await store.all())).toEqual(['a2'])
  })

  it('reads and deletes the one-event records an older snippet left on the device', async () => {
    const name = site()
    const old = createStore('ciel-' + name, 'outbox')
    await old(
      'readwrite',
      (st) => (st.put(item('o1'), 'o1'), st.put(item('o2'), 'o2'), promisifyRequest(st.transaction)),
    )
    const store = idbStore(name)!
    await store.put([item('p1'), item('p2')])
    expect(ids(await store.all())).toEqual(['o1', 'o2', 'p1', 'p2'])
    await store.del(['o1', 'p2'])
    expect(ids(await store.all())).toEqual(['o2', 'p1'])
  })
})
