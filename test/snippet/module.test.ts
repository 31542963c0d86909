import { beforeEach, describe, expect, it } from 'vitest'
import { identify, load, reset, step, track } from '../../snippet/index'

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
})
