/** Fakes for snippet tests: a worker that records what reaches it. */
import { afterEach, vi } from 'vitest'
import type { Batch, SiteConfig } from '../../snippet/contract/wire'
import { start as startCore, type Started, type StartOptions } from '../../snippet/core/index'

/** Cores started by the current test: each is stopped after it, so none records into the next. */
const running: Started[] = []
afterEach(() => running.splice(0).forEach((core) => core.stop()))

/** Stops `core` after the test (for a core from a module imported afresh). */
export const stopAfter = <T extends Started>(core: T): T => (running.push(core), core)

/** The core's start(), stopped after the test. */
export const start = (o: StartOptions) => stopAfter(startCore(o))

/**
 * Replaces fetch with a worker that serves `config`, decides nothing and acknowledges every
 * batch; returns what it saw. `urls` lists the batch requests only; `requests` every request.
 */
export function stubWorker(config: SiteConfig = {}, status = 200) {
  const batches: Batch[] = []
  const urls: string[] = []
  const requests: string[] = []
  const fetch = vi.fn(async (url: string | URL, init?: RequestInit) => {
    requests.push(String(url))
    if (String(url).includes('/v1/config')) return new Response(JSON.stringify(config))
    if (String(url).includes('/v1/decide')) return new Response('{"decisions":{}}')
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

/**
 * A worker for one page (its site): what the page asked of it, in order, and the events it
 * acknowledged. Pages of earlier tests live on (their retries, their timers): their requests
 * are answered without decisions and left out, or they would fill this page's slots and crowd
 * its log. While `fail` is set, this page's batches are recorded in `tried` and answered by it
 * (throw: a network error). Beacons reach it too.
 */
export function pageWorker(site: string, config: SiteConfig = {}) {
  const requests: string[] = []
  const tried: string[] = []
  const events: Batch['events'] = []
  const w = { requests, tried, events: () => events, fail: null as null | (() => Response) }
  const fetch = vi.fn(async (url: string | URL, init?: RequestInit) => {
    const u = String(url)
    const body = u.includes('/v1/config')
      ? { site: new URL(u).searchParams.get('site') }
      : JSON.parse(String(init?.body))
    if (body.site !== site) return new Response('{"accepted":0,"duplicates":0}')
    requests.push(u)
    if (u.includes('/v1/config')) return new Response(JSON.stringify(config))
    if (u.includes('/v1/decide')) return new Response('{"decisions":{}}')
    if (w.fail) {
      tried.push(String(init?.body))
      return w.fail()
    }
    events.push(...(body as Batch).events)
    return new Response(JSON.stringify({ accepted: body.events.length, duplicates: 0, decisions: {}, surveys: [] }))
  })
  vi.stubGlobal('fetch', fetch)
  // The browser's beacon queue: it takes the batch and delivers it to this worker, or fails to.
  vi.spyOn(navigator, 'sendBeacon').mockImplementation((url, body) => {
    fetch(String(url), { method: 'POST', body: body as string }).catch(() => {})
    return true
  })
  return w
}
