/**
 * A first page decided in the page: what `GET /v1/config` tells pages of each slot, and that a
 * page deciding from it (snippet/contract/landing.ts, as the core runs it) shows what
 * `POST /v1/decide` would have answered for the same landing, on seeded random sites.
 */
import { beforeEach, describe, expect, it } from 'vitest'
import { SELF } from 'cloudflare:test'
import { ADMIN, ORIGIN, emptyDb, post, DESKTOP_UA, PHONE_UA } from './helpers'
import { random } from '../random'
import { firstDecisions } from '../../snippet/contract/landing'
import type { SegmentRule, SiteConfig } from '../../snippet/contract/wire'

beforeEach(emptyDb)

const TABLET = 'Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148'

async function saved(key: string, config: SiteConfig) {
  const r = await SELF.fetch(`https://edge.example/v1/admin/sites/${key}`, {
    method: 'PUT',
    headers: ADMIN,
    body: JSON.stringify({ origins: [ORIGIN], config }),
  })
  if (r.status !== 200) throw new Error(`site refused: ${await r.text()}`)
}
const configOf = async (key: string) =>
  (await (await SELF.fetch(`https://edge.example/v1/config?site=${key}`)).json()) as SiteConfig

let visitors = 0
/** What the worker answers a first visit landing there. */
async function decided(key: string, url: string, referrer: string, ua: string, country: string) {
  const r = await post(
    '/v1/decide',
    { site: key, visitor: `first-visit-${++visitors}`, url, ...(referrer && { referrer }) },
    { 'user-agent': ua, 'cf-ipcountry': country },
  )
  expect(r.status).toBe(200)
  return ((await r.json()) as { decisions: { [slot: string]: string } }).decisions
}

const DEMO: SiteConfig = {
  capture: { topics: { '/pricing': ['pricing'], '/integrations': ['integrations'] } },
  segments: [
    { id: 'from-newsletter', rule: { field: 'entry.source', op: 'eq', value: 'newsletter' } },
    { id: 'detractors', rule: { field: 'nps.group', op: 'eq', value: 'detractor' } },
    { id: 'german', rule: { field: 'country', op: 'eq', value: 'DE' } },
  ],
  slots: [
    {
      id: 'hero',
      rules: [
        { when: 'from-newsletter', variant: 'integrations' },
        { when: { field: 'entry.referrer', op: 'eq', value: 'google.com' }, variant: 'search' },
      ],
      byInterest: { pricing: 'pricing', integrations: 'integrations' },
    },
    { id: 'help', rules: [{ when: 'detractors', variant: 'walkthrough' }] },
    {
      id: 'plan-cta',
      experiment: { id: 'x1', variants: ['trial'], goal: { type: 'track', name: 'signup' } },
    },
    { id: 'banner', rules: [{ when: 'german', variant: 'de' }] },
  ],
}

describe('what GET /v1/config tells pages of a first visit', () => {
  it("gives each slot its landing rules folded (the newsletter's, the landing page's topics), never a rule about anything else", async () => {
    await saved('landing', DEMO)
    const config = await configOf('landing')
    expect(config.slots).toEqual([
      {
        id: 'hero',
        first: [
          { when: { field: 'entry.source', op: 'eq', value: 'newsletter' }, variant: 'integrations' },
          { when: { field: 'entry.referrer', op: 'eq', value: 'google.com' }, variant: 'search' },
          { when: { field: 'interests.integrations', op: 'exists' }, variant: 'integrations' },
          { when: { field: 'interests.pricing', op: 'exists' }, variant: 'pricing' },
        ],
      },
      // No first visit is a detractor: the page shows the default at once.
      { id: 'help', first: [] },
      // An experiment's arm, and the country, are the worker's to tell.
      { id: 'plan-cta', first: [{ variant: null }] },
      { id: 'banner', first: [{ variant: null }] },
    ])
    expect(JSON.stringify(config)).not.toMatch(/detractor|segments|DE/)
  })

  it('a page landing from the newsletter, a search or on pricing decides the hero itself, as the worker does; the experiment is left to the worker', async () => {
    await saved('landing', DEMO)
    const config = await configOf('landing')
    const url = 'https://shop.example/?utm_source=Newsletter&utm_medium=email'
    expect(firstDecisions(config, url, '', DESKTOP_UA)).toEqual({
      decisions: { hero: 'integrations' },
      wait: ['plan-cta', 'banner'],
    })
    expect(await decided('landing', url, '', DESKTOP_UA, 'US')).toMatchObject({ hero: 'integrations' })
    const search = ['https://shop.example/pricing/team', 'https://www.google.com/search?q=plans', PHONE_UA] as const
    expect(firstDecisions(config, ...search)?.decisions).toEqual({ hero: 'search' })
    expect(await decided('landing', ...search, 'DE')).toMatchObject({ hero: 'search' })
    const priced = ['https://shop.example/pricing/team', 'https://duckduckgo.com/', TABLET] as const
    expect(firstDecisions(config, ...priced)?.decisions).toEqual({ hero: 'pricing' })
    expect(await decided('landing', ...priced, 'US')).toMatchObject({ hero: 'pricing' })
  })
})

describe('what pages get stays small', () => {
  it('a slot whose segments name each other over and over (2^40 conditions written out) is left to the worker; the config stays a few hundred bytes', async () => {
    const segments = [{ id: 's0', rule: { field: 'entry.source', op: 'eq', value: 'newsletter' } as SegmentRule }]
    for (let i = 1; i <= 40; i++)
      segments.push({ id: `s${i}`, rule: { any: [{ segment: `s${i - 1}` }, { segment: `s${i - 1}` }] } })
    await saved('deep', {
      segments,
      slots: [
        { id: 'hero', rules: [{ when: 's40', variant: 'a' }] },
        { id: 'help', rules: [{ when: 's1', variant: 'b' }] },
      ],
    })
    const r = await SELF.fetch('https://edge.example/v1/config?site=deep')
    const text = await r.text()
    expect(text.length).toBeLessThan(500)
    const s1 = { any: [0, 1].map(() => ({ field: 'entry.source', op: 'eq', value: 'newsletter' })) }
    expect(JSON.parse(text).slots).toEqual([
      { id: 'hero', first: [{ variant: null }] },
      { id: 'help', first: [{ when: s1, variant: 'b' }] },
    ])
  })
})

/** Seeded random sites: rules over every kind of field, segments naming segments, experiments with audiences. */
function randomSite(rnd: () => number): SiteConfig {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!
  /** A condition on `field`, with one of the (operator, value) pairs given. */
  const on =
    (field: string, ...pairs: [string, unknown][]) =>
    () => {
      const [op, value] = pick(pairs)
      return { field, op, value } as SegmentRule
    }
  const CONDITIONS: (() => SegmentRule)[] = [
    on(
      'entry.source',
      ['eq', 'newsletter'],
      ['ne', 'newsletter'],
      ['exists', true],
      ['contains', 'news'],
      ['eq', 'google'],
    ),
    on('entry.medium', ['in', ['email']], ['in', ['cpc', 'email']]),
    on('entry.campaign', ['eq', 'june'], ['exists', false]),
    on('entry.referrer', ['eq', 'google.com'], ['contains', 'GOOGLE'], ['ne', 'news.ycombinator.com']),
    on('entry.path', ['eq', '/'], ['eq', '/pricing'], ['contains', 'docs'], ['gt', 3]),
    on('device', ['eq', 'mobile'], ['ne', 'tablet'], ['in', ['mobile', 'tablet']]),
    on('topInterest', ['eq', 'pricing'], ['eq', 'docs'], ['exists', true]),
    on(
      `interests.${pick(['pricing', 'docs', 'blog', 'nowhere'])}`,
      ['gt', 0],
      ['gte', 1],
      ['lt', 0.5],
      ['gte', 2],
      ['eq', 0],
    ),
    on('country', ['eq', 'DE']),
    on('sessions', ['eq', 1], ['gte', 2]),
    on('returning', ['eq', true], ['eq', false]),
    on('nps.group', ['eq', 'detractor'], ['ne', 'detractor']),
    on('firstSeen', ['within', 7], ['exists', true], ['gt', 1]),
    on('friction.rage', ['gte', 1]),
    on('funnels.onboarding', ['gte', 1]),
    on('propensity.onboarding', ['gte', 0.5]),
    on('traits.plan', ['exists', true], ['exists', false]),
  ]
  const segments: { id: string; rule: SegmentRule }[] = []
  const rule = (depth: number): SegmentRule | string => {
    const r = rnd()
    if (depth < 3 && r < 0.15) return { all: [rule(depth + 1), rule(depth + 1)] as SegmentRule[] }
    if (depth < 3 && r < 0.3) return { any: [rule(depth + 1), rule(depth + 1)] as SegmentRule[] }
    if (depth < 3 && r < 0.38) return { not: rule(depth + 1) as SegmentRule }
    if (segments.length && r < 0.5) return pick(segments).id
    return pick(CONDITIONS)()
  }
  for (let i = 0; i < 4; i++) {
    const r = rule(0)
    segments.push({ id: `seg-${i}`, rule: typeof r === 'string' ? { segment: r } : r })
  }
  const slots = ['hero', 'help', 'cta'].map((id) => ({
    id,
    ...(rnd() < 0.8 && {
      rules: Array.from({ length: 1 + Math.floor(rnd() * 3) }, () => ({
        when: rule(0),
        variant: pick(['a', 'b', 'c']),
      })),
    }),
    ...(rnd() < 0.3 && {
      experiment: {
        id: `x-${id}`,
        variants: ['a'],
        goal: { type: 'track', name: 'signup' },
        ...(rnd() < 0.6 && { audience: rule(1) }),
      },
    }),
    ...(rnd() < 0.5 && { byInterest: { pricing: 'a', docs: 'b', blog: 'c', Docs: 'c' } }),
  }))
  return {
    capture: { topics: { '/pricing': ['pricing'], '/docs': ['docs', 'Blog'], '/blog': ['blog'] } },
    funnels: [{ id: 'onboarding', steps: [{ id: 'account' }, { id: 'done' }] }],
    segments,
    slots,
  }
}

describe('a page decides a first visit as the worker would', () => {
  it('on 12 seeded random sites and 20 landings each, every slot the page decides shows what /v1/decide answers', async () => {
    const rnd = random(24)
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!
    let compared = 0
    let left = 0
    for (let s = 0; s < 12; s++) {
      const key = `random-${s}`
      await saved(key, randomSite(rnd))
      const config = await configOf(key)
      for (let i = 0; i < 20; i++) {
        const query = [
          rnd() < 0.5 && `utm_source=${pick(['newsletter', 'Newsletter', 'google', ''])}`,
          rnd() < 0.3 && `utm_medium=${pick(['email', 'cpc'])}`,
          rnd() < 0.3 && `utm_campaign=${pick(['june', 'June'])}`,
        ].filter(Boolean)
        const url = `https://shop.example${pick(['/', '/pricing', '/pricing/team', '/docs/start', '/blog/x', '/about'])}${query.length ? '?' + query.join('&') : ''}`
        const referrer = pick([
          '',
          'https://www.google.com/search?q=x',
          'https://news.ycombinator.com/item?id=1',
          'not a url',
        ])
        const ua = pick([DESKTOP_UA, PHONE_UA, TABLET])
        const page = firstDecisions(config, url, referrer, ua)!
        const worker = await decided(key, url, referrer, ua, pick(['DE', 'US']))
        for (const slot of ['hero', 'help', 'cta']) {
          if (page.wait.includes(slot)) {
            left++
            continue
          }
          compared++
          // Not named: the page shows its default, as for a worker's answer that names no variant.
          expect(page.decisions[slot], `${key} ${slot} ${url} ${referrer} ${ua}`).toBe(worker[slot])
        }
      }
    }
    // Most slots are the page's to decide; the rest (experiments, the country...) wait for the worker.
    expect(compared).toBeGreaterThan(left)
    expect(left).toBeGreaterThan(0)
  })
})
