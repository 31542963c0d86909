import { describe, expect, it } from 'vitest'
import { applyEvents, emptyProfile, profileEvent, type Profile } from '../../edge/domain/profile'
import { segmentsOf, segmentsProblem, ruleProblem } from '../../edge/domain/segments'
import { validateSite } from '../../edge/domain/site'
import type { SegmentConfig } from '../../snippet/contract/wire'

const T = 1_800_000_000_000
const DAY = 86_400_000

let n = 0
const ev = (type: string, props: Record<string, unknown> = {}, name?: string, ts = T, url = 'https://shop.example/') =>
  profileEvent({ id: `e${++n}`, type, ts, url, props: props as never, flags: 0, ...(name ? { name } : {}) })

const spec = { funnels: [{ id: 'onboarding', steps: ['account', 'profile', 'invite', 'done'] }] }

/** A profile built the way the shard builds it: from events, batch by batch. */
function visitor(batches: { session: string; at: number; events: ReturnType<typeof ev>[] }[]): Profile {
  let p: Profile | null = null
  for (const b of batches)
    p = applyEvents(p, b.events, b.session, b.at, spec, { device: 'mobile', country: 'PL' }, 'v1')
  return p!
}

const SEGMENTS: SegmentConfig[] = [
  { id: 'returning', rule: { field: 'sessions', op: 'gte', value: 2 } },
  { id: 'pricing-curious', rule: { field: 'interests.pricing', op: 'gte', value: 3 } },
  {
    id: 'stuck-in-onboarding',
    rule: {
      all: [
        { field: 'funnels.onboarding', op: 'gte', value: 1 },
        { not: { field: 'funnels.onboarding.step', op: 'eq', value: 'done' } },
        { field: 'friction.stall.last', op: 'within', value: 7 },
      ],
    },
  },
  { id: 'detractors', rule: { field: 'nps.group', op: 'in', value: ['detractor'] } },
  {
    id: 'from-newsletter',
    rule: {
      any: [
        { field: 'entry.source', op: 'eq', value: 'newsletter' },
        { field: 'entry.referrer', op: 'contains', value: 'mail' },
      ],
    },
  },
  { id: 'unhappy-returning', rule: { all: [{ segment: 'returning' }, { segment: 'detractors' }] } },
  {
    id: 'polish-mobile',
    rule: {
      all: [
        { field: 'country', op: 'eq', value: 'PL' },
        { field: 'device', op: 'eq', value: 'mobile' },
      ],
    },
  },
  { id: 'known', rule: { field: 'user', op: 'exists' } },
  { id: 'pro', rule: { field: 'traits.plan', op: 'eq', value: 'pro' } },
]

describe('the visitor profile', () => {
  it('keeps visits, the entry source, funnel progress, friction and the last NPS answer', () => {
    const p = visitor([
      {
        session: 's1',
        at: T,
        events: [
          ev(
            'pageview',
            { ref: 'https://www.mail.example/inbox', topics: ['pricing'] },
            undefined,
            T,
            'https://shop.example/pricing?utm_source=Newsletter&utm_medium=email',
          ),
          ev('step', { step: 'account' }, 'onboarding', T + 1),
          ev('step', { step: 'invite' }, 'onboarding', T + 2),
          ev('step', { step: 'profile' }, 'onboarding', T + 3),
          ev('rage_click', {}, undefined, T + 4),
          ev('rage_click', {}, undefined, T + 5),
        ],
      },
      {
        session: 's2',
        at: T + DAY,
        events: [
          ev('pageview', { ref: 'https://google.com/' }, undefined, T + DAY),
          ev('survey_answer', { kind: 'nps', score: 9 }, 'nps', T + DAY),
          ev('survey_answer', { kind: 'nps', score: 3 }, 'nps', T + DAY + 1),
          ev('stall', { step: 'invite' }, 'onboarding', T + DAY + 2),
        ],
      },
    ])
    expect(p.sessions).toBe(2)
    expect(p.pageviews).toBe(2)
    // The first page's source stays (a later visit from Google does not replace it).
    expect(p.entry).toEqual({
      at: T,
      path: '/pricing',
      referrer: 'mail.example',
      source: 'newsletter',
      medium: 'email',
    })
    // The furthest step, not the last one sent.
    expect(p.funnels.onboarding).toMatchObject({ i: 2, step: 'invite' })
    expect(p.friction.rage).toEqual({ n: 2, last: T + 5 })
    expect(p.nps).toEqual({ score: 3, group: 'detractor', at: T + DAY + 1 })
    expect(p).toMatchObject({ device: 'mobile', country: 'PL' })
  })

  it('takes back an abandoned form the visitor then submitted (form_submit), one for one', () => {
    const left = (ts: number) => ev('form_abandon', { form: 'signup' }, undefined, ts)
    const sent = (ts: number) => ev('form_submit', { form: 'signup' }, undefined, ts)
    const p = visitor([{ session: 's1', at: T, events: [left(T), left(T + 1), sent(T + 2)] }])
    // The submit takes back the abandon just before it: the one left counting is the first.
    expect(p.friction.abandon).toEqual({ n: 1, last: T })
    const q = visitor([
      { session: 's1', at: T, events: [left(T), left(T + 1), sent(T + 2)] },
      { session: 's1', at: T + 10, events: [sent(T + 10)] },
    ])
    expect(q.friction.abandon).toBeUndefined()
  })

  it('stays bounded however many funnels a visitor walks through', () => {
    const events = Array.from({ length: 60 }, (_, i) => ev('step', { step: 'a' }, `f${i}`, T + i))
    const p = applyEvents(null, events, 's', T, { funnels: events.map((_, i) => ({ id: `f${i}`, steps: ['a'] })) })
    expect(Object.keys(p.funnels)).toHaveLength(20)
    expect(p.funnels.f59).toBeDefined()
    expect(p.funnels.f0).toBeUndefined()
  })
})

describe('segments', () => {
  const stuck = visitor([
    {
      session: 's1',
      at: T,
      events: [
        ev('pageview', { topics: ['pricing'] }, undefined, T, 'https://shop.example/?utm_source=newsletter'),
        ev('click', { topics: ['pricing'] }),
        ev('click', { topics: ['pricing'] }),
        ev('step', { step: 'account' }, 'onboarding'),
      ],
    },
    {
      session: 's2',
      at: T + DAY,
      events: [
        ev('stall', { step: 'account' }, 'onboarding', T + DAY),
        ev('survey_answer', { kind: 'nps', score: 2 }, 'nps', T + DAY),
      ],
    },
  ])

  it('answers which segments a visitor is in', () => {
    expect(segmentsOf(SEGMENTS, stuck, T + DAY)).toEqual([
      'returning',
      'pricing-curious',
      'stuck-in-onboarding',
      'detractors',
      'from-newsletter',
      'unhappy-returning',
      'polish-mobile',
    ])
  })

  it('lets "within N days" lapse and interests decay with time', () => {
    // Two weeks later the stall is old news, and pricing interest (5) has decayed below 3.
    const later = segmentsOf(SEGMENTS, stuck, T + 15 * DAY)
    expect(later).not.toContain('stuck-in-onboarding')
    expect(later).not.toContain('pricing-curious')
    expect(later).toContain('returning')
  })

  it('reads identify traits, and a missing field fails comparisons but passes "ne"', () => {
    const p = applyEvents(emptyProfile(T), [ev('identify', { plan: 'pro' }, 'user-1')], 's', T)
    expect(segmentsOf(SEGMENTS, p, T)).toEqual(['known', 'pro'])
    expect(segmentsOf([{ id: 'x', rule: { field: 'nps.group', op: 'ne', value: 'detractor' } }], p, T)).toEqual(['x'])
    expect(segmentsOf([{ id: 'x', rule: { field: 'nps.score', op: 'lt', value: 7 } }], p, T)).toEqual([])
  })

  it('refuses bad rules with a message naming them', () => {
    const known = new Set(['returning'])
    expect(ruleProblem({ field: 'sessionz', op: 'gte', value: 2 }, known, 'r')).toMatch(
      /r\.field 'sessionz' is not a profile field/,
    )
    expect(ruleProblem({ field: 'sessions', op: 'more', value: 2 }, known, 'r')).toMatch(/r\.op must be one of/)
    expect(ruleProblem({ field: 'sessions', op: 'gte', value: 'two' }, known, 'r')).toMatch(/r\.value must be a number/)
    expect(ruleProblem({ field: 'sessions', op: 'within', value: 3 }, known, 'r')).toMatch(/needs a time field/)
    expect(ruleProblem({ all: [{ segment: 'nope' }] }, known, 'r')).toMatch(
      /r\.all\[0\] names the unknown segment 'nope'/,
    )
    expect(ruleProblem({ all: [] }, known, 'r')).toMatch(/non-empty list/)
    expect(ruleProblem({ field: 'sessions', op: 'gte', value: 2, extra: 1 }, known, 'r')).toMatch(/unknown key 'extra'/)
    expect(ruleProblem({ segment: 'returning' }, known, 'r')).toBeNull()
    expect(
      segmentsProblem([
        { id: 'a', rule: { segment: 'b' } },
        { id: 'b', rule: { not: { segment: 'a' } } },
      ]),
    ).toMatch(/'a' → 'b' → 'a' refer to each other in a circle/)
  })

  it('is refused with the site when a rule is bad, naming the segment or slot', () => {
    const bad = validateSite('acme', {
      config: { segments: [{ id: 'fans', rule: { field: 'nps.group', op: 'in', value: 'promoter' } }] },
    })
    expect(bad).toEqual({
      ok: false,
      error: "config segments[0] 'fans': rule.value must be a non-empty list of values",
      path: 'config.segments[0].rule.value',
    })
    const slot = validateSite('acme', {
      config: { slots: [{ id: 'hero', rules: [{ when: 'vips', variant: 'vip' }] }] },
    })
    expect(slot).toEqual({
      ok: false,
      error: "config slots[0] 'hero': rules[0].when names the unknown segment 'vips'",
      path: 'config.slots[0].rules[0].when',
    })
    expect(
      validateSite('acme', {
        config: { segments: SEGMENTS, slots: [{ id: 'hero', rules: [{ when: 'detractors', variant: 'help' }] }] },
      }).ok,
    ).toBe(true)
  })
})
