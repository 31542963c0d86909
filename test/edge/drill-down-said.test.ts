/**
 * What visitors said and what they were shown opens the visitors behind it: a survey's groups of
 * scores (NPS promoters, passives, detractors; CSAT satisfied, neutral, unsatisfied), the themes
 * of its written answers, and an experiment's arms (exposed, converted, the holdout), each listed
 * by `GET /v1/insights/visitors` with the number's own query, exactly the visitors it counts. Over
 * a seeded site: visitors on phones and desktops, some three days ago and some today.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { env } from 'cloudflare:test'
import { event } from './helpers'
import { DAY, allPages, expectRefused, get, seeded, send } from './drill'
import { signOffer } from '../../edge/domain/offers'
import { assign } from '../../edge/domain/experiments'
import { siteSecret } from '../../edge/store/sites'
import type { ExperimentConfig, SiteConfig, WireEvent } from '../../snippet/contract/wire'

const HERO: ExperimentConfig = {
  id: 'hero-1',
  variants: ['a', 'b'],
  goal: { type: 'track', name: 'signup' },
  holdout: 0.2,
}
const config: SiteConfig = {
  surveys: [
    {
      id: 'voice',
      questions: [
        { id: 'score', type: 'nps', text: 'How likely are you to recommend us?' },
        { id: 'why', type: 'text', text: 'Why?' },
      ],
    },
    { id: 'help', questions: [{ id: 'sat', type: 'csat', text: 'Did this page help?' }] },
  ],
  slots: [{ id: 'hero', experiment: HERO }],
}
const WHY = [
  'The export is slow and it keeps failing',
  'Export is slow, please fix the export',
  'Love the new dashboard',
]

const now = Date.now()
const from = (days: number) => Math.floor(now / DAY) * DAY - (days - 1) * DAY

/** What the seed knows of each visitor. */
const truths: {
  id: string
  phone: boolean
  at: number
  nps: number
  csat: number
  arm: string
  converted: boolean
}[] = []

/** Visitors on phones and desktops, three days ago or today: their answers, arm and signup. */
async function seed() {
  const secret = (await siteSecret(env.DB, 'acme'))!
  for (let i = 0; i < 36; i++) {
    const id = `v${String(i).padStart(2, '0')}`
    const phone = i % 3 === 0
    // Some three days ago (in a week, not in a day), the rest in the last hour.
    const at = i % 4 === 0 ? from(1) - 3 * DAY + 3_600_000 + i * 1000 : now - 3_600_000 + i * 1000
    const a = assign(HERO, id, 'hero')
    const converted = i % 2 === 1
    const nps = i % 11
    const csat = 1 + (i % 5)
    const answer = async (survey: string, props: object, ts: number) =>
      event({
        type: 'survey_answer',
        name: survey,
        ts,
        props: props as never,
        hash: await signOffer(secret, 'acme', survey, id, ts),
      })
    const events: WireEvent[] = [
      event({ ts: at, url: 'https://shop.example/' }),
      event({ type: 'slot_shown', ts: at + 1, props: { slot: 'hero', variant: a.variant, exp: HERO.id } }),
      await answer('voice', { q: 'score', kind: 'nps', score: nps, lang: 'en' }, at + 2),
      await answer('help', { q: 'sat', kind: 'csat', score: csat, lang: 'en' }, at + 3),
      ...(i % 3 === 2
        ? []
        : [await answer('voice', { q: 'why', kind: 'text', text: WHY[i % 3]!, lang: 'en' }, at + 4)]),
      ...(converted ? [event({ type: 'track', name: 'signup', ts: at + 5 })] : []),
    ]
    await send(events, { visitor: id, session: `${id}-1`, sentAt: now }, { phone })
    truths.push({ id, phone, at, nps, csat, arm: a.holdout ? 'holdout' : a.variant || 'default', converted })
  }
}

beforeAll(() => seeded(config, now, seed), 120_000)

const NPS: Record<string, (s: number) => boolean> = {
  promoters: (s) => s >= 9,
  passives: (s) => s === 7 || s === 8,
  detractors: (s) => s <= 6,
}
const CSAT: Record<string, (s: number) => boolean> = {
  satisfied: (s) => s >= 4,
  neutral: (s) => s === 3,
  unsatisfied: (s) => s <= 2,
}

describe('the visitors behind what they said and were shown', () => {
  for (const days of [1, 7])
    for (const filter of ['', '&device=mobile'])
      it(`each group of a survey's scores and each theme opens its visitors (days=${days}${filter})`, async () => {
        const seen = truths.filter((t) => t.at >= from(days) && (filter === '' || t.phone))
        const { surveys } = await get(`/v1/insights/surveys?site=acme&days=${days}${filter}`)
        const [voice, help] = surveys
        expect(voice.groups.map((g: any) => g.group)).toEqual(['promoters', 'passives', 'detractors'])
        expect(help.groups.map((g: any) => g.group)).toEqual(['satisfied', 'neutral', 'unsatisfied'])
        for (const [survey, truth] of [
          [voice, NPS],
          [help, CSAT],
        ] as const) {
          let sum = 0
          for (const g of survey.groups) {
            const list = await allPages(`&days=${days}${filter}&survey=${survey.id}&score=${g.group}`, 4)
            expect(list.totals, `${survey.id} ${g.group}`).toEqual([g.visitors])
            const said = seen.filter((t) => truth[g.group]!(survey.id === 'voice' ? t.nps : t.csat))
            expect(list.ids, `${survey.id} ${g.group} against the seed`).toEqual(said.map((t) => t.id))
            sum += g.visitors
          }
          // Each visitor answered once: the groups add up to the answers, as the score table counts them.
          expect(sum).toBe(survey.scores.reduce((n: number, s: any) => n + s.n, 0))
          expect(sum).toBe(seen.length)
        }
        if (filter === '') expect(voice.themes.length).toBeGreaterThan(0)
        for (const theme of voice.themes) {
          const list = await allPages(`&days=${days}${filter}&survey=voice&theme=${encodeURIComponent(theme.theme)}`, 4)
          expect(list.totals, theme.theme).toEqual([theme.visitors])
          expect(theme.visitors, theme.theme).toBe(theme.n)
        }
      })

  for (const days of [1, 7])
    for (const filter of ['', '&device=mobile'])
      it(`each day of a survey's NPS or CSAT opens who answered its score that day (days=${days}${filter})`, async () => {
        const seen = truths.filter((t) => t.at >= from(days) && (filter === '' || t.phone))
        const { surveys } = await get(`/v1/insights/surveys?site=acme&days=${days}${filter}`)
        let listed = 0
        for (const survey of surveys) {
          expect(survey.trend.length, survey.id).toBeGreaterThan(0)
          for (const d of survey.trend) {
            const list = await allPages(`&days=${days}${filter}&survey=${survey.id}&answered=${d.day}`, 4)
            // One answer each: the day's answers are its visitors.
            expect(list.totals, `${survey.id} ${d.day}`).toEqual([d.n])
            const said = seen.filter((t) => new Date(t.at).toISOString().slice(0, 10) === d.day)
            expect(list.ids, `${survey.id} ${d.day} against the seed`).toEqual(said.map((t) => t.id))
            listed += d.n
          }
        }
        expect(listed).toBe(2 * seen.length)
      })

  for (const days of [1, 7])
    for (const filter of ['', '&device=mobile'])
      it(`each arm of an experiment opens its exposed and its converted visitors (days=${days}${filter})`, async () => {
        const seen = truths.filter((t) => t.at >= from(days) && (filter === '' || t.phone))
        const p = await get(`/v1/insights/personalisation?site=acme&days=${days}${filter}`)
        const x = p.experiments.find((e: any) => e.experiment === HERO.id)
        const arms = [
          ...x.arms.map((a: any) => ({ ...a, name: a.variant || 'default' })),
          ...(x.holdout ? [{ ...x.holdout, name: 'holdout' }] : []),
        ]
        expect(arms.map((a) => a.name)).toEqual(expect.arrayContaining(['default', 'a', 'b']))
        let exposed = 0
        for (const a of arms) {
          const all = await allPages(`&days=${days}${filter}&experiment=${HERO.id}&arm=${a.name}`, 4)
          expect(all.totals, a.name).toEqual([a.exposed])
          expect(all.ids, `${a.name} against the seed`).toEqual(seen.filter((t) => t.arm === a.name).map((t) => t.id))
          const won = await allPages(`&days=${days}${filter}&experiment=${HERO.id}&arm=${a.name}&converted=1`, 4)
          expect(won.totals, `${a.name} converted`).toEqual([a.conversions])
          expect(won.ids).toEqual(seen.filter((t) => t.arm === a.name && t.converted).map((t) => t.id))
          exposed += a.exposed
        }
        expect(exposed).toBe(seen.length)
      })

  it('refuses a survey or experiment drill-down it cannot answer with a 400 naming the parameter', async () => {
    await expectRefused([
      ['&score=promoters', 'survey'],
      ['&theme=export', 'survey'],
      ['&survey=nope&score=promoters', 'survey'],
      ['&survey=voice', 'score'],
      ['&survey=voice&score=fans', 'score'],
      ['&survey=voice&score=satisfied', 'score'],
      ['&survey=voice&score=promoters&theme=export', 'score'],
      ['&answered=2026-01-05', 'survey'],
      ['&survey=voice&answered=yesterday', 'answered'],
      ['&survey=voice&score=promoters&answered=2026-01-05', 'score'],
      ['&survey=voice&score=promoters&viewed=/x', 'viewed'],
      ['&arm=a', 'experiment'],
      ['&converted=1', 'experiment'],
      ['&experiment=nope&arm=a', 'experiment'],
      ['&experiment=hero-1', 'arm'],
      ['&experiment=hero-1&arm=c', 'arm'],
      ['&experiment=hero-1&arm=a&converted=yes', 'converted'],
      ['&experiment=hero-1&arm=a&survey=voice&score=promoters', 'experiment'],
    ])
  })
})
