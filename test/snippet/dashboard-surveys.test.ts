/** The dashboard's surveys view: what written answers are about, each topic opening its answers, each quote in its own direction. */
import { afterEach, describe, expect, it } from 'vitest'
import { h, render } from 'preact'
import { Quotes, Scoring, Topics } from '../../edge/dashboard/topics'

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
