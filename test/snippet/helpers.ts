/** Fakes for snippet tests: a worker that records what reaches it. */
import { vi } from 'vitest'
import type { Batch } from '../../snippet/core/wire'

/** Replaces fetch with a worker that acknowledges every batch; returns the batches it saw. */
export function stubWorker(status = 200) {
  const batches: Batch[] = []
  const urls: string[] = []
  const fetch = vi.fn(async (url: string | URL, init?: RequestInit) => {
    urls.push(String(url))
    const b = JSON.parse(String(init?.body)) as Batch
    batches.push(b)
    return new Response(JSON.stringify({ accepted: b.events.length, duplicates: 0, decisions: {}, surveys: [] }), { status })
  })
  vi.stubGlobal('fetch', fetch)
  return { batches, urls, fetch, events: () => batches.flatMap((b) => b.events) }
}

/** A fresh page: empty storage, a known URL and title. */
export function freshPage(url = '/pricing?plan=pro#top') {
  localStorage.clear()
  sessionStorage.clear()
  history.replaceState(null, '', url)
  document.title = 'Pricing'
}
