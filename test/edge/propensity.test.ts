/**
 * Prediction through the API (issues 11 and 23): the hourly job trains each funnel's model and the
 * churn model from the events in D1, looking forward from cutoff dates; `GET
 * /v1/insights/propensity` reports each one's forward test (AUC against two baselines,
 * calibration, a leakage warning) and lists the likeliest converters, the visitors at risk and
 * those likeliest to leave; segments decide with the score.
 */
import { SELF, env } from 'cloudflare:test'
import { beforeEach, describe, expect, it } from 'vitest'
import worker from '../../edge/index'
import { ADMIN, batch, drained, emptyDb, event, givenSite, post, until, DESKTOP } from './helpers'
import { DAY, inviteThenDone, ONBOARDING, partnerAlwaysConverts, shardProfile, type History } from './propensity-data'
import type { SiteConfig } from '../../snippet/contract/wire'
import { retrain } from '../../edge/jobs/propensity'
import { forgetModels } from '../../edge/models'
import { simulateSite } from '../../scripts/propensity-sim'

const NOW = Date.now()
/** The simulated sites end an hour before today (UTC): the same layout against the cutoffs whenever the test runs. */
const END = Math.floor(NOW / DAY) * DAY - 3_600_000
const config: SiteConfig = {
  funnels: [{ id: 'onboarding', steps: ONBOARDING.steps.map((id) => ({ id })) }],
  segments: [{ id: 'likely', rule: { field: 'propensity.onboarding', op: 'gte', value: 0.8 } }],
  slots: [{ id: 'hero', rules: [{ when: 'likely', variant: 'upgrade' }] }],
}

/** Events straight into D1 as ingest stores them, and each visitor's profile as their shard keeps it. */
async function seed(rows: History[], site = 'acme') {
  const events = rows.flatMap((h) => h.events.map((e) => ({ ...e, visitor: h.id })))
  for (let i = 0; i < events.length; i += 2000)
    await env.DB.prepare(
      `INSERT INTO events (site, id, visitor, session, type, name, url, ts, client_ts, received_at, props, flags)
       SELECT ?, j ->> 'id', j ->> 'visitor', j ->> 'session', j ->> 'type', j ->> 'name', coalesce(j ->> 'url', ''),
              j ->> 'ts', j ->> 'ts', j ->> 'ts', j -> 'props', j ->> 'flags'
       FROM (SELECT value AS j FROM json_each(?))`,
    )
      .bind(site, JSON.stringify(events.slice(i, i + 2000)))
      .run()
  const profiles = rows.map((h) => ({ id: h.id, p: shardProfile(h)! }))
  for (let i = 0; i < profiles.length; i += 500)
    await env.DB.prepare(
      `INSERT INTO visitors (site, id, first_seen, last_seen, sessions, profile)
       SELECT ?, j ->> 'id', j ->> '$.p.firstSeen', j ->> '$.p.lastSeen', j ->> '$.p.sessions', j -> 'p'
       FROM (SELECT value AS j FROM json_each(?))`,
    )
      .bind(site, JSON.stringify(profiles.slice(i, i + 500)))
      .run()
}

/** A site whose visitors' intent shows before they convert (npm run propensity's simulation, up to now). */
const INTENT = simulateSite({ visitors: 1500, seed: 7, intent: true, days: 85, end: END })
/** Visitors whose only tell is the step just before the goal (domain/forward.ts cannot see it coming). */
const LEAKY = inviteThenDone(800, 11, END, 85)

const insight = async (query = 'site=acme') => {
  const r = await SELF.fetch(`https://edge.example/v1/insights/propensity?${query}`, { headers: ADMIN })
  return { status: r.status, body: (await r.json()) as any }
}
const train = async (query = '') => {
  const r = await SELF.fetch(`https://edge.example/v1/insights/propensity/train?site=acme${query}`, {
    method: 'POST',
    headers: ADMIN,
  })
  return { status: r.status, body: (await r.json()) as any }
}
const stored = async () =>
  (await env.DB.prepare(
    `SELECT (SELECT count(*) FROM propensity_models WHERE site = 'acme') + (SELECT count(*) FROM churn_models WHERE site = 'acme') AS n`,
  ).first<number>('n')) ?? 0

beforeEach(async () => {
  // Each isolate keeps a site's models for minutes: a model of an earlier test is not this one's.
  forgetModels('acme')
  await emptyDb()
  await givenSite('acme', config)
})

describe('prediction models', () => {
  it('are trained by the hourly Cron Trigger through the jobs queue from the events, and stored with their forward test', async () => {
    await seed(INTENT)
    const controller = { scheduledTime: Date.now(), cron: '7 * * * *', noRetry() {} }
    await worker.scheduled(controller as ScheduledController, env)
    await until(async () => {
      if ((await stored()) !== 2) throw new Error('no models yet')
    }, 60_000)
    const row = await env.DB.prepare("SELECT * FROM propensity_models WHERE site = 'acme'").first<any>()
    expect(row).toMatchObject({ funnel: 'onboarding', goal: 'done', reason: null })
    expect(row.trained_at).toBeGreaterThanOrEqual(controller.scheduledTime)
    const evaluation = JSON.parse(row.evaluation)
    // The default: measured on the UTC day 14 days ago, trained at four cutoffs 14 days apart before it.
    const cutoff = Math.floor(controller.scheduledTime / DAY) * DAY - 14 * DAY
    expect(evaluation).toMatchObject({
      horizonDays: 14,
      cutoff,
      trainCutoffs: [4, 3, 2, 1].map((k) => cutoff - k * 14 * DAY),
    })
    expect(evaluation.auc).toBeGreaterThan(evaluation.baselines.step)
    const churn = await env.DB.prepare("SELECT training FROM churn_models WHERE site = 'acme'").first<string>(
      'training',
    )
    expect(JSON.parse(churn!).model.features).toContain('recencyDays')
  })

  it('report AUC against the current step and visits alone, calibration, and list who will convert, who is stuck, who will leave', async () => {
    await seed(INTENT)
    // Two visitors today: one keen (browses a lot, at the step before the goal), one cross.
    const keen = { id: 'keen', events: [] as History['events'] }
    for (let s = 0; s < 3; s++) {
      const t0 = NOW - (4 - s) * 3_600_000
      for (let i = 0; i < 8; i++)
        keen.events.push({
          id: `k${s}-${i}`,
          session: `k${s}`,
          type: 'pageview',
          ts: t0 + i,
          url: 'https://shop.example/',
          props: { topics: ['pricing'] },
          flags: 0,
        })
      keen.events.push({
        id: `k${s}-s`,
        session: `k${s}`,
        type: 'step',
        name: 'onboarding',
        ts: t0 + 20,
        props: { step: 'invite' },
        flags: 0,
      })
    }
    const cross: History = {
      id: 'cross',
      events: [
        {
          id: 'c0',
          session: 'c',
          type: 'pageview',
          ts: NOW - 7_200_000,
          url: 'https://shop.example/',
          props: {},
          flags: 0,
        },
        {
          id: 'c1',
          session: 'c',
          type: 'step',
          name: 'onboarding',
          ts: NOW - 7_100_000,
          props: { step: 'account' },
          flags: 0,
        },
        ...Array.from({ length: 5 }, (_, i) => ({
          id: `c${i + 2}`,
          session: 'c',
          type: 'rage_click',
          ts: NOW - 7_000_000 + i,
          props: {},
          flags: 0,
        })),
      ],
    }
    await seed([keen, cross])
    const run = await train()
    expect(run.status).toBe(200)
    const { status, body } = await insight()
    expect(status).toBe(200)
    const f = body.funnels[0]
    expect(f).toMatchObject({
      funnel: 'onboarding',
      goal: 'done',
      ready: true,
      message: null,
      warning: null,
      horizonDays: 14,
    })
    expect(f.auc).toBe(run.body.trained[0].auc)
    expect(f.auc).toBeGreaterThan(f.baselines.step)
    expect(f.auc).toBeGreaterThan(f.baselines.visits)
    expect(f.holdout).toBeGreaterThan(300)
    expect(f.holdoutConverters).toBeGreaterThanOrEqual(10)
    expect(f.calibration.bins).toHaveLength(10)
    expect(f.calibration.brier).toBeLessThan(f.calibration.brierBaseRate)
    expect(f.calibration.bins.reduce((s: number, b: any) => s + b.n, 0)).toBe(f.holdout)
    expect(f.likely[0]).toMatchObject({ id: 'keen', step: 'invite' })
    expect(f.likely[0].score).toBeGreaterThan(0.8)
    expect(f.likely.map((v: any) => v.score)).toEqual([...f.likely.map((v: any) => v.score)].sort((a, b) => b - a))
    expect(f.atRisk.map((v: any) => v.score)).toEqual([...f.atRisk.map((v: any) => v.score)].sort((a, b) => a - b))
    expect(f.drivers.length).toBe(5)
    // Churn: returning visitors likeliest not to come back within 14 days, measured the same way.
    expect(body.churn).toMatchObject({ ready: true, message: null, horizonDays: 14, warning: null })
    expect(body.churn.auc).toBeGreaterThan(body.churn.baselines.recency)
    expect(body.churn.calibration.bins).toHaveLength(10)
    expect(body.churn.leaving.length).toBeGreaterThan(0)
    expect(body.churn.leaving.map((v: any) => v.id)).not.toContain('cross') // one session, never identified
    expect((await insight('site=acme&limit=3')).body.funnels[0].likely).toHaveLength(3)
    // The visitor's timeline carries the same score; the cross visitor's is among the lowest.
    const scoreOf = async (id: string) => {
      const t = await SELF.fetch(`https://edge.example/v1/insights/visitors/${id}?site=acme`, { headers: ADMIN })
      return ((await t.json()) as any).propensity[0].score as number
    }
    expect(await scoreOf('keen')).toBeCloseTo(f.likely[0].score, 2)
    expect(await scoreOf('cross')).toBeLessThan(0.05)
    expect(f.atRisk[0].score).toBeLessThanOrEqual(await scoreOf('cross'))
  })

  it('do not report the leak of a step taken just before the goal, and warn when the AUC is 0.98 or more', async () => {
    await seed(LEAKY)
    await train()
    const f = (await insight()).body.funnels[0]
    expect(f.ready).toBe(true)
    expect(Math.abs(f.auc - 0.5)).toBeLessThan(0.15)
    expect(f.warning).toBeNull()
    // A partner's visitors all convert at their next visit: known before any cutoff, perfectly.
    await emptyDb()
    await givenSite('acme', config)
    await seed(partnerAlwaysConverts(1000, 5, END, 85))
    await train()
    const { body } = await insight()
    const g = body.funnels[0]
    expect(g.auc).toBeGreaterThanOrEqual(body.leakAuc)
    expect(body.leakAuc).toBe(0.98)
    expect(g.warning).toMatch(/check for leakage/)
  })

  it('train with another horizon and holdout cutoff when asked, and keep that horizon', async () => {
    await seed(INTENT)
    const cutoff = Math.floor(NOW / DAY) * DAY - 10 * DAY
    const r = await train(`&horizon=7&cutoff=${new Date(cutoff).toISOString().slice(0, 10)}`)
    expect(r.status).toBe(200)
    expect(r.body).toMatchObject({ horizonDays: 7, cutoff })
    const f = (await insight()).body.funnels[0]
    expect(f).toMatchObject({ horizonDays: 7, cutoff, trainCutoffs: [4, 3, 2, 1].map((k) => cutoff - k * 7 * DAY) })
    // The next run without a horizon keeps 7 days; its cutoff moves back to the latest.
    await retrain(env, 'acme', NOW)
    expect((await insight()).body.churn).toMatchObject({
      horizonDays: 7,
      cutoff: Math.floor(NOW / DAY) * DAY - 7 * DAY,
    })
  })

  it('say there is too little data instead of showing scores', async () => {
    await seed(LEAKY.slice(0, 150))
    const { body } = await insight()
    expect(body.funnels[0]).toMatchObject({ ready: false, trainedAt: null, likely: [], atRisk: [] })
    expect(body.funnels[0].message).toMatch(/not trained yet/i)
    // The same as data, for the dashboard to say in the team's language.
    expect(body.funnels[0].messageFacts).toEqual({ kind: 'untrained' })
    expect(body.churn).toMatchObject({ ready: false, leaving: [], messageFacts: { kind: 'untrained' } })
    await retrain(env, 'acme', NOW)
    const f = (await insight()).body.funnels[0]
    expect(f).toMatchObject({ ready: false, auc: null, trainedAt: NOW, likely: [], atRisk: [] })
    expect(f.message).toMatch(
      /^Too little data: at the training cutoffs \(\d{4}-\d\d-\d\d to \d{4}-\d\d-\d\d\) \d+ visitors reached 'done' within 14 days and \d+ did not; a model needs at least 50 of each\.$/,
    )
    expect(f.messageFacts).toEqual({
      kind: 'tooLittleToTrain',
      from: f.trainCutoffs[0],
      to: f.trainCutoffs.at(-1),
      positives: f.converters,
      negatives: f.others,
      min: 50,
    })
    expect(f.message).toContain(`${f.converters} visitors reached 'done' within 14 days and ${f.others} did not`)
    expect(body.minPerClass).toBe(50)
  })

  it('refuse a cutoff in the future, a cutoff whose horizon has not passed, a bad horizon, and callers without the token', async () => {
    await seed(LEAKY.slice(0, 100))
    const future = await train('&cutoff=2999-01-01')
    expect(future).toEqual({
      status: 400,
      body: {
        error: 'cutoff 2999-01-01 is in the future: the models learn from what happened after it',
        path: 'cutoff',
      },
    })
    const recent = new Date(NOW - 3 * DAY).toISOString().slice(0, 10)
    expect((await train(`&cutoff=${recent}`)).body).toEqual({
      error: `cutoff ${recent} is less than 14 days ago: the 14 days after it have not all happened yet`,
      path: 'cutoff',
    })
    expect((await train('&cutoff=soon')).body.path).toBe('cutoff')
    expect((await train('&horizon=0')).body).toEqual({
      error: 'horizon must be a whole number of days from 1 to 90',
      path: 'horizon',
    })
    // Nothing was trained or stored by a refused request.
    expect(await stored()).toBe(0)
    expect((await insight('site=acme&limit=0')).body).toEqual({
      error: 'limit must be a whole number from 1 to 100',
      path: 'limit',
    })
    expect((await insight('site=ghost')).status).toBe(404)
    expect((await SELF.fetch('https://edge.example/v1/insights/propensity?site=acme')).status).toBe(401)
  })

  it('do not use a model trained before forward tests', async () => {
    await env.DB.prepare(
      `INSERT INTO propensity_models (site, funnel, goal, trained_at, n, converters, others, holdout, auc, model, reason)
       VALUES ('acme', 'onboarding', 'done', ?, 600, 300, 300, 150, 0.999, ?, NULL)`,
    )
      .bind(
        NOW,
        JSON.stringify({
          funnel: 'onboarding',
          goal: 'done',
          features: [],
          means: [],
          scales: [],
          weights: [],
          intercept: 5,
          funnels: [],
        }),
      )
      .run()
    const f = (await insight()).body.funnels[0]
    expect(f).toMatchObject({ ready: false, auc: null, likely: [] })
    expect(f.message).toMatch(/^Trained before models were tested forward/)
  })
})

describe('segments over the propensity score', () => {
  const visit = (visitor: string, session: string, events: ReturnType<typeof event>[]) =>
    post('/v1/events', batch(events, { visitor, session }), DESKTOP)
  const decideFor = async (visitor: string) =>
    (await (
      await post('/v1/decide', { site: 'acme', visitor, session: 'x', url: 'https://shop.example/' }, DESKTOP)
    ).json()) as any
  const keenVisits = async (visitor: string) => {
    for (let s = 0; s < 3; s++)
      await visit(visitor, `s${s}`, [
        ...Array.from({ length: 8 }, () => event({ props: { topics: ['pricing'] } })),
        event({ type: 'step', name: 'onboarding', props: { step: 'invite' } }),
      ])
  }

  it('decide a slot for a visitor the model finds likely to convert, and not for one it does not', async () => {
    await seed(INTENT)
    await keenVisits('live-keen')
    await visit('live-cross', 's0', [
      event(),
      ...Array.from({ length: 5 }, () => event({ type: 'rage_click', props: { text: 'Save' } })),
    ])
    // Before any model, nobody has a score: the rule matches no one.
    expect((await decideFor('live-keen')).decisions).toEqual({})
    await retrain(env, 'acme', Date.now())
    expect((await decideFor('live-keen')).decisions).toEqual({ hero: 'upgrade' })
    expect((await decideFor('live-cross')).decisions).toEqual({})
    // The score is worked out where it is read, never stored.
    await drained()
    const p = await env.DB.prepare(
      "SELECT profile FROM visitors WHERE site = 'acme' AND id = 'live-keen'",
    ).first<string>('profile')
    expect(JSON.parse(p!).propensity).toBeUndefined()
  })

  it('count in insights filtered by the segment once a model scores them', async () => {
    await seed(INTENT)
    await retrain(env, 'acme', Date.now())
    const read = async (path: string) =>
      (await (await SELF.fetch(`https://edge.example/v1/insights/${path}`, { headers: ADMIN })).json()) as any
    const size = async () =>
      (await read('personalisation?site=acme&days=1')).segments.find((s: any) => s.id === 'likely').visitors
    const likely = async () => (await read('overview?site=acme&days=1&segment=likely')).visitors as number
    // The seeded visitors' events end before today: the period of one day has nobody yet.
    expect([(await read('overview?site=acme&days=1')).visitors, await likely(), await size()]).toEqual([0, 0, 0])
    await keenVisits('live-keen')
    await visit('live-cross', 's0', [event(), event({ type: 'rage_click', props: { text: 'Save' } })])
    await drained()
    // Both are today's visitors; only live-keen is likely, as a filter and as a segment's size.
    expect((await read('overview?site=acme&days=1')).visitors).toBe(2)
    expect(await likely()).toBe(1)
    expect(await size()).toBe(1)
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
