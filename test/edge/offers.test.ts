/** Signed survey offers: answers the worker did not offer are kept, flagged, and never scored. */
import { beforeEach, describe, expect, it } from 'vitest'
import { SELF, env } from 'cloudflare:test'
import { ADMIN, batch, drained, emptyDb, event, givenSite, post, storedEvents, DESKTOP } from './helpers'
import { OFFER_TTL_MS, offerValid, signOffer } from '../../edge/domain/offers'
import { FLAG } from '../../edge/domain/flags'
import { siteSecret } from '../../edge/store/sites'
import type { SurveyConfig, SurveyDue } from '../../snippet/contract/wire'

const NPS: SurveyConfig = {
  id: 'nps',
  kind: 'nps',
  question: 'How likely are you to recommend us?',
  trigger: { event: 'track', name: 'exported' },
}
const HELP: SurveyConfig = { id: 'help', kind: 'csat', question: 'Was this page helpful?' }

const send = async (events: ReturnType<typeof event>[], visitor: string) => {
  const r = await post('/v1/events', batch(events, { visitor }), DESKTOP)
  expect(r.status).toBe(200)
  return (await r.json()) as { surveys: SurveyDue[] }
}
const answer = (score: number, hash?: string) =>
  event({ type: 'survey_answer', name: 'nps', props: { kind: 'nps', score }, hash })

beforeEach(async () => {
  await emptyDb()
  await givenSite('acme', { surveys: [NPS, HELP] })
})

describe('an offer', () => {
  const now = Date.UTC(2026, 5, 1)
  it('is good for its survey, visitor and site secret, for seven days', async () => {
    const offer = await signOffer('secret-1', 'acme', 'nps', 'visitor-1', now)
    const valid = (over: Partial<{ secret: string; survey: string; visitor: string; offer: string; at: number }>) =>
      offerValid(
        over.secret ?? 'secret-1',
        'acme',
        over.survey ?? 'nps',
        over.visitor ?? 'visitor-1',
        over.offer ?? offer,
        over.at ?? now,
      )
    expect(await valid({})).toBe(true)
    expect(await valid({ at: now + OFFER_TTL_MS })).toBe(true)
    expect(await valid({ at: now + OFFER_TTL_MS + 1 })).toBe(false)
    expect(await valid({ at: now - 120_000 })).toBe(false) // made "in the future"
    expect(await valid({ survey: 'help' })).toBe(false)
    expect(await valid({ visitor: 'visitor-2' })).toBe(false)
    expect(await valid({ secret: 'rotated' })).toBe(false)
    expect(await valid({ offer: offer.replace(/.$/, (c) => (c === '0' ? '1' : '0')) })).toBe(false)
    expect(await valid({ offer: 'not an offer' })).toBe(false)
  })
})

describe('answers and offers through the worker', () => {
  it('an answer carrying the offer counts; forged ones are stored, flagged, left out of NPS, and counted', async () => {
    const offered = await send([event({ type: 'track', name: 'exported' })], 'fan')
    expect(offered.surveys.map((s) => s.id)).toEqual(['nps'])
    const offer = offered.surveys[0]!.offer!
    await send([event({ type: 'survey_shown', name: 'nps', hash: offer }), answer(10, offer)], 'fan')
    // Posted from a server: no offer, someone else's offer, an offer for another survey.
    await send([answer(0)], 'forger-1')
    await send([answer(0, offer)], 'forger-2')
    const helpShown = event({ type: 'survey_shown', name: 'help', props: { asked: true } })
    const help = (await send([helpShown], 'forger-3')).surveys[0]!.offer!
    await send(
      [answer(0, await signOffer('guess', 'acme', 'nps', 'forger-3', Date.now())), answer(1, help)],
      'forger-3',
    )

    const { events } = await storedEvents('acme', '&type=survey_answer')
    const flagged = (visitor: string) => events.filter((e) => e.visitor === visitor).map((e) => e.flags & FLAG.unsigned)
    expect(flagged('fan')).toEqual([0])
    expect(flagged('forger-1')).toEqual([FLAG.unsigned])
    expect(flagged('forger-2')).toEqual([FLAG.unsigned])
    expect(flagged('forger-3')).toEqual([FLAG.unsigned, FLAG.unsigned])

    const r = await SELF.fetch('https://edge.example/v1/insights/surveys?site=acme&days=1', { headers: ADMIN })
    const nps = ((await r.json()) as any).surveys.find((s: any) => s.id === 'nps')
    expect(nps).toMatchObject({ headline: 100, scores: [{ score: 10, n: 1 }], unsigned: 4 })
  })

  it("signs the survey a page showed itself (ciel('survey', id)) in the answer to that batch", async () => {
    const asked = await send(
      [event({ type: 'survey_shown', name: 'help', props: { kind: 'csat', asked: true } })],
      'v1',
    )
    expect(asked.surveys).toEqual([
      { id: 'help', kind: 'csat', question: 'Was this page helpful?', offer: expect.stringMatching(/\./) },
    ])
    const a = event({
      type: 'survey_answer',
      name: 'help',
      props: { kind: 'csat', score: 4 },
      hash: asked.surveys[0]!.offer,
    })
    await send([a], 'v1')
    await drained()
    const { events } = await storedEvents('acme', '&type=survey_answer')
    expect(events.map((e) => e.flags)).toEqual([0])
    // A survey_shown the worker offered (not asked for by the page) gets nothing more.
    expect((await send([event({ type: 'survey_shown', name: 'nps', props: { kind: 'nps' } })], 'v2')).surveys).toEqual(
      [],
    )
    // Nor one the site does not have.
    const unknown = event({ type: 'survey_shown', name: 'nope', props: { asked: true } })
    expect((await send([unknown], 'v3')).surveys).toEqual([])
  })
})

describe('answers with one offer', () => {
  const nps = async () => {
    await drained()
    const r = await SELF.fetch('https://edge.example/v1/insights/surveys?site=acme&days=1', { headers: ADMIN })
    return ((await r.json()) as any).surveys.find((s: any) => s.id === 'nps')
  }

  it('count once, however often they are sent: 30 answers with one offer move the NPS by one answer', async () => {
    const offerFor = async (visitor: string) =>
      (await send([event({ type: 'track', name: 'exported' })], visitor)).surveys[0]!.offer!
    const critic = await offerFor('critic')
    await send([event({ type: 'survey_shown', name: 'nps', hash: critic }), answer(0, critic)], 'critic')
    expect(await nps()).toMatchObject({ headline: -100 })

    // A script holding one offer: 30 promoter answers, one batch each, then a batch of 5 more.
    const offer = await offerFor('booster')
    await send([event({ type: 'survey_shown', name: 'nps', hash: offer })], 'booster')
    for (let i = 0; i < 30; i++) {
      const r = await post('/v1/events', batch([answer(10, offer)], { visitor: 'booster' }), DESKTOP)
      // Nothing is lost: each is stored (and acknowledged), flagged.
      expect(await r.json()).toMatchObject({ accepted: 1 })
    }
    await send(
      [0, 1, 2, 3, 4].map(() => answer(10, offer)),
      'booster',
    )
    // Asked for again the same day (`ciel('survey', id)`): a fresh offer, still within the survey's period.
    const again = (await send([event({ type: 'survey_shown', name: 'nps', props: { asked: true } })], 'booster'))
      .surveys[0]!.offer!
    expect(again).not.toBe(offer)
    // And an answer to a question the survey does not have.
    const stray = event({
      type: 'survey_answer',
      name: 'nps',
      props: { q: 'bonus', kind: 'nps', score: 10 },
      hash: again,
    })
    await send([answer(10, again), stray], 'booster')

    await drained()
    expect(await nps()).toMatchObject({
      headline: 0,
      scores: [
        { score: 0, n: 1 },
        { score: 10, n: 1 },
      ],
      extra: 36,
    })
    const { events } = await storedEvents('acme', '&type=survey_answer')
    expect(events.filter((e) => e.visitor === 'booster')).toHaveLength(37)
    // The trends' NPS too.
    const trends = await SELF.fetch('https://edge.example/v1/insights/trends?site=acme&days=7', { headers: ADMIN })
    expect(((await trends.json()) as any).metrics.find((m: any) => m.id === 'nps').total.current).toBe(0)
  })

  it("stays counted when its batch is sent again, and a visitor's answer counts again with an offer made a day later", async () => {
    const secret = (await siteSecret(env.DB, 'acme'))!
    const offerAt = (ago: number) => signOffer(secret, 'acme', 'nps', 'fan', Date.now() - ago * 86_400_000)
    const [first, sameDay, nextDays] = await Promise.all([offerAt(3), offerAt(2.5), offerAt(0)])
    const given = batch([answer(6, first)], { visitor: 'fan' })
    await post('/v1/events', given, DESKTOP)
    expect(await (await post('/v1/events', given, DESKTOP)).json()).toMatchObject({ accepted: 0, duplicates: 1 })
    await send([answer(0, sameDay)], 'fan')
    await send([answer(10, nextDays)], 'fan')
    await drained()
    expect(await nps()).toMatchObject({
      scores: [
        { score: 6, n: 1 },
        { score: 10, n: 1 },
      ],
      extra: 1,
    })
  })
})
