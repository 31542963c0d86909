import { afterEach, describe, expect, it, vi } from 'vitest'
import { lease, LEASE_MS } from '../../snippet/core/lease'
import { tabLock } from '../../snippet/core/lock'
import { memoryKv } from '../../snippet/core/kv'

afterEach(() => {
  vi.useRealTimers()
  vi.unstubAllGlobals()
})

describe('cross-tab lock without Web Locks (localStorage lease)', () => {
  it('lets one tab send at a time; the other is told no, then gets its turn', async () => {
    const shared = memoryKv() // localStorage, as both tabs see it
    let release!: () => void
    const first = lease('ciel-outbox-a', shared, 'tab-1', () => new Promise<void>((r) => (release = r)))
    const ran: string[] = []
    expect(await lease('ciel-outbox-a', shared, 'tab-2', async () => void ran.push('tab-2'))).toBe(false)
    release()
    expect(await first).toBe(true)
    expect(await lease('ciel-outbox-a', shared, 'tab-2', async () => void ran.push('tab-2'))).toBe(true)
    expect(ran).toEqual(['tab-2'])
  })

  it('takes over the lease of a tab that died holding it, once the lease ran out', async () => {
    vi.useFakeTimers()
    const shared = memoryKv()
    shared.set('ciel-outbox-a', `dead-tab ${Date.now() + LEASE_MS}`)
    const run = vi.fn(async () => {})
    expect(await lease('ciel-outbox-a', shared, 'tab-2', run)).toBe(false)
    vi.advanceTimersByTime(LEASE_MS + 1)
    expect(await lease('ciel-outbox-a', shared, 'tab-2', run)).toBe(true)
    expect(run).toHaveBeenCalledTimes(1)
    expect(shared.get('ciel-outbox-a')).toBeNull() // released
  })

  it('a page that goes away mid-send (unloaded, or frozen in the back/forward cache) lets go: the next page sends at once, not 30 s later', async () => {
    const shared = memoryKv()
    // Its request never comes back: the page is gone (or frozen) before it does.
    void lease('ciel-outbox-a', shared, 'page-1', () => new Promise<void>(() => {}))
    expect(await lease('ciel-outbox-a', shared, 'page-2', async () => {})).toBe(false) // held while it is open
    window.dispatchEvent(Object.assign(new Event('pagehide'), { persisted: true }))
    const run = vi.fn(async () => {})
    expect(await lease('ciel-outbox-a', shared, 'page-2', run)).toBe(true)
    expect(run).toHaveBeenCalledTimes(1)
  })

  it('releases the lease when the send throws', async () => {
    const shared = memoryKv()
    await expect(lease('l', shared, 'tab-1', async () => Promise.reject(new Error('offline')))).rejects.toThrow()
    expect(await lease('l', shared, 'tab-2', async () => {})).toBe(true)
  })

  it('is what tabLock uses in a browser without navigator.locks', async () => {
    vi.stubGlobal('navigator', { ...navigator, locks: undefined })
    const shared = memoryKv()
    const a = tabLock('ciel-outbox-a', shared)
    const b = tabLock('ciel-outbox-a', shared)
    let release!: () => void
    const first = a(() => new Promise<void>((r) => (release = r)))
    await vi.waitFor(() => expect(shared.get('ciel-outbox-a')).not.toBeNull())
    expect(await b(async () => {})).toBe(false)
    release()
    expect(await first).toBe(true)
  })
})
