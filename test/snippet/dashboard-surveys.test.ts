/** The dashboard's surveys view: what written answers are about, each topic opening its answers, each quote in its own direction. */
import { afterEach, describe, expect, it } from 'vitest'
import { h, render } from 'preact'
import { Quotes, Scoring, Topics } from '../../edge/dashboard/topics'
import { ScoreTrend } from '../../edge/dashboard/score-trend'
import { loadLocale, setLocale } from '../../edge/dashboard/i18n'

afterEach(() => {
  render(null, document.body)
  document.body.innerHTML = ''
})

const quote = (id: string, text: string, lang: string, sentiment: string) => ({
  id,
  text,
  q: 'text',
  lang,
  sentiment: sentiment as 'positive' | 'negative',
  fallback: null,
  ts: Date.UTC(2026, 0, 5),
  url: 'https://shop.example/',
})

const price = [
  quote('a', 'Too expensive for a team of three', 'en', 'negative'),
  quote('b', 'السعر مرتفع لفريق صغير', 'ar', 'negative'),
  quote('c', 'Great price for what it does', 'en', 'positive'),
]
const topics = [
  { topic: 'price', n: 3, positive: 1, neutral: 0, negative: 2, answers: price },
  { topic: 'team', n: 2, positive: 0, neutral: 0, negative: 2, answers: price.slice(0, 2) },
]

describe('the surveys view', () => {
  it('shows the sentiment per topic, and each topic opens its answers', () => {
    render(h(Topics, { topics }), document.body)
    const details = [...document.querySelectorAll<HTMLDetailsElement>('details.topic')]
    expect(details.map((d) => d.querySelector('summary')!.textContent)).toEqual([
      'Price: 3 answers (1 positive, 0 neutral, 2 negative)',
      'Invites and team: 2 answers (0 positive, 0 neutral, 2 negative)',
    ])
    expect(details.every((d) => !d.open)).toBe(true)
    details[0]!.querySelector('summary')!.click()
    expect(details[0]!.open).toBe(true)
    const inPrice = [...details[0]!.querySelectorAll('li')].map((li) => [
      li.querySelector('.badge')!.textContent,
      li.querySelector('q')!.textContent,
    ])
    expect(inPrice).toEqual([
      ['negative', 'Too expensive for a team of three'],
      ['negative', 'السعر مرتفع لفريق صغير'],
      ['positive', 'Great price for what it does'],
    ])
  })

  it('quotes every visitor answer in its own direction (an isolate, <bdi>) inside quote marks that follow the page', () => {
    render(
      h('div', null, h(Topics, { topics }), h(Quotes, { quotes: price, label: 'Newest written answers' })),
      document.body,
    )
    const quotes = [...document.querySelectorAll('q')]
    expect(quotes).toHaveLength(8)
    // An Arabic answer reads right to left among English ones; its quote marks stay the page's
    // (a right-to-left <q> would draw them mirrored for an English reader).
    const isolated = (q: Element) => !q.hasAttribute('dir') && q.firstElementChild?.tagName === 'BDI'
    expect(quotes.filter((q) => !isolated(q)).map((q) => q.textContent)).toEqual([])
    expect(quotes.map((q) => q.querySelector('bdi')!.textContent)).toContain('السعر مرتفع لفريق صغير')
  })

  it('says how many answers are still being scored, and which Workers AI failed on', () => {
    render(h(Scoring, { scoring: { pending: 1, stale: 0, fallbacks: 1 } }), document.body)
    expect(document.body.textContent).toBe(
      '1 written answer is being scored; 1 read by the offline scorer because Workers AI failed on it.',
    )
  })
})

describe("a survey's score by day", () => {
  const trend = [
    { day: '2026-01-05', n: 4, headline: -25 },
    { day: '2026-01-06', n: 1, headline: 0 },
    { day: '2026-01-07', n: 3, headline: 100 },
  ]
  /** Where each of the chart's labels stands, and the height of each point. */
  const read = () => {
    const svg = document.querySelector('figure.score-trend svg')!
    const at = (el: Element, k: string) => Number(el.getAttribute(k))
    return {
      ticks: [...svg.querySelectorAll('.tick')].map((g) => [
        g.querySelector('text')!.textContent,
        at(g.querySelector('line')!, 'y1'),
      ]),
      days: [...svg.querySelectorAll('text.day')].map((t) => t.textContent),
      points: [...svg.querySelectorAll('circle')].map((c) => [at(c, 'cy'), c.querySelector('title')!.textContent]),
    }
  }

  it('has axes: the NPS scale from −100 to +100 with its 0, the first and last day, each day’s value on its point', () => {
    render(h(ScoreTrend, { trend, nps: true }), document.body)
    const { ticks, days, points } = read()
    expect(ticks.map((t) => t[0])).toEqual(['+100', '0', '−100'])
    expect(days).toEqual(['Jan 5', 'Jan 7'])
    // A day at 0 on the 0 line, a day at +100 on the top one, −25 below 0.
    const y = Object.fromEntries(ticks) as Record<string, number>
    expect(points[1]).toEqual([y['0'], 'Jan 6: NPS 0 (1 answer)'])
    expect(points[2]).toEqual([y['+100'], 'Jan 7: NPS +100 (3 answers)'])
    expect(points[0]![0]).toBeGreaterThan(y['0']!)
    expect(points[0]![1]).toBe('Jan 5: NPS −25 (4 answers)')
  })

  it('lists its days, for a screen reader, with the comma of the language shown (Arabic writes “،”)', async () => {
    await loadLocale('ar')
    setLocale('ar')
    render(h(ScoreTrend, { trend, nps: true }), document.body)
    const said = document.querySelector('figure.score-trend svg')!.getAttribute('aria-label')!
    setLocale('en')
    expect(said.split('، ')).toHaveLength(3)
    expect(said).not.toContain(', ')
  })

  it('leaves room above a day at the top of the scale: its point and the scale’s top label clear the chart’s edge', () => {
    render(h(ScoreTrend, { trend, nps: true }), document.body)
    const top = document.querySelector('figure.score-trend svg circle:nth-of-type(3)')!
    const [cy, r] = [Number(top.getAttribute('cy')), Number(top.getAttribute('r'))]
    expect(top.querySelector('title')!.textContent).toBe('Jan 7: NPS +100 (3 answers)')
    // At least its own size of room above the point, and the "+100" label (its baseline 4 px
    // below the line, 10 px tall) inside the chart.
    expect(cy - r).toBeGreaterThanOrEqual(2 * r)
    const label = document.querySelector('figure.score-trend .tick text')!
    expect(label.textContent).toBe('+100')
    expect(Number(label.getAttribute('y')) - 10).toBeGreaterThanOrEqual(2)
  })

  it('reads CSAT as a share satisfied, from 0% to 100%', () => {
    render(
      h(ScoreTrend, { trend: trend.map((t) => ({ ...t, headline: Math.abs(t.headline) })), nps: false }),
      document.body,
    )
    const { ticks, points } = read()
    expect(ticks.map((t) => t[0])).toEqual(['100%', '50%', '0%'])
    expect(points[1]).toEqual([ticks[2]![1], 'Jan 6: 0% satisfied (1 answer)'])
  })

  it("lists each day's answers as a button opening who gave them", () => {
    const opened: string[] = []
    render(h(ScoreTrend, { trend, nps: true, onDrill: (day: string) => opened.push(day) }), document.body)
    const rows = [...document.querySelectorAll('figure.score-trend tbody tr')]
    expect(rows.map((r) => [...r.querySelectorAll('th, td')].map((c) => c.textContent))).toEqual([
      ['Jan 5', '−25', '4'],
      ['Jan 6', '0', '1'],
      ['Jan 7', '+100', '3'],
    ])
    const button = rows[0]!.querySelector('button')!
    expect(button.getAttribute('aria-label')).toBe('Show who gave the 4 answers of Jan 5')
    button.click()
    expect(opened).toEqual(['2026-01-05'])
  })
})
