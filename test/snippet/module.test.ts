import { beforeEach, describe, expect, it, vi } from 'vitest'
import { identify, load, onSlot, reset, shown, slot, step, track } from '../../snippet/index'

beforeEach(() => {
  delete (window as any).ciel
  document.head.innerHTML = ''
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
})
