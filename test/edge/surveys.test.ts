import { beforeEach, describe, expect, it } from 'vitest'
import { SELF } from 'cloudflare:test'
import { ADMIN, batch, drained, emptyDb, event, givenSite, post, storedEvents, DESKTOP, CRAWLER } from './helpers'
import { dueSurveys, SURVEY_GAP_MS, surveyReport } from '../../edge/domain/surveys'
import { validateSite } from '../../edge/domain/site'
import { signOffer } from '../../edge/domain/offers'
import { siteSecret } from '../../edge/store/sites'
import { env } from 'cloudflare:test'
import type { SurveyConfig } from '../../snippet/contract/wire'

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

/** The offer the worker would sign for this survey and visitor now. */
const offerFor = async (survey: string, visitor: string) =>
  signOffer((await siteSecret(env.DB, 'acme'))!, 'acme', survey, visitor, Date.now())

const stall = (over = {}) => event({ type: 'stall', name: 'onboarding', props: { step: 'workspace' }, ...over })
const send = async (events: ReturnType<typeof event>[], visitor = 'visitor-1') => {
  const r = await post('/v1/events', batch(events, { visitor }), DESKTOP)
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
      // `after`: what triggered it (the page withdraws a survey about an abandoned form once it is submitted).
      { id: 'stuck', kind: 'text', question: 'What is stopping you?', after: 'stall' },
    ])
    const view = event({ url: 'https://shop.example/pricing/team?x=1', ts: now })
    expect(dueSurveys(SURVEYS, [view], {}, now).map((s) => s.followUp)).toEqual([PRICING.followUp])
    const french = { ...STUCK, labels: { send: 'Envoyer', thanks: 'Merci !' } }
    expect(dueSurveys([french], [stall()], {}, now)[0]!.labels).toEqual({ send: 'Envoyer', thanks: 'Merci !' })
  })

  it('offers no survey about a form the same batch shows submitted after all', () => {
    const WHY: SurveyConfig = {
      id: 'why',
      kind: 'text',
      question: 'Why did you stop?',
      trigger: { event: 'form_abandon' },
    }
    const url = 'https://shop.example/signup'
    const left = event({ type: 'form_abandon', url, ts: now - 5000, props: { form: 'signup', fields: ['email'] } })
    const sent = (over = {}) => event({ type: 'form_submit', url, ts: now, props: { form: 'signup' }, ...over })
    const due = (events: ReturnType<typeof event>[]) => dueSurveys([WHY], events, {}, now).map((s) => [s.id, s.after])
    // A hidden tab's send failed; the retry carries the abandonment and the submit after it.
    expect(due([left, sent()])).toEqual([])
    expect(due([left])).toEqual([['why', 'form_abandon']])
    // Another form, another page, or a submit before it: the abandonment stands.
    expect(due([left, sent({ props: { form: 'newsletter' } })])).toEqual([['why', 'form_abandon']])
    expect(due([left, sent({ url: 'https://shop.example/other' })])).toEqual([['why', 'form_abandon']])
    expect(due([left, sent({ ts: now - 9000 })])).toEqual([['why', 'form_abandon']])
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

  it('never offers a survey switched off, nor serves it to pages, and offers it again once on', async () => {
    const off = { ...STUCK, on: false }
    expect(dueSurveys([off], [stall({ ts: now })], {}, now)).toEqual([])
    expect(dueSurveys([{ ...off, on: true }], [stall({ ts: now })], {}, now).map((s) => s.id)).toEqual(['stuck'])
    expect(surveysError([{ ...STUCK, on: 'no' }])).toBe('config.surveys[0].on must be true or false')
    const patch = { config: { surveys: [off, PRICING] } }
    const saved = await SELF.fetch('https://edge.example/v1/admin/sites/acme', {
      method: 'PATCH',
      headers: { ...ADMIN, 'content-type': 'application/json' },
      body: JSON.stringify(patch),
    })
    expect(saved.status).toBe(200)
    const config = (await (await SELF.fetch('https://edge.example/v1/config?site=acme')).json()) as {
      surveys: { id: string }[]
    }
    expect(config.surveys.map((s) => s.id)).toEqual(['pricing-nps'])
    expect((await send([stall()])).surveys).toEqual([])
    // The page asked for it anyway (an old copy of the config): no signed offer for it.
    const asked = event({ type: 'survey_shown', name: 'stuck', props: { asked: true } })
    expect((await send([asked], 'visitor-2')).surveys).toEqual([])
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

  it('refuses multi-question surveys that could not run, naming the field', () => {
    const q = (over = {}) => ({ id: 'score', type: 'nps', text: 'How likely…?', ...over })
    const survey = (questions: unknown[], over = {}) => [{ id: 'voice', questions, ...over }]
    expect(surveysError(survey([q(), { id: 'why', type: 'text', text: { en: 'Why?', he: 'למה?' } }]))).toBeNull()
    expect(surveysError(survey([q({ type: 'stars' })]))).toBe(
      'config.surveys[0].questions[0].type must be nps, csat, emoji, single, multi or text',
    )
    expect(surveysError(survey([]))).toBe('config.surveys[0].questions must list at least one question')
    expect(surveysError(survey([q()], { kind: 'nps' }))).toMatch(/^config.surveys\[0\].questions cannot go with kind/)
    expect(surveysError([{ id: 'empty' }])).toBe('config.surveys[0].kind is missing (or give a list of questions)')
    expect(surveysError(survey([q({ type: 'single' })]))).toBe(
      'config.surveys[0].questions[0].options is missing (a choice question lists its options)',
    )
    expect(surveysError(survey([q({ options: [{ id: 'a', text: 'A' }] })]))).toBe(
      'config.surveys[0].questions[0].options is for choice questions only',
    )
    // Branches: a test that fits the question, and a later question (never a loop) or the end.
    const two = (branch: unknown) => survey([q({ branch: [branch] }), { id: 'why', type: 'text', text: 'Why?' }])
    expect(surveysError(two({ max: 6, to: 'why' }))).toBeNull()
    expect(surveysError(two({ max: 6, to: 'end' }))).toBeNull()
    expect(surveysError(two({ max: 11, to: 'why' }))).toBe(
      'config.surveys[0].questions[0].branch[0].max must be a whole number from 0 to 10',
    )
    expect(surveysError(two({ to: 'why' }))).toBe(
      'config.surveys[0].questions[0].branch[0] needs a test: min, max or choice',
    )
    expect(surveysError(two({ choice: 'a', to: 'why' }))).toBe(
      "config.surveys[0].questions[0].branch[0].choice is for choice questions; 'score' is nps",
    )
    expect(surveysError(two({ max: 6, to: 'nowhere' }))).toBe(
      "config.surveys[0].questions[0].branch[0].to names no question of this survey ('nowhere'); use a question id or 'end'",
    )
    expect(surveysError(survey([q(), { id: 'why', type: 'text', text: 'Why?', next: 'score' }]))).toBe(
      "config.surveys[0].questions[1].next must name a later question or 'end' ('score' comes before: the survey would loop)",
    )
    const csat = survey([q({ type: 'csat', branch: [{ min: 0, to: 'end' }] })])
    expect(surveysError(csat)).toBe(
      'config.surveys[0].questions[0].branch[0].min must be from 1 to 5 for a csat question',
    )
    const pick = { id: 'pick', type: 'single', text: 'Pick', options: [{ id: 'a', text: 'A' }], other: true }
    expect(surveysError(survey([{ ...pick, branch: [{ choice: 'other', to: 'end' }] }]))).toBeNull()
    expect(surveysError(survey([{ ...pick, branch: [{ choice: 'b', to: 'end' }] }]))).toBe(
      "config.surveys[0].questions[0].branch[0].choice names no option of question 'pick' ('b')",
    )
    expect(surveysError(survey([q()], { negative: [{ q: 'nope', max: 3 }] }))).toBe(
      "config.surveys[0].negative[0].q names no question of this survey ('nope')",
    )
    expect(surveysError(survey([q()], { thanks: { link: { url: 'javascript:alert(1)', text: 'Hi' } } }))).toBe(
      'config.surveys[0].thanks.link.url must be an http(s) URL',
    )
    expect(surveysError(survey([q({ text: { english: 'Hi' } })]))).toBe(
      "config.surveys[0].questions[0].text.english must be a language code like 'en' or 'pt-BR'",
    )
    expect(surveysError(survey([q({ text: 42 })]))).toBe(
      'config.surveys[0].questions[0].text must be a non-empty string of at most 300 characters, or a map from language codes to such strings',
    )
  })

  it("refuses a text given by language without the site's default language", () => {
    const survey = { id: 'voice', questions: [{ id: 'why', type: 'text', text: { he: 'למה?', ar: 'لماذا؟' } }] }
    const r = validateSite('acme', { config: { surveys: [survey] } })
    expect(r.ok ? null : r.error).toBe(
      "config.surveys[0].questions[0].text has no 'en' text (the site's default language, config.language)",
    )
    expect(validateSite('acme', { config: { language: 'he', surveys: [survey] } }).ok).toBe(true)
    const bad = validateSite('acme', { config: { language: 'Hebrew' } })
    expect(bad.ok ? null : bad.error).toBe("config.language must be a language code like 'en' or 'pt-BR'")
  })
})

describe('POST /v1/events answers with the survey due', () => {
  it('offers the onboarding survey when a stall arrives, and not again once shown', async () => {
    expect((await send([event()])).surveys).toEqual([])
    const first = await send([stall()])
    expect(first.surveys).toEqual([
      {
        id: 'stuck',
        kind: 'text',
        question: 'What is stopping you?',
        after: 'stall',
        offer: expect.stringMatching(/^[0-9a-z]+\.[0-9a-f]{32}$/),
      },
    ])
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
  /** An answer carrying the offer the worker signs for that survey and visitor. */
  const answer = async (survey: string, props: { score: number; text?: string }, visitor: string) =>
    event({ type: 'survey_answer', name: survey, props, hash: await offerFor(survey, visitor) })
  const shown = (survey: string) => event({ type: 'survey_shown', name: survey })

  it('reports reach, response rate, NPS, the score spread and the newest comments as text', async () => {
    const scores = [10, 9, 9, 8, 6, 3] // 3 promoters, 1 passive, 2 detractors → NPS 17
    for (const [i, score] of scores.entries()) {
      const props = i === 4 ? { score, text: '<b>too pricey</b>' } : { score }
      await send([shown('pricing-nps'), await answer('pricing-nps', props, `v${i}`)], `v${i}`)
    }
    await send([shown('pricing-nps'), event({ type: 'survey_dismiss', name: 'pricing-nps' })], 'v-late')
    const help = [await answer('help', { score: 5 }, 'v-help'), await answer('help', { score: 99 }, 'v-help')]
    await send([shown('help'), ...help], 'v-help')
    // A bot's answers never count.
    await post(
      '/v1/events',
      batch([shown('help'), await answer('help', { score: 1 }, 'bot')], { visitor: 'bot' }),
      CRAWLER,
    )

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
    const helpful = body.surveys.find((s: any) => s.id === 'help')
    // The out-of-range 99 is left out of the spread; the bot's 1 is not counted at all.
    expect(helpful).toMatchObject({ shown: 1, answered: 1, headline: 100, scores: [{ score: 5, n: 1 }] })
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
