/** What the team reads of a multi-question survey: per question, over time, sentiment, themes, languages, negative answers. */
import { beforeEach, describe, expect, it } from 'vitest'
import { SELF, env } from 'cloudflare:test'
import { ADMIN, batch, emptyDb, event, givenSite, post, scored, DESKTOP } from './helpers'
import { signOffer } from '../../edge/domain/offers'
import { siteSecret } from '../../edge/store/sites'
import type { SurveyConfig } from '../../snippet/contract/wire'

const VOICE: SurveyConfig = {
  id: 'voice',
  questions: [
    {
      id: 'score',
      type: 'nps',
      text: { en: 'How likely…?', he: 'עד כמה…?' },
      required: true,
      branch: [{ max: 6, to: 'wrong' }],
    },
    { id: 'wrong', type: 'text', text: { en: 'What went wrong?', he: 'מה השתבש?' }, next: 'end' },
    {
      id: 'area',
      type: 'multi',
      text: { en: 'Which parts?', he: 'אילו חלקים?' },
      options: [
        { id: 'docs', text: { en: 'Docs', he: 'תיעוד' } },
        { id: 'export', text: { en: 'Export', he: 'ייצוא' } },
      ],
      other: true,
    },
  ],
}
const DAY = 86_400_000

beforeEach(async () => {
  await emptyDb()
  await givenSite('acme', { surveys: [VOICE] })
})

describe('GET /v1/insights/surveys for a survey of several questions', () => {
  it('reports each question, NPS by day, the sentiment and themes of written answers, languages and negative answers', async () => {
    const secret = (await siteSecret(env.DB, 'acme'))!
    const now = Date.now()
    const answer = async (visitor: string, props: object, ts = now) =>
      event({
        type: 'survey_answer',
        name: 'voice',
        ts,
        props: props as any,
        hash: await signOffer(secret, 'acme', 'voice', visitor, now),
      })
    const say = async (visitor: string, ...events: ReturnType<typeof event>[]) => {
      const r = await post('/v1/events', batch(events, { visitor, sentAt: now }), DESKTOP)
      expect(r.status).toBe(200)
    }
    await say(
      'a',
      await answer('a', { q: 'score', kind: 'nps', score: 2, lang: 'he' }, now - DAY),
      await answer('a', { q: 'wrong', kind: 'text', text: 'הייצוא איטי', lang: 'he' }, now - DAY),
    )
    await say(
      'b',
      await answer('b', { q: 'score', kind: 'nps', score: 3, lang: 'en' }),
      await answer('b', { q: 'wrong', kind: 'text', text: 'The export is slow and confusing', lang: 'en' }),
    )
    await say(
      'c',
      await answer('c', { q: 'score', kind: 'nps', score: 10, lang: 'en' }),
      await answer('c', {
        q: 'area',
        kind: 'multi',
        choices: ['docs', 'other'],
        text: 'Great export, love it',
        lang: 'en',
      }),
    )
    await say(
      'd',
      await answer('d', { q: 'score', kind: 'nps', score: 9, lang: 'en' }),
      await answer('d', { q: 'area', kind: 'multi', choices: ['export'], lang: 'en' }),
    )
    // Forged: counted apart, never scored.
    await say(
      'x',
      event({ type: 'survey_answer', name: 'voice', props: { q: 'score', kind: 'nps', score: 0, lang: 'pl' } }),
    )
    await scored()

    const r = await SELF.fetch('https://edge.example/v1/insights/surveys?site=acme&days=7', { headers: ADMIN })
    expect(r.status).toBe(200)
    const body = (await r.json()) as any
    const s = body.surveys[0]
    expect(s.scoring).toEqual({
      scored: 3,
      pending: 0,
      stale: 0,
      fallbacks: 0,
      scorers: [{ scorer: 'ciel-offline', n: 3 }],
    })
    expect(s.unsigned).toBe(1)
    expect(s.questions).toEqual([
      {
        id: 'score',
        type: 'nps',
        text: 'How likely…?',
        answered: 4,
        headline: 0,
        scores: [
          { score: 2, n: 1 },
          { score: 3, n: 1 },
          { score: 9, n: 1 },
          { score: 10, n: 1 },
        ],
      },
      { id: 'wrong', type: 'text', text: 'What went wrong?', answered: 2, headline: null },
      {
        id: 'area',
        type: 'multi',
        text: 'Which parts?',
        answered: 2,
        headline: null,
        options: [
          { id: 'docs', text: 'Docs', n: 1 },
          { id: 'export', text: 'Export', n: 1 },
          { id: 'other', text: 'Other', n: 1 },
        ],
      },
    ])
    const day = (t: number) => new Date(t).toISOString().slice(0, 10)
    expect(s.trend).toEqual([
      { day: day(now - DAY), n: 1, headline: -100 },
      { day: day(now), n: 3, headline: 33 },
    ])
    expect(s.sentiment).toEqual({ positive: 1, neutral: 0, negative: 2 })
    expect(s.written.map((w: any) => [w.text, w.sentiment, w.lang])).toContainEqual(['הייצוא איטי', 'negative', 'he'])
    expect(s.themes.map((t: any) => t.theme)).toContain('export')
    // The forged answer is in no language: answers that do not count are left out everywhere.
    expect(s.languages).toEqual([
      { lang: 'en', n: 6 },
      { lang: 'he', n: 2 },
    ])
    // Two detractors; this site has no webhook, so no alert went anywhere.
    expect(s.negative.map((n: any) => [n.answer.score, n.reason, n.alert])).toEqual([
      [3, 'NPS 3 (a detractor: 0-6)', 'none'],
      [2, 'NPS 2 (a detractor: 0-6)', 'none'],
    ])
    // Why, as data too: the dashboard says it in the team's language.
    expect(s.negative.map((n: any) => n.reasonFacts)).toEqual([
      { kind: 'nps', score: 3 },
      { kind: 'nps', score: 2 },
    ])
  })

  it('answers 400 for a wrong period', async () => {
    const r = await SELF.fetch('https://edge.example/v1/insights/surveys?site=acme&days=0', { headers: ADMIN })
    expect(r.status).toBe(400)
    expect(((await r.json()) as any).error).toBe('days must be a whole number from 1 to 365')
  })
})
