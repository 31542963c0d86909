/**
 * What visitors say, in Chromium on a laptop: one headline per survey (its reach, score and groups
 * of scores, each opening its visitors), the rest of its answers a click away, so that a few
 * surveys read at a glance rather than as a page several screens tall.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { eventually, signIn, storedEvents, useEdgeAndBrowser } from './harness'
import { SHOP, secretsOf, shopSite, visit, type SeedEvent } from './seed'
import { signOffer } from '../../edge/domain/offers'

const env = useEdgeAndBrowser()
const PEOPLE = 10

beforeAll(async () => {
  await shopSite(env.edge, env.site)
  const { secret } = await secretsOf(env.edge, env.site)
  let sent = 0
  // Each visitor answers the demo's four surveys: NPS with a reason, CSAT with a comment, the
  // open question, and the three-question survey; their answers spread over the scales.
  for (let i = 0; i < PEOPLE; i++) {
    const id = `s${i}`
    const offer = (survey: string) => signOffer(secret, env.site, survey, id, Date.now())
    const answer = async (
      survey: string,
      props: Record<string, unknown>,
      type = 'survey_answer',
    ): Promise<SeedEvent> => ({
      type,
      name: survey,
      props,
      hash: await offer(survey),
      url: `${SHOP}/onboarding`,
    })
    const nps = (i + 1) % 11
    const csat = (i % 5) + 1
    const events: SeedEvent[] = [
      { type: 'pageview', url: `${SHOP}/onboarding` },
      await answer('nps', { kind: 'nps', score: nps }),
      await answer('nps', { kind: 'nps', score: nps, text: `Reason number ${i} for my score` }, 'survey_comment'),
      await answer('onboarding-stall', { kind: 'csat', score: csat }),
      await answer(
        'onboarding-stall',
        { kind: 'csat', score: csat, text: `Setup step ${i} was slow` },
        'survey_comment',
      ),
      await answer('rage', { kind: 'text', text: `The button on page ${i} did nothing` }),
      await answer('voice', { kind: 'nps', q: 'score', score: nps }),
      await answer(
        'voice',
        nps <= 6
          ? { kind: 'text', q: 'wrong', text: `It broke at step ${i}` }
          : { kind: 'single', q: 'like', choice: 'speed' },
      ),
    ]
    await visit(env.edge, env.site, id, events)
    sent += events.length
  }
  await eventually(async () => expect((await storedEvents(env.edge, env.site, '&limit=1')).total).toBe(sent))
})

describe('what visitors say', () => {
  it('at 1280 px reads as one headline per survey, each with its groups’ visitors a click away, the rest of its answers behind a disclosure', async () => {
    const page = await env.browser.newPage({ viewport: { width: 1280, height: 800 } })
    const problems: string[] = []
    page.on('pageerror', (e) => problems.push(e.message))
    await signIn(page, env.edge, env.site)
    const section = page.locator('section[aria-labelledby=surveys]')
    const survey = (id: string) => section.locator('article', { has: page.locator(`#survey-${id}`) })
    await eventually(async () =>
      expect(await survey('nps').locator('.note').first().textContent()).toMatch(/answered by 10\b/),
    )
    expect(await section.locator('article').count()).toBe(4)

    // Four surveys fit in about a screen and a half, not several screens.
    const height = (await section.boundingBox())!.height
    expect(height).toBeLessThanOrEqual(1200)
    // Each one's headline is in sight: its question, reach and score, and its groups' visitors.
    for (const id of ['onboarding-stall', 'rage', 'nps', 'voice']) {
      expect(await survey(id).locator('h3').isVisible(), id).toBe(true)
      expect(await survey(id).locator('.note').first().isVisible(), id).toBe(true)
    }
    expect(await survey('nps').locator('.note').first().textContent()).toMatch(/NPS [−+-]?\d+\.$/)
    // A CSAT group of one score says that score, not a range of it ("Neutral (3–3)").
    expect(await survey('onboarding-stall').locator('.groups').textContent()).toBe(
      'Satisfied (4–5): 4 · Neutral (3): 2 · Unsatisfied (1–2): 4 visitors',
    )
    const promoters = survey('nps').getByRole('button', { name: 'Show the 2 promoters of nps' })
    expect(await promoters.isVisible()).toBe(true)

    // The answers by score, the written ones and the rest, a click away.
    const more = survey('nps').locator('details.survey-more')
    const scores = more.locator('table.scores')
    expect(await scores.isVisible()).toBe(false)
    await more.locator('summary').click()
    await eventually(async () => expect(await scores.isVisible()).toBe(true))
    expect(await scores.locator('tbody tr').count()).toBe(10)
    expect(await more.locator('.comments li').count()).toBeGreaterThan(0)
    await section.screenshot({ path: 'test-results/section-surveys.png' })
    expect(problems).toEqual([])
    await page.close()
  })
})
