/** Fakes for snippet tests: a worker that records what reaches it. */
import { vi } from 'vitest'
import type { Batch, SiteConfig } from '../../snippet/core/wire'

/**
 * Replaces fetch with a worker that serves `config` and acknowledges every batch; returns what
 * it saw. `urls` lists the batch requests only; `requests` every request.
 */
export function stubWorker(config: SiteConfig = {}, status = 200) {
  const batches: Batch[] = []
  const urls: string[] = []
  const requests: string[] = []
  const fetch = vi.fn(async (url: string | URL, init?: RequestInit) => {
    requests.push(String(url))
    if (String(url).includes('/v1/config')) return new Response(JSON.stringify(config))
    urls.push(String(url))
    const b = JSON.parse(String(init?.body)) as Batch
    batches.push(b)
    return new Response(JSON.stringify({ accepted: b.events.length, duplicates: 0, decisions: {}, surveys: [] }), {
      status,
    })
  })
  vi.stubGlobal('fetch', fetch)
  return { batches, urls, requests, fetch, events: () => batches.flatMap((b) => b.events) }
}

/** A fresh page: empty storage, a known URL and title. */
export function freshPage(url = '/pricing?plan=pro#top') {
  localStorage.clear()
  sessionStorage.clear()
  history.replaceState(null, '', url)
  document.title = 'Pricing'
}

/**
 * Waits for a condition of a page running the real core (which sends after a 1 s batching
 * delay). Generous, because a loaded machine (CI runs the browser tests alongside) is slow;
 * a condition that never holds still fails.
 */
export const eventually = (check: () => void, timeout = 10_000) => vi.waitFor(check, { timeout, interval: 20 })
