import 'fake-indexeddb/auto'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { identify, load, onSlot, reset, shown, slot, step, track } from '../../snippet/index'
import { eventually, freshPage, start, stubWorker } from './helpers'

beforeEach(() => {
  delete (window as any).ciel
  document.head.innerHTML = ''
})
afterEach(() => {
  vi.useRealTimers()
  vi.restoreAllMocks()
  vi.unstubAllGlobals()
})

describe('ES module for bundler users', () => {
  it('queues calls made before the script has loaded, like the tag stub', () => {
    track('signup_started', { plan: 'pro' })
    step('onboarding', 'account')
    identify('u-1')
    identify('u-2', { role: 'admin' }, 'c0ffee')
    reset()
    expect((window as any).ciel.q).toEqual([
      ['track', 'signup_started', { plan: 'pro' }],
      ['step', 'onboarding', 'account'],
      ['identify', 'u-1', undefined, undefined],
      ['identify', 'u-2', { role: 'admin' }, 'c0ffee'],
      ['reset'],
    ])
  })

  it('goes through the loaded ciel once it has taken over', () => {
    const seen: unknown[][] = []
    ;(window as any).ciel = (...a: unknown[]) => seen.push(a)
    track('x')
    expect(seen).toEqual([['track', 'x', undefined]])
  })

  it('adds the loader script once, with the site key and consent mode', () => {
    load({ site: 'acme', host: 'https://edge.example/', consent: 'opt-in' })
    load({ site: 'acme', host: 'https://edge.example/' })
    const scripts = document.querySelectorAll('script')
    expect(scripts).toHaveLength(1)
    expect(scripts[0]!.src).toBe('https://edge.example/s.js')
    expect(scripts[0]!.dataset.site).toBe('acme')
    expect(scripts[0]!.dataset.consent).toBe('opt-in')
  })

  it('gives an app the variant a returning visitor was decided, at once, and the same to every component', () => {
    localStorage.setItem('ciel_d', JSON.stringify({ decisions: { hero: 'pricing' } }))
    expect(slot('hero')).toBe('pricing')
    const got: string[] = []
    onSlot('hero', (v) => got.push(v))
    // The device changes (a later answer): this page keeps what it showed.
    localStorage.setItem('ciel_d', JSON.stringify({ decisions: { hero: 'integrations' } }))
    onSlot('hero', (v) => got.push(v))
    expect(got).toEqual(['pricing', 'pricing'])
    // A slot the kept answer leaves out: its default.
    expect(slot('plan-cta')).toBe('')
    localStorage.clear()
  })

  it('gives an app at once what the first page decided itself, and leaves to ciel a slot that page left to the worker', () => {
    // What a first visit's page keeps before the worker has answered: its experiment's slot waits.
    localStorage.setItem('ciel_d', JSON.stringify({ decisions: { banner: 'news' }, wait: ['trial-cta'] }))
    expect(slot('banner')).toBe('news')
    const got: string[] = []
    onSlot('trial-cta', (v) => got.push(v))
    expect(got).toEqual([])
    const asked = ((window as any).ciel.q as unknown[][]).find((a) => a[0] === 'slot' && a[1] === 'trial-cta')!
    ;(asked[2] as (v: string) => void)('trial')
    expect(got).toEqual(['trial'])
    localStorage.clear()
  })

  it('on a first visit asks ciel, shows its default after the wait when no decision comes, and the default when the app lacks the variant', () => {
    vi.useFakeTimers()
    const got: string[] = []
    onSlot('late', (v) => got.push('late:' + v), { wait: 500 })
    onSlot('gone', (v) => got.push('gone:' + v), { variants: ['pricing'] })
    const q = (window as any).ciel.q as unknown[][]
    expect(q.map((a) => a.slice(0, 2))).toEqual([
      ['slot', 'late'],
      ['slot', 'gone'],
    ])
    // The core decides 'gone' as a variant this app no longer has.
    ;(q[1]![2] as (v: string) => void)('walkthrough')
    expect(got).toEqual(['gone:'])
    vi.advanceTimersByTime(500)
    expect(got).toEqual(['gone:', 'late:'])
    // A decision after the wait changes nothing.
    ;(q[0]![2] as (v: string) => void)('pricing')
    expect(got).toEqual(['gone:', 'late:'])
    shown('gone', '')
    expect(q[2]).toEqual(['shown', 'gone', ''])
    vi.useRealTimers()
  })

  it("waits for a decision as long as the tag's data-wait says, as the page's slots do", () => {
    vi.useFakeTimers()
    // The tag as the page has it (inserted as HTML: not run).
    document.head.innerHTML = '<script async src="https://edge.example/s.js" data-site="acme" data-wait="800"></script>'
    const got: string[] = []
    onSlot('slow', (v) => got.push(v))
    vi.advanceTimersByTime(300)
    expect(got).toEqual([])
    vi.advanceTimersByTime(500)
    expect(got).toEqual([''])
    vi.useRealTimers()
  })

  it('on a first visit, gives a component that asks after the landing page decided that decision at once, and records it shown once', async () => {
    freshPage('/?utm_source=newsletter')
    // A slot the script fills itself (the sign the landing has decided) and one the app renders.
    document.body.innerHTML =
      '<aside data-ciel-slot="note"><template data-variant="news"><p>Thanks for reading</p></template><p>Hello</p></aside>' +
      '<div data-ciel-framework><section data-ciel-slot="cta"><h1>Default</h1></section></div>'
    const news = { field: 'entry.source', op: 'eq' as const, value: 'newsletter' }
    const config = {
      slots: [
        { id: 'note', first: [{ when: news, variant: 'news' }] },
        { id: 'cta', first: [{ when: news, variant: 'trial' }] },
      ],
    }
    const worker = stubWorker(config)
    const answer = worker.fetch.getMockImplementation()!
    // The worker never answers /v1/decide, and its batches only once the app has asked: only the
    // landing page decides.
    let release!: () => void
    const asked = new Promise<void>((r) => (release = r))
    worker.fetch.mockImplementation(async (url: string | URL, init?: RequestInit) => {
      if (String(url).includes('/v1/decide')) return new Promise<Response>(() => {})
      if (!String(url).includes('/v1/config')) await asked
      return answer(url, init)
    })
    vi.spyOn(console, 'info').mockImplementation(() => {})
    const core = start({ site: 'module1', src: 'https://edge.example/s.js', q: [], wait: '5000' })
    // What the loader leaves in window.ciel once the script has loaded.
    ;(window as any).ciel = Object.assign((...a: unknown[]) => core(a), { l: 2 })
    await eventually(() =>
      expect(document.querySelector('[data-ciel-slot=note]')!.textContent).toBe('Thanks for reading'),
    )

    const got: string[] = []
    onSlot('cta', (v) => got.push(v), { variants: ['trial'] })
    expect(got).toEqual(['trial'])
    // And slot() answers what the script decided, for any slot of the page.
    expect(slot('note')).toBe('news')
    release()
    shown('cta', 'trial')
    shown('cta', 'trial')
    await eventually(() => expect(worker.events().filter((e) => e.type === 'slot_shown')).toHaveLength(2))
    expect(
      worker
        .events()
        .filter((e) => e.type === 'slot_shown')
        .map((e) => e.props),
    ).toEqual([
      { slot: 'note', variant: 'news' },
      { slot: 'cta', variant: 'trial' },
    ])
  })
})
