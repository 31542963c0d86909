import { describe, expect, it } from 'vitest'
import { assign } from '../../edge/domain/experiments'
import { decide } from '../../edge/domain/decide'
import { applyEvents, emptyProfile, profileEvent } from '../../edge/domain/profile'
import { profileSpec } from '../../edge/domain/decide'
import type { ExperimentConfig, SiteConfig } from '../../snippet/contract/wire'

const T = 1_800_000_000_000
const x: ExperimentConfig = { id: 'hero-1', variants: ['a', 'b'], goal: { type: 'track', name: 'signup' } }

describe('experiment assignment', () => {
  it('splits visitors evenly and gives each the same arm every time', () => {
    const counts: Record<string, number> = {}
    for (let i = 0; i < 3000; i++) {
      const v = assign(x, `visitor-${i}`, 'hero').variant
      expect(assign(x, `visitor-${i}`, 'hero').variant).toBe(v)
      counts[v] = (counts[v] ?? 0) + 1
    }
    for (const arm of ['', 'a', 'b']) expect(counts[arm]! / 3000).toBeGreaterThan(0.3)
    for (const arm of ['', 'a', 'b']) expect(counts[arm]! / 3000).toBeLessThan(0.37)
  })

  it('follows weights, keeps the holdout on the default, and reshuffles for a new experiment id', () => {
    const weighted = { ...x, control: false, weights: [9, 1] }
    const a = Array.from({ length: 2000 }, (_, i) => assign(weighted, `v${i}`, 'hero').variant).filter((v) => v === 'a')
    expect(a.length / 2000).toBeGreaterThan(0.86)
    expect(a.length / 2000).toBeLessThan(0.94)
    const held = Array.from({ length: 2000 }, (_, i) => assign({ ...x, holdout: 0.2 }, `v${i}`, 'hero'))
    const share = held.filter((h) => h.holdout).length / 2000
    expect(share).toBeGreaterThan(0.17)
    expect(share).toBeLessThan(0.23)
    expect(held.filter((h) => h.holdout).every((h) => h.variant === '')).toBe(true)
    const moved = Array.from({ length: 300 }, (_, i) => `v${i}`).filter(
      (v) => assign(x, v, 'hero').variant !== assign({ ...x, id: 'hero-2' }, v, 'hero').variant,
    )
    expect(moved.length).toBeGreaterThan(100)
  })

  it("places a Thompson-sampled experiment's visitors by its current shares, each in the same arm every time", () => {
    const bandit: ExperimentConfig = { ...x, control: false, allocation: 'thompson' }
    const arms = Array.from({ length: 2000 }, (_, i) => assign(bandit, `visitor-${i}`, 'hero', [0.1, 0.9]).variant)
    const b = arms.filter((v) => v === 'b').length / 2000
    expect(b).toBeGreaterThan(0.87)
    expect(b).toBeLessThan(0.93)
    expect(arms.every((v, i) => assign(bandit, `visitor-${i}`, 'hero', [0.1, 0.9]).variant === v)).toBe(true)
    // Before any results: an even split.
    const even = Array.from({ length: 2000 }, (_, i) => assign(bandit, `visitor-${i}`, 'hero').variant)
    expect(even.filter((v) => v === 'b').length / 2000).toBeGreaterThan(0.45)
    expect(even.filter((v) => v === 'b').length / 2000).toBeLessThan(0.55)
  })
})

describe('decisions', () => {
  const config: SiteConfig = {
    segments: [{ id: 'detractors', rule: { field: 'nps.group', op: 'eq', value: 'detractor' } }],
    slots: [
      { id: 'help', rules: [{ when: 'detractors', variant: 'sorry' }] },
      { id: 'hero', rules: [{ when: { field: 'country', op: 'eq', value: 'PL' }, variant: 'pl' }], experiment: x },
      { id: 'aside', byInterest: { pricing: 'pricing' } },
      { id: 'old', experiment: { ...x, id: 'stopped', on: false } },
    ],
  }
  const spec = profileSpec(config)

  it('tries rules first, then the experiment, then interests; a stopped experiment shows the default', () => {
    const plain = emptyProfile(T)
    const d = decide(config, plain, 'visitor-7', T)
    expect(d.decisions.help).toBeUndefined()
    expect(d.decisions.hero).toBe(assign(x, 'visitor-7', 'hero').variant)
    expect(d.experiments).toEqual({ hero: 'hero-1' })
    expect(d.decisions.old).toBeUndefined()
    const polish = { ...plain, country: 'PL', nps: { score: 2, group: 'detractor' as const, at: T } }
    expect(decide(config, polish, 'visitor-7', T)).toEqual({
      decisions: { help: 'sorry', hero: 'pl' },
      experiments: {},
    })
  })

  it('keeps the variant of the first exposure, and counts one conversion in the window', () => {
    const e = (type: string, props: object, ts: number, name?: string) =>
      profileEvent({ id: `${type}${ts}`, type, ts, props: props as never, flags: 0, ...(name ? { name } : {}) })
    const first = decide(config, emptyProfile(T), 'visitor-7', T).decisions.hero!
    let p = applyEvents(
      null,
      [e('slot_shown', { slot: 'hero', variant: first, exp: 'hero-1' }, T)],
      's',
      T,
      spec,
      {},
      'visitor-7',
    )
    expect(p.exp.hero).toEqual({ id: 'hero-1', variant: first, at: T })
    // A later page says it showed something else (another tab, an old cache): the pin holds.
    p = applyEvents(
      p,
      [e('slot_shown', { slot: 'hero', variant: 'zzz', exp: 'hero-1' }, T + 1)],
      's',
      T + 1,
      spec,
      {},
      'visitor-7',
    )
    expect(decide(config, p, 'visitor-7', T + 2).decisions.hero).toBe(first)
    p = applyEvents(p, [e('track', {}, T + 10, 'signup'), e('track', {}, T + 20, 'signup')], 's', T + 20, spec)
    expect(p.exp.hero!.conv).toBe(T + 10)
    // Outside the window nothing counts.
    const late = applyEvents(
      applyEvents(null, [e('slot_shown', { slot: 'hero', variant: 'a', exp: 'hero-1' }, T)], 's', T, spec),
      [e('track', {}, T + 15 * 86_400_000, 'signup')],
      's',
      T + 15 * 86_400_000,
      spec,
    )
    expect(late.exp.hero!.conv).toBeUndefined()
    // A slot a rule decided is no exposure to the experiment on it.
    const ruled = applyEvents(null, [e('slot_shown', { slot: 'hero', variant: 'pl' }, T)], 's', T, spec)
    expect(ruled.exp.hero).toBeUndefined()
  })
})
