import { beforeEach, describe, expect, it } from 'vitest'
import { SELF } from 'cloudflare:test'
import { ADMIN, batch, drained, emptyDb, event, givenSite, post, storedEvents } from './helpers'
import { dueSurveys, SURVEY_GAP_MS, surveyReport } from '../../edge/domain/surveys'
import { validateSite } from '../../edge/domain/site'
import type { SurveyConfig } from '../../snippet/core/wire'

const HUMAN = { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36' }
const STUCK: SurveyConfig = {
  id: 'stuck',
  kind: 'text',
  question: 'What is stopping you?',
  trigger: { event: 'stall', name: 'onboarding' },
}
const PRICING: SurveyConfig = {
  id: 'pricing-nps',
  kind: 'nps',
  question: 'How likely are you to recommend us?',
  followUp: 'What is the main reason for your score?',
  trigger: { event: 'pageview', path: '/pricing' },
}
/** What saving a site with these surveys answers: null, or the error naming the field. */
const surveysError = (surveys: unknown[]) => {
  const r = validateSite('acme', { config: { surveys } })
  return r.ok ? null : r.error
}
const CSAT: SurveyConfig = { id: 'help', kind: 'csat', question: 'Was this page helpful?' }
const SURVEYS = [STUCK, PRICING, CSAT]

const stall = (over = {}) => event({ type: 'stall', name: 'onboarding', props: { step: 'workspace' }, ...over })
const send = async (events: ReturnType<typeof event>[], visitor = 'visitor-1') => {
  const r = await post('/v1/events', batch(events, { visitor }), HUMAN)
  expect(r.status).toBe(200)
  return (await r.json()) as { surveys: { id: string; kind: string; question: string; followUp?: string }[] }
}

beforeEach(async () => {
  await emptyDb()
  await givenSite('acme', { surveys: SURVEYS })
})

describe('which survey is due', () => {
  const now = Date.UTC(2026, 10, 25)
  it('offers the first survey whose trigger a new event matches, without its targeting', () => {
    expect(dueSurveys(SURVEYS, [stall({ ts: now })], {}, now)).toEqual([
      { id: 'stuck', kind: 'text', question: 'What is stopping you?' },
    ])
    const view = event({ url: 'https://shop.example/pricing/team?x=1', ts: now })
    expect(dueSurveys(SURVEYS, [view], {}, now).map((s) => s.followUp)).toEqual([PRICING.followUp])
    const french = { ...STUCK, labels: { send: 'Envoyer', thanks: 'Merci !' } }
    expect(dueSurveys([french], [stall()], {}, now)[0]!.labels).toEqual({ send: 'Envoyer', thanks: 'Merci !' })
  })

  it('offers nothing for events that match no trigger part', () => {
    const misses = [
      event({ type: 'stall', name: 'checkout' }), // another funnel
      event({ type: 'pageview', url: 'https://shop.example/prices' }), // another path
      event({ type: 'click', url: 'https://shop.example/pricing' }), // another type
    ]
    expect(dueSurveys(SURVEYS, misses, {}, now)).toEqual([])
  })

  it('never offers a survey twice, and none within a day of the last one', () => {
    expect(dueSurveys(SURVEYS, [stall()], { stuck: now - 30 * SURVEY_GAP_MS }, now)).toEqual([])
    const view = event({ url: 'https://shop.example/pricing' })
    expect(dueSurveys(SURVEYS, [view], { stuck: now - SURVEY_GAP_MS + 1000 }, now)).toEqual([])
    expect(dueSurveys(SURVEYS, [view], { stuck: now - SURVEY_GAP_MS }, now).map((s) => s.id)).toEqual(['pricing-nps'])
    // Shown in the same batch as the trigger (the page showed it itself): not again.
    const shown = event({ type: 'survey_shown', name: 'stuck', ts: now })
    expect(dueSurveys(SURVEYS, [stall(), shown], {}, now)).toEqual([])
  })

  it('refuses survey definitions a site owner got wrong, saying where', () => {
    expect(surveysError(SURVEYS)).toBeNull()
    expect(surveysError([{ ...CSAT, kind: 'stars' }])).toBe('config.surveys[0].kind must be nps, csat or text')
    expect(surveysError([CSAT, { ...CSAT }])).toBe("config.surveys[1] uses the id 'help' twice")
    expect(surveysError([{ ...CSAT, question: ' ' }])).toMatch(/question must be a non-empty string/)
    expect(surveysError([{ ...CSAT, trigger: {} }])).toBe('config.surveys[0].trigger needs an event, a name or a path')
    expect(surveysError([{ ...CSAT, trigger: { path: 'pricing' } }])).toMatch(/path must be a URL path/)
    expect(surveysError([{ ...CSAT, id: 'a b' }])).toMatch(/id must be/)
    expect(surveysError([{ ...CSAT, labels: { low: 'Pas du tout', high: 'Tout à fait' } }])).toBeNull()
    expect(surveysError([{ ...CSAT, labels: { style: 'x' } }])).toBe(
      'config.surveys[0].labels.style is not a known field (check its spelling)',
    )
    expect(surveysError([{ ...CSAT, labels: { send: 'x'.repeat(61) } }])).toMatch(/at most 60 characters/)
  })
})

describe('POST /v1/events answers with the survey due', () => {
  it('offers the onboarding survey when a stall arrives, and not again once shown', async () => {
    expect((await send([event()])).surveys).toEqual([])
    const first = await send([stall()])
    expect(first.surveys).toEqual([{ id: 'stuck', kind: 'text', question: 'What is stopping you?' }])
    // The snippet showed it; a later stall (or a retry of the first) offers nothing.
    await send([event({ type: 'survey_shown', name: 'stuck' })])
    expect((await send([stall()])).surveys).toEqual([])
    // Another visitor still gets it.
    expect((await send([stall()], 'visitor-2')).surveys.map((s) => s.id)).toEqual(['stuck'])
  })

  it('offers nothing for a retried batch: only new events trigger', async () => {
    const b = [stall()]
    expect((await send(b)).surveys).toHaveLength(1)
    expect((await send(b)).surveys).toEqual([])
  })

  it('refuses a site whose surveys are malformed, and keeps the old config', async () => {
    const r = await SELF.fetch('https://edge.example/v1/admin/sites/acme', {
      method: 'PUT',
      headers: { ...ADMIN, 'content-type': 'application/json' },
      body: JSON.stringify({ origins: ['https://shop.example'], config: { surveys: [{ id: 'x', kind: 'nps' }] } }),
    })
    expect(r.status).toBe(400)
    expect(((await r.json()) as any).error).toBe('config.surveys[0].question is missing')
    const cfg = (await (await SELF.fetch('https://edge.example/v1/config?site=acme')).json()) as any
    expect(cfg.surveys.map((s: SurveyConfig) => s.id)).toEqual(['stuck', 'pricing-nps', 'help'])
  })
})

describe('GET /v1/insights/surveys', () => {
  const answer = (survey: string, props: { score: number; text?: string }) =>
    event({ type: 'survey_answer', name: survey, props })
  const shown = (survey: string) => event({ type: 'survey_shown', name: survey })

  it('reports reach, response rate, NPS, the score spread and the newest comments as text', async () => {
    const scores = [10, 9, 9, 8, 6, 3] // 3 promoters, 1 passive, 2 detractors → NPS 17
    for (const [i, score] of scores.entries()) {
      const props = i === 4 ? { score, text: '<b>too pricey</b>' } : { score }
      await send([shown('pricing-nps'), answer('pricing-nps', props)], `v${i}`)
    }
    await send([shown('pricing-nps'), event({ type: 'survey_dismiss', name: 'pricing-nps' })], 'v-late')
    await send([shown('help'), answer('help', { score: 5 }), answer('help', { score: 99 })], 'v-help')
    // A bot's answers never count.
    await post('/v1/events', batch([shown('help'), answer('help', { score: 1 })], { visitor: 'bot' }), {
      'user-agent': 'Googlebot/2.1',
    })

    await drained()
    const r = await SELF.fetch('https://edge.example/v1/insights/surveys?site=acme&days=7', { headers: ADMIN })
    expect(r.status).toBe(200)
    const body = (await r.json()) as any
    const nps = body.surveys.find((s: any) => s.id === 'pricing-nps')
    expect(nps).toMatchObject({ shown: 7, answered: 6, dismissed: 1, headline: 17 })
    expect(nps.responseRate).toBeCloseTo(6 / 7)
    expect(nps.scores).toEqual([
      { score: 3, n: 1 },
      { score: 6, n: 1 },
      { score: 8, n: 1 },
      { score: 9, n: 2 },
      { score: 10, n: 1 },
    ])
    expect(nps.comments).toEqual([expect.objectContaining({ text: '<b>too pricey</b>', score: 6 })])
    const help = body.surveys.find((s: any) => s.id === 'help')
    // The out-of-range 99 is left out of the spread; the bot's 1 is not counted at all.
    expect(help).toMatchObject({ shown: 1, answered: 1, headline: 100, scores: [{ score: 5, n: 1 }] })
    expect(body.surveys.find((s: any) => s.id === 'stuck')).toMatchObject({ shown: 0, responseRate: null })
  })

  it('needs the admin token', async () => {
    const r = await SELF.fetch('https://edge.example/v1/insights/surveys?site=acme')
    expect(r.status).toBe(401)
    expect((await storedEvents()).total).toBe(0)
  })
})

describe('survey report', () => {
  it('has no headline and no division by zero before any answer', () => {
    const [r] = surveyReport([PRICING], [], [], [])
    expect(r).toMatchObject({ shown: 0, answered: 0, responseRate: null, headline: null, scores: [], comments: [] })
  })
})
