/** Survey targeting: audience, sample, triggers on time and scroll, recontact, caps across a user's devices. */
import { beforeEach, describe, expect, it } from 'vitest'
import { batch, drained, emptyDb, event, givenSite, post, DESKTOP } from './helpers'
import { dueSurveys, sampleSpot, SURVEY_GAP_MS } from '../../edge/domain/surveys'
import type { SurveyConfig, SurveyDue } from '../../snippet/contract/wire'

const DAY = 86_400_000
const now = Date.UTC(2026, 10, 25)
const view = (path: string, over = {}) => event({ url: `https://shop.example${path}`, ts: now - 500, ...over })
const PRICING: SurveyConfig = { id: 'pricing', kind: 'nps', question: 'How likely…?', trigger: { event: 'pageview' } }
const due = (s: Partial<SurveyConfig>, events = [view('/pricing')], shown = {}, who = { visitor: 'v1', sessions: 1 }) =>
  dueSurveys([{ ...PRICING, ...s }], events, shown, now, who).map((d) => d.id)

describe('who is offered a survey', () => {
  it('only on the audience pages, and within its visit counts', () => {
    expect(due({ audience: { paths: ['/pricing', '/plans'] } })).toEqual(['pricing'])
    expect(due({ audience: { paths: ['/plans'] } })).toEqual([])
    expect(due({ audience: { minSessions: 3 } }, undefined, {}, { visitor: 'v1', sessions: 2 })).toEqual([])
    expect(due({ audience: { minSessions: 3 } }, undefined, {}, { visitor: 'v1', sessions: 3 })).toEqual(['pricing'])
    expect(due({ audience: { maxSessions: 1 } }, undefined, {}, { visitor: 'v1', sessions: 2 })).toEqual([])
  })

  it('a sample holds each visitor in or out for good, about the share asked', () => {
    const visitors = Array.from({ length: 2000 }, (_, i) => `visitor-${i}`)
    const offered = visitors.filter((v) => due({ sample: 0.25 }, undefined, {}, { visitor: v, sessions: 1 }).length)
    expect(offered.length / visitors.length).toBeGreaterThan(0.2)
    expect(offered.length / visitors.length).toBeLessThan(0.3)
    for (const v of visitors.slice(0, 50))
      expect(due({ sample: 0.25 }, undefined, {}, { visitor: v, sessions: 1 }).length).toBe(
        sampleSpot(v, 'pricing') < 0.25 ? 1 : 0,
      )
    expect(due({ sample: 0 })).toEqual([])
  })

  it('again after its recontact days, never before, and never within a day of any survey', () => {
    expect(due({}, undefined, { pricing: now - 400 * DAY })).toEqual([]) // once, by default
    expect(due({ recontactDays: 30 }, undefined, { pricing: now - 29 * DAY })).toEqual([])
    expect(due({ recontactDays: 30 }, undefined, { pricing: now - 30 * DAY })).toEqual(['pricing'])
    expect(due({ recontactDays: 30 }, undefined, { pricing: now - 30 * DAY, other: now - SURVEY_GAP_MS + 1 })).toEqual(
      [],
    )
  })

  it('waits for time on the page and scroll depth in the page, counted from the triggering event', () => {
    const [d] = dueSurveys(
      [{ ...PRICING, trigger: { event: 'pageview', seconds: 30, scroll: 50 } }],
      [view('/pricing')],
      {},
      now,
    )
    expect(d!.when).toEqual({ from: now - 500, seconds: 30, scroll: 50 })
    expect(dueSurveys([PRICING], [view('/pricing')], {}, now)[0]!.when).toBeUndefined()
  })
})

describe('caps across the devices of an identified user', () => {
  const send = async (events: ReturnType<typeof event>[], visitor: string) => {
    const r = await post('/v1/events', batch(events, { visitor }), DESKTOP)
    return ((await r.json()) as { surveys: SurveyDue[] }).surveys.map((s) => s.id)
  }
  beforeEach(async () => {
    await emptyDb()
    await givenSite('acme', { surveys: [{ ...PRICING, trigger: { event: 'pageview', path: '/pricing' } }] })
  })

  it('a user asked on their laptop is not asked again on their phone; someone else still is', async () => {
    await send([event({ type: 'identify', name: 'user-42' })], 'laptop')
    await send([event({ type: 'survey_shown', name: 'pricing', props: { kind: 'nps' } })], 'laptop')
    await send([event({ type: 'identify', name: 'user-42' })], 'phone')
    await drained()
    expect(await send([view('/pricing', { ts: Date.now() })], 'phone')).toEqual([])
    await send([event({ type: 'identify', name: 'user-7' })], 'tablet')
    expect(await send([view('/pricing', { ts: Date.now() })], 'tablet')).toEqual(['pricing'])
  })
})
