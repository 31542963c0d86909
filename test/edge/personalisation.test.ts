import { SELF } from 'cloudflare:test'
import { beforeEach, describe, expect, it } from 'vitest'
import { ADMIN, ORIGIN, batch, drained, emptyDb, event, givenSite, post } from './helpers'
import { assign } from '../../edge/domain/experiments'
import type { ExperimentConfig, SiteConfig } from '../../snippet/contract/wire'

const experiment: ExperimentConfig = {
  id: 'hero-1',
  variants: ['pricing', 'integrations'],
  goal: { type: 'track', name: 'signup' },
  holdout: 0.1,
}
const config: SiteConfig = {
  capture: { topics: { '/pricing': ['pricing'] } },
  segments: [
    { id: 'from-newsletter', rule: { field: 'entry.source', op: 'eq', value: 'newsletter' } },
    { id: 'pricing-curious', rule: { field: 'interests.pricing', op: 'gte', value: 0.5 } },
  ],
  slots: [
    { id: 'banner', rules: [{ when: 'from-newsletter', variant: 'welcome-back' }] },
    { id: 'aside', rules: [{ when: 'pricing-curious', variant: 'plans' }] },
    { id: 'hero', experiment },
  ],
}

beforeEach(async () => {
  await emptyDb()
  await givenSite('acme', config)
})

/** A person's browser: bots are left out of results and segment sizes. */
const HUMAN = { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36' }
const send = (b: unknown) => post('/v1/events', b, HUMAN)
const json = async (r: Response | Promise<Response>) => (await (await r).json()) as any
const results = async () => {
  await drained()
  const r = await SELF.fetch('https://edge.example/v1/insights/personalisation?site=acme', { headers: ADMIN })
  expect(r.status).toBe(200)
  return (await r.json()) as any
}
const armOf = (report: any, variant: string) => report.experiments[0].arms.find((a: any) => a.variant === variant)

/** A visitor who is not in the holdout (so the experiment shows them an arm). */
function enrolled(n: number) {
  const out: string[] = []
  for (let i = 0; out.length < n; i++) if (!assign(experiment, `visitor-${i}`, 'hero').holdout) out.push(`visitor-${i}`)
  return out
}

describe('decisions from the visitor profile', () => {
  it('decides a first page from its context before anything is stored: landing topics and UTM source', async () => {
    const d = await json(
      post('/v1/decide', {
        site: 'acme',
        visitor: 'new-visitor',
        session: 's',
        url: 'https://shop.example/pricing/teams?utm_source=Newsletter',
        referrer: 'https://mail.example/',
      }),
    )
    expect(d.decisions).toMatchObject({ banner: 'welcome-back', aside: 'plans' })
    // Nothing was stored for a decision.
    await drained()
    expect(
      await json(SELF.fetch('https://edge.example/v1/insights/visitors?site=acme', { headers: ADMIN })),
    ).toMatchObject({
      visitors: [],
    })
  })

  it('gives a visitor the same experiment arm on every page and tab, from /v1/events and /v1/decide', async () => {
    const [visitor] = enrolled(1)
    const want = assign(experiment, visitor!, 'hero').variant
    const pages = await Promise.all(
      [1, 2, 3].map((tab) => json(send(batch([event()], { visitor: visitor!, session: `tab-${tab}` })))),
    )
    for (const p of pages) {
      expect(p.decisions.hero).toBe(want)
      expect(p.experiments).toEqual({ hero: 'hero-1' })
    }
    const d = await json(post('/v1/decide', { site: 'acme', visitor, session: 's', url: 'https://shop.example/' }))
    expect(d).toMatchObject({ decisions: { hero: want }, experiments: { hero: 'hero-1' } })
  })
})

describe('experiment results', () => {
  it('counts an exposure and a conversion once per visitor, and a replayed batch changes nothing', async () => {
    const visitors = enrolled(4)
    const sent: ReturnType<typeof batch>[] = []
    for (const [i, visitor] of visitors.entries()) {
      const variant = assign(experiment, visitor, 'hero').variant
      const shown = event({ type: 'slot_shown', props: { slot: 'hero', variant, exp: 'hero-1' } })
      // Two pages: two exposures of one visitor.
      const again = event({ type: 'slot_shown', props: { slot: 'hero', variant, exp: 'hero-1' } })
      const b = batch([shown, again], { visitor })
      sent.push(b)
      expect((await json(send(b))).accepted).toBe(2)
      if (i < 2) {
        const signups = batch([event({ type: 'track', name: 'signup' }), event({ type: 'track', name: 'signup' })], {
          visitor,
        })
        sent.push(signups)
        await send(signups)
      }
    }
    // A crawler shown the slot is no exposure.
    const bot = enrolled(5)[4]!
    const botShown = event({
      type: 'slot_shown',
      props: { slot: 'hero', variant: assign(experiment, bot, 'hero').variant, exp: 'hero-1' },
    })
    await post('/v1/events', batch([botShown], { visitor: bot }), { 'user-agent': 'Googlebot/2.1' })
    const first = await results()
    const total = (r: any, k: 'exposed' | 'conversions') =>
      r.experiments[0].arms.reduce((a: number, x: any) => a + x[k], 0)
    expect(total(first, 'exposed')).toBe(4)
    expect(total(first, 'conversions')).toBe(2)
    for (const b of sent) expect((await json(send(b))).duplicates).toBe(b.events.length)
    const replayed = await results()
    expect(replayed.experiments).toEqual(first.experiments)
    const v0 = assign(experiment, visitors[0]!, 'hero').variant
    expect(armOf(first, v0).conversions).toBeGreaterThanOrEqual(1)
    expect(first.experiments[0]).toMatchObject({ slot: 'hero', experiment: 'hero-1', on: true, allocation: 'split' })
    expect(first.experiments[0].cumulative.length).toBe(1)
  })

  it('reports segment sizes among the visitors seen', async () => {
    await send(batch([event({ url: 'https://shop.example/?utm_source=newsletter' })], { visitor: 'a-1' }))
    await send(batch([event({ props: { topics: ['pricing'] } })], { visitor: 'b-1' }))
    await send(batch([event()], { visitor: 'c-1' }))
    const r = await results()
    expect(r.segments).toEqual([
      { id: 'from-newsletter', description: null, visitors: 1 },
      { id: 'pricing-curious', description: null, visitors: 1 },
    ])
    expect(r.visitorsCounted).toBe(3)
    const one = await json(SELF.fetch('https://edge.example/v1/visitors/a-1?site=acme', { headers: ADMIN }))
    expect(one.segments).toEqual(['from-newsletter'])
    expect(one.profile.entry).toEqual({ at: expect.any(Number), path: '/', source: 'newsletter' })
  })

  it('refuses a site whose slot rule names a segment that does not exist, and keeps the old config', async () => {
    const bad = { ...config, slots: [{ id: 'hero', rules: [{ when: 'vip', variant: 'x' }] }] }
    const r = await SELF.fetch('https://edge.example/v1/admin/sites/acme', {
      method: 'PUT',
      headers: { ...ADMIN, 'content-type': 'application/json' },
      body: JSON.stringify({ origins: [ORIGIN], config: bad }),
    })
    expect(r.status).toBe(400)
    expect(((await r.json()) as any).error).toBe(
      "config slots[0] 'hero': rules[0].when names the unknown segment 'vip'",
    )
    const site = await json(SELF.fetch('https://edge.example/v1/admin/sites/acme', { headers: ADMIN }))
    expect(site.config.slots).toHaveLength(3)
  })

  it("offers a survey only to its audience's segment", async () => {
    await givenSite('acme', {
      ...config,
      surveys: [
        {
          id: 'welcome',
          kind: 'nps',
          question: 'How likely are you to recommend us?',
          trigger: { event: 'pageview' },
          audience: { segment: 'from-newsletter' },
        },
      ],
    })
    const reader = await json(
      send(batch([event({ url: 'https://shop.example/?utm_source=newsletter' })], { visitor: 'n-1' })),
    )
    expect(reader.surveys.map((s: any) => s.id)).toEqual(['welcome'])
    const other = await json(send(batch([event()], { visitor: 'o-1' })))
    expect(other.surveys).toEqual([])
    const bad = await SELF.fetch('https://edge.example/v1/admin/sites/acme', {
      method: 'PATCH',
      headers: { ...ADMIN, 'content-type': 'application/json' },
      body: JSON.stringify({
        config: { surveys: [{ id: 's', kind: 'nps', question: 'Q?', audience: { segment: 'vips' } }] },
      }),
    })
    expect(((await bad.json()) as any).error).toBe(
      "config surveys[0] 's': audience.segment names the unknown segment 'vips'",
    )
  })

  it('serves pages the config without segments or experiments: of the rules, only what decides a first visit from its landing', async () => {
    const c = await json(SELF.fetch('https://edge.example/v1/config?site=acme'))
    expect(c.segments).toBeUndefined()
    expect(c.slots).toEqual([
      {
        id: 'banner',
        first: [{ when: { field: 'entry.source', op: 'eq', value: 'newsletter' }, variant: 'welcome-back' }],
      },
      { id: 'aside', first: [{ when: { field: 'interests.pricing', op: 'exists' }, variant: 'plans' }] },
      { id: 'hero', first: [{ variant: null }] },
    ])
  })
})
