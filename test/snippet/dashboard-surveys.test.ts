/** The dashboard's surveys view: what written answers are about, each topic opening its answers, each quote in its own direction. */
import { afterEach, describe, expect, it } from 'vitest'
import { h, render } from 'preact'
import { Surveys } from '../../edge/dashboard/surveys'

afterEach(() => {
  render(null, document.body)
  document.body.innerHTML = ''
})

const quote = (id: string, text: string, lang: string, sentiment: string, topics: string[]) => ({
  id,
  text,
  q: 'text',
  lang,
  sentiment,
  score: sentiment === 'negative' ? -0.8 : 0.8,
  topics,
  scorer: 'ciel-offline',
  fallback: null,
  ts: Date.UTC(2026, 0, 5),
  url: 'https://shop.example/',
})

const price = [
  quote('a', 'Too expensive for a team of three', 'en', 'negative', ['price', 'team']),
  quote('b', 'السعر مرتفع لفريق صغير', 'ar', 'negative', ['price', 'team']),
  quote('c', 'Great price for what it does', 'en', 'positive', ['price']),
]
const survey = {
  id: 'rage',
  kind: 'text',
  question: 'Something not working?',
  shown: 3,
  answered: 3,
  dismissed: 0,
  responseRate: 1,
  scores: [],
  headline: null,
  comments: price.map(({ text, url, ts }) => ({ text, score: null, url, ts })),
  unsigned: 0,
  extra: 0,
  questions: [{ id: 'text', type: 'text', text: 'Something not working?', answered: 3, headline: null }],
  trend: [],
  sentiment: { positive: 1, neutral: 0, negative: 2 },
  themes: [],
  topics: [
    { topic: 'price', n: 3, positive: 1, neutral: 0, negative: 2, answers: price },
    { topic: 'team', n: 2, positive: 0, neutral: 0, negative: 2, answers: price.slice(0, 2) },
  ],
  languages: [
    { lang: 'en', n: 2 },
    { lang: 'ar', n: 1 },
  ],
  negative: [],
  written: price,
  scoring: { scored: 2, pending: 1, stale: 0, fallbacks: 1, scorers: [{ scorer: 'ciel-offline', n: 2 }] },
}

describe('the surveys view', () => {
  it('shows the sentiment per topic, and each topic opens its answers', () => {
    render(h(Surveys, { surveys: [survey as any] }), document.body)
    const topics = [...document.querySelectorAll<HTMLDetailsElement>('details.topic')]
    expect(topics.map((d) => d.querySelector('summary')!.textContent)).toEqual([
      'Price: 3 answers (1 positive, 0 neutral, 2 negative)',
      'Invites and team: 2 answers (0 positive, 0 neutral, 2 negative)',
    ])
    expect(topics.every((d) => !d.open)).toBe(true)
    topics[0]!.querySelector('summary')!.click()
    expect(topics[0]!.open).toBe(true)
    const inPrice = [...topics[0]!.querySelectorAll('li')].map((li) => [
      li.querySelector('.badge')!.textContent,
      li.querySelector('q')!.textContent,
    ])
    expect(inPrice).toEqual([
      ['negative', 'Too expensive for a team of three'],
      ['negative', 'السعر مرتفع لفريق صغير'],
      ['positive', 'Great price for what it does'],
    ])
  })

  it('quotes every visitor answer in its own direction (dir="auto"): an Arabic one reads right to left among English ones', () => {
    render(h(Surveys, { surveys: [survey as any] }), document.body)
    const quotes = [...document.querySelectorAll('q')]
    expect(quotes.length).toBeGreaterThanOrEqual(8)
    expect(quotes.filter((q) => q.getAttribute('dir') !== 'auto').map((q) => q.textContent)).toEqual([])
  })

  it('says how many answers are still being scored, and which Workers AI failed on', () => {
    render(h(Surveys, { surveys: [survey as any] }), document.body)
    expect(document.body.textContent).toContain(
      '1 written answer is being scored; 1 read by the offline scorer because Workers AI failed on it.',
    )
  })
})
