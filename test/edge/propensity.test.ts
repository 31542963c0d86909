/**
 * Propensity (issue 11): the hourly job trains each funnel's model from the profiles in D1,
 * `GET /v1/insights/propensity` lists the likeliest converters and the visitors at risk, and
 * segments decide with the score.
 */
import { SELF, env } from 'cloudflare:test'
import { beforeEach, describe, expect, it } from 'vitest'
import worker from '../../edge/index'
import { ADMIN, batch, drained, emptyDb, event, givenSite, post, until } from './helpers'
import { profile, separable, ONBOARDING } from './propensity-data'
import type { Profile } from '../../edge/domain/profile'
import type { SiteConfig } from '../../snippet/contract/wire'
import { retrain } from '../../edge/jobs/propensity'
import { forgetModels } from '../../edge/models'

const NOW = Date.now()
const HUMAN = { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36' }
const config: SiteConfig = {
  funnels: [{ id: 'onboarding', steps: ONBOARDING.steps.map((id) => ({ id })) }],
  segments: [{ id: 'likely', rule: { field: 'propensity.onboarding', op: 'gte', value: 0.8 } }],
  slots: [{ id: 'hero', rules: [{ when: 'likely', variant: 'upgrade' }] }],
}

/** Profiles straight into D1, as the ingest consumer leaves them. */
async function seedProfiles(rows: { id: string; profile: Profile }[], site = 'acme') {
  const stmt = env.DB.prepare(
    `INSERT INTO visitors (site, id, first_seen, last_seen, sessions, profile) VALUES (?, ?, ?, ?, ?, ?)`,
  )
  for (let i = 0; i < rows.length; i += 100)
    await env.DB.batch(
      rows
        .slice(i, i + 100)
        .map((r) =>
          stmt.bind(site, r.id, r.profile.firstSeen, r.profile.lastSeen, r.profile.sessions, JSON.stringify(r.profile)),
        ),
    )
}

/** 600 visitors who converted if they browsed a lot, plus two known ones still in the funnel. */
const TRAINING = [
  ...separable(600, 1, NOW - 3_600_000),
  // The likeliest converter: browses a lot, never angry, at the step before the goal.
  { id: 'keen', profile: profile({ pageviews: 30, sessions: 5, rage: 0, step: 2 }, false, undefined, NOW - 60_000) },
  // The visitor most at risk: barely browsed and rage-clicked a lot, stuck at the first step.
  { id: 'cross', profile: profile({ pageviews: 1, sessions: 1, rage: 6, step: 0 }, false, undefined, NOW - 60_000) },
]

const insight = async (query = 'site=acme') => {
  const r = await SELF.fetch(`https://edge.example/v1/insights/propensity?${query}`, { headers: ADMIN })
  return { status: r.status, body: (await r.json()) as any }
}
const count = async () =>
  (await env.DB.prepare("SELECT count(*) AS n FROM propensity_models WHERE site = 'acme'").first<number>('n')) ?? 0

beforeEach(async () => {
  // Each isolate keeps a site's models for minutes: a model of an earlier test is not this one's.
  forgetModels('acme')
  await emptyDb()
  await givenSite('acme', config)
})

describe('propensity models', () => {
  it('are trained by the hourly Cron Trigger through the jobs queue, one per funnel, and stored in D1', async () => {
    await seedProfiles(TRAINING)
    const controller = { scheduledTime: Date.now(), cron: '7 * * * *', noRetry() {} }
    await worker.scheduled(controller as ScheduledController, env)
    await until(async () => {
      if ((await count()) !== 1) throw new Error('no model yet')
    }, 30_000)
    const row = await env.DB.prepare("SELECT * FROM propensity_models WHERE site = 'acme'").first<any>()
    const converters = TRAINING.filter((r) => r.profile.funnels.onboarding!.i === 3).length
    expect(row).toMatchObject({
      funnel: 'onboarding',
      goal: 'done',
      n: TRAINING.length,
      converters,
      others: TRAINING.length - converters,
      reason: null,
    })
    expect(row.auc).toBeGreaterThan(0.9)
    expect(row.holdout / row.n).toBeGreaterThan(0.18)
    expect(row.holdout / row.n).toBeLessThan(0.32)
    expect(row.trained_at).toBeGreaterThanOrEqual(controller.scheduledTime)
    expect(JSON.parse(row.model).features).toContain('pageviews')
  })

  it('lists the likeliest converters and the visitors at risk, with the AUC, n and training time', async () => {
    await seedProfiles(TRAINING)
    const [run] = await retrain(env, 'acme', NOW)
    const { status, body } = await insight()
    expect(status).toBe(200)
    const f = body.funnels[0]
    expect(f).toMatchObject({
      funnel: 'onboarding',
      goal: 'done',
      ready: true,
      message: null,
      trainedAt: NOW,
      n: run!.n,
      auc: run!.auc,
      holdout: run!.holdout,
    })
    expect(f.likely[0]).toMatchObject({ id: 'keen', step: 'invite' })
    expect(f.likely[0].score).toBeGreaterThan(0.9)
    expect(f.atRisk[0]).toMatchObject({ id: 'cross', step: 'account' })
    expect(f.atRisk[0].score).toBeLessThan(0.1)
    expect(f.likely).toHaveLength(10)
    // Nobody who reached the goal is listed; scores go down the likely list and up the at-risk one.
    const converted = new Set(TRAINING.filter((r) => r.profile.funnels.onboarding!.i === 3).map((r) => r.id))
    for (const v of [...f.likely, ...f.atRisk]) expect(converted.has(v.id)).toBe(false)
    expect(f.likely.map((v: any) => v.score)).toEqual([...f.likely.map((v: any) => v.score)].sort((a, b) => b - a))
    expect(f.atRisk.map((v: any) => v.score)).toEqual([...f.atRisk.map((v: any) => v.score)].sort((a, b) => a - b))
    expect(f.drivers.map((d: any) => d.feature)).toContain('pageviews')
    expect((await insight('site=acme&limit=3')).body.funnels[0].likely).toHaveLength(3)
    // The visitor's timeline carries the same score.
    const keen = await SELF.fetch('https://edge.example/v1/insights/visitors/keen?site=acme', { headers: ADMIN })
    expect(((await keen.json()) as any).propensity).toEqual([
      { funnel: 'onboarding', goal: 'done', score: f.likely[0].score },
    ])
  })

  it('says there is too little data instead of showing scores', async () => {
    const rows = separable(600, 1, NOW - 3_600_000)
    const few = [
      ...rows.filter((r) => r.profile.funnels.onboarding!.i < 3),
      ...rows.filter((r) => r.profile.funnels.onboarding!.i === 3).slice(0, 30),
    ]
    await seedProfiles(few)
    const { body } = await insight()
    expect(body.funnels[0]).toMatchObject({ ready: false, trainedAt: null, likely: [], atRisk: [] })
    expect(body.funnels[0].message).toMatch(/not trained yet/i)
    await retrain(env, 'acme', NOW)
    const f = (await insight()).body.funnels[0]
    expect(f).toMatchObject({ ready: false, auc: null, converters: 30, trainedAt: NOW, likely: [], atRisk: [] })
    expect(f.message).toBe(
      `Too little data: 30 visitors reached 'done' and ${few.length - 30} did not; a model needs at least 50 of each.`,
    )
    expect(body.minPerClass).toBe(50)
  })

  it('refuses bad queries and callers without the token', async () => {
    expect((await insight('site=acme&limit=0')).body).toEqual({
      error: 'limit must be a whole number from 1 to 100',
      path: 'limit',
    })
    expect((await insight('site=acme&days=x')).status).toBe(400)
    expect((await insight('site=ghost')).status).toBe(404)
    const r = await SELF.fetch('https://edge.example/v1/insights/propensity?site=acme')
    expect(r.status).toBe(401)
  })
})

describe('segments over the propensity score', () => {
  const visit = (visitor: string, session: string, events: ReturnType<typeof event>[]) =>
    post('/v1/events', batch(events, { visitor, session }), HUMAN)
  const decideFor = async (visitor: string) =>
    (await (
      await post('/v1/decide', { site: 'acme', visitor, session: 'x', url: 'https://shop.example/' }, HUMAN)
    ).json()) as any

  it('decide a slot for a visitor the model finds likely to convert, and not for one it does not', async () => {
    await seedProfiles(TRAINING)
    // Before any model, nobody has a score: the rule matches no one.
    for (let s = 0; s < 3; s++)
      await visit('live-keen', `s${s}`, [
        ...Array.from({ length: 8 }, () => event()),
        event({ type: 'step', name: 'onboarding', props: { step: 'invite' } }),
      ])
    await visit('live-cross', 's0', [
      event(),
      ...Array.from({ length: 5 }, () => event({ type: 'rage_click', props: { text: 'Save' } })),
    ])
    expect((await decideFor('live-keen')).decisions).toEqual({})
    await retrain(env, 'acme', Date.now())
    expect((await decideFor('live-keen')).decisions).toEqual({ hero: 'upgrade' })
    expect((await decideFor('live-cross')).decisions).toEqual({})
    // The batch's own answer decides the same way.
    const r = (await (await visit('live-keen', 's3', [event()])).json()) as any
    expect(r.decisions).toEqual({ hero: 'upgrade' })
    // The score is worked out where it is read, never stored with the profile.
    await drained()
    const stored = await env.DB.prepare(
      "SELECT profile FROM visitors WHERE site = 'acme' AND id = 'live-keen'",
    ).first<string>('profile')
    expect(JSON.parse(stored!).propensity).toBeUndefined()
  })

  it('count in insights filtered by the segment and in segment sizes once a model scores them', async () => {
    await seedProfiles(TRAINING)
    for (let s = 0; s < 3; s++)
      await visit('live-keen', `s${s}`, [
        ...Array.from({ length: 8 }, () => event()),
        event({ type: 'step', name: 'onboarding', props: { step: 'invite' } }),
      ])
    await visit('live-cross', 's0', [
      event(),
      ...Array.from({ length: 5 }, () => event({ type: 'rage_click', props: { text: 'Save' } })),
    ])
    await drained()
    const read = async (path: string) =>
      (await (await SELF.fetch(`https://edge.example/v1/insights/${path}`, { headers: ADMIN })).json()) as any
    const likely = async () =>
      (await read('personalisation?site=acme&days=1')).segments.find((s: any) => s.id === 'likely')
    // Without a model only those who reached the goal are in it (their chance is 1): neither
    // live visitor, so an insight filtered by it counts nobody (sizes are of the period's
    // visitors, as the filter counts them: the seeded profiles have no events in it).
    expect((await likely()).visitors).toBe(0)
    expect((await read('overview?site=acme&days=1&segment=likely')).visitors).toBe(0)
    expect((await read('overview?site=acme&days=1')).visitors).toBe(2)
    // Trained without the two live visitors (as in the test above), who then come back.
    await env.DB.prepare("DELETE FROM visitors WHERE site = 'acme' AND id LIKE 'live-%'").run()
    await retrain(env, 'acme', Date.now())
    await visit('live-keen', 's3', [event()])
    await drained()
    expect((await decideFor('live-keen')).decisions).toEqual({ hero: 'upgrade' })
    // keen among the seeded profiles and live-keen are likely now; only live-keen has events.
    expect((await likely()).visitors).toBe(1)
    expect((await read('overview?site=acme&days=1&segment=likely')).visitors).toBe(1)
  })

  it('are refused with the site when they name a funnel it does not have, or a chance outside 0..1', async () => {
    const put = (segments: unknown) =>
      SELF.fetch('https://edge.example/v1/admin/sites/acme', {
        method: 'PUT',
        headers: ADMIN,
        body: JSON.stringify({ origins: ['https://shop.example'], config: { ...config, segments, slots: [] } }),
      })
    const a = await put([{ id: 'likely', rule: { field: 'propensity.checkout', op: 'gte', value: 0.8 } }])
    expect(a.status).toBe(400)
    expect(await a.json()).toEqual({
      error:
        "config segments[0] 'likely': rule.field 'propensity.checkout' names no funnel of this site (funnels: onboarding)",
      path: 'config.segments[0].rule.field',
    })
    const b = await put([{ id: 'likely', rule: { field: 'propensity.onboarding', op: 'gte', value: 80 } }])
    expect(await b.json()).toEqual({
      error: "config segments[0] 'likely': rule.value must be a chance from 0 to 1 for 'propensity.onboarding'",
      path: 'config.segments[0].rule.value',
    })
    // Nothing was half-written: the site keeps its config.
    const site = (await (
      await SELF.fetch('https://edge.example/v1/admin/sites/acme', { headers: ADMIN })
    ).json()) as any
    expect(site.config.segments).toEqual(config.segments)
  })
})
