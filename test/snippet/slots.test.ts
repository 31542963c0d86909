import 'fake-indexeddb/auto'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { applyDecisions } from '../../snippet/personalise/slots'
import { start } from '../../snippet/core/index'
import { freshPage, stubWorker, eventually } from './helpers'

const HERO = `<section data-ciel-slot="hero">
  <template data-variant="pricing"><h1>Plans from $0</h1></template>
  <template data-variant="integrations"><h1>Works with Slack</h1></template>
  <h1>Default headline</h1>
</section>`

const headline = () => document.querySelector('[data-ciel-slot=hero] h1:not(template h1)')?.textContent

beforeEach(() => {
  freshPage()
  document.body.innerHTML = HERO
})
afterEach(() => vi.unstubAllGlobals())

describe('slots', () => {
  it('shows the chosen variant in place of the default', () => {
    expect(applyDecisions({ hero: 'pricing' })).toEqual([['hero', 'pricing']])
    expect(headline()).toBe('Plans from $0')
    expect(document.querySelectorAll('[data-ciel-slot=hero] > h1')).toHaveLength(1)
  })

  it('keeps the default when there is no decision or no such variant', () => {
    expect(applyDecisions({})).toEqual([])
    expect(applyDecisions({ hero: 'no-such-variant' })).toEqual([])
    expect(headline()).toBe('Default headline')
  })

  it('switches to a new decision without stacking variants, and does nothing for a repeat', () => {
    applyDecisions({ hero: 'pricing' })
    expect(applyDecisions({ hero: 'pricing' })).toEqual([])
    applyDecisions({ hero: 'integrations' })
    expect(headline()).toBe('Works with Slack')
    expect(document.querySelectorAll('[data-ciel-slot=hero] > h1')).toHaveLength(1)
  })

  it('applies the decisions of a batch answer on the page and records what was shown', async () => {
    const worker = stubWorker()
    worker.fetch.mockImplementation(async (url: string | URL, init?: RequestInit) => {
      if (String(url).includes('/v1/config')) return new Response('{}')
      worker.batches.push(JSON.parse(String(init?.body)))
      return new Response(
        JSON.stringify({ accepted: 1, duplicates: 0, decisions: { hero: 'integrations' }, surveys: [] }),
      )
    })
    start({ site: 'slots1', src: 'https://edge.example/s.js', q: [] })
    await eventually(() => expect(headline()).toBe('Works with Slack'))
    await eventually(() => expect(worker.events().some((e) => e.type === 'slot_shown')).toBe(true))
    expect(worker.events().find((e) => e.type === 'slot_shown')!.props).toEqual({
      slot: 'hero',
      variant: 'integrations',
    })
  })
})
