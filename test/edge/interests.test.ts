import { describe, expect, it } from 'vitest'
import { HALF_LIFE_MS, score } from '../../edge/domain/interests'
import { decide as decideFor } from '../../edge/domain/decide'
import { emptyProfile } from '../../edge/domain/profile'
import type { SiteConfig } from '../../snippet/contract/wire'

const view = (...topics: string[]) => ({ type: 'pageview', props: { topics } })
const click = (...topics: string[]) => ({ type: 'click', props: { topics } })
const T = 1_800_000_000_000

describe('interest scoring', () => {
  it('adds more for a click than for a pageview', () => {
    const s = score(null, [view('pricing'), click('integrations')], T)
    expect(s.scores).toEqual({ pricing: 1, integrations: 2 })
  })

  it('halves old interest after a week, so recent interest wins', () => {
    const old = score(null, [view('pricing'), view('pricing'), view('pricing')], T)
    const later = score(old, [view('integrations'), view('integrations')], T + HALF_LIFE_MS)
    expect(later.scores.pricing).toBeCloseTo(1.5)
    expect(later.scores.integrations).toBe(2)
  })

  it('ignores events without topics and malformed topics', () => {
    const s = score(
      null,
      [{ type: 'pageview' }, { type: 'click', props: { topics: 'pricing' } }, view('', 'Pricing')],
      T,
    )
    expect(s.scores).toEqual({ pricing: 1 })
  })
})

/** Decisions for a visitor whose only state is these interest scores. */
const decide = (config: SiteConfig, scores: { [topic: string]: number }) =>
  decideFor(config, { ...emptyProfile(T), interests: { at: T, scores } }, 'v1', T).decisions

describe('slot decisions', () => {
  const config = {
    slots: [{ id: 'hero', byInterest: { pricing: 'pricing', integrations: 'integrations' } }, { id: 'aside' }],
  }

  it("shows the variant of the visitor's strongest matching interest", () => {
    expect(decide(config, { integrations: 3, pricing: 1, blog: 9 })).toEqual({ hero: 'integrations' })
  })

  it('leaves a slot out when nothing matches, so the page keeps its default', () => {
    expect(decide(config, { blog: 5 })).toEqual({})
    expect(decide({}, { pricing: 5 })).toEqual({})
  })

  it('is not fooled by topics named like object properties', () => {
    expect(decide(config, { constructor: 9, toString: 8 })).toEqual({})
  })
})
