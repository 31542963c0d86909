/**
 * Sentiment of written answers, measured on the labelled set shipped with the project
 * (test/edge/sentiment/labelled.json: 42 answers per language). README, "Sentiment", states
 * these figures; this test fails if the offline classifier falls below them.
 */
import { describe, expect, it } from 'vitest'
import labelled from './sentiment/labelled.json'
import { polarity, themes } from '../../edge/domain/sentiment'

/** Correct answers per language, as the README states them (offline lexicon). */
const STATED = { en: 41, pl: 42, he: 42, ar: 42 }
const accuracy = (simple: boolean) => {
  const right: { [lang: string]: number } = {}
  for (const a of labelled.answers)
    if (polarity(a.text, a.lang, simple) === a.label) right[a.lang] = (right[a.lang] ?? 0) + 1
  return right
}

describe('sentiment of written answers', () => {
  it('the labelled set has at least 40 answers per language, with negations and mixed answers', () => {
    for (const lang of ['en', 'pl', 'he', 'ar']) {
      const mine = labelled.answers.filter((a) => a.lang === lang)
      expect(mine.length).toBeGreaterThanOrEqual(40)
      expect(new Set(mine.map((a) => a.label))).toEqual(new Set(['positive', 'neutral', 'negative']))
    }
  })

  it('the offline classifier is at least as accurate as the README says, per language', () => {
    const right = accuracy(false)
    for (const [lang, n] of Object.entries(STATED)) expect(right[lang] ?? 0).toBeGreaterThanOrEqual(n)
  })

  it('reads negations and Arabic and Hebrew prefixes that a bare word list gets wrong', () => {
    expect(polarity('هذا فظيع', 'ar')).toBe('negative') // "this is terrible"
    expect(polarity('ليس سيئا على الإطلاق', 'ar')).toBe('positive') // "not bad at all"
    expect(polarity('Not bad at all', 'en')).toBe('positive')
    expect(polarity('Nie polecam', 'pl')).toBe('negative')
    expect(polarity('הייצוא מהיר ואמין', 'he')).toBe('positive') // ו attached to "reliable"
    expect(polarity('Nice design, but it is far too slow', 'en')).toBe('negative')
    const simple = accuracy(true)
    const total = (r: { [lang: string]: number }) => Object.values(r).reduce((a, b) => a + b, 0)
    expect(total(simple)).toBeLessThan(total(accuracy(false)) - 20)
  })
})

describe('themes', () => {
  it('are the most frequent two-word phrases and words, stop words of each language left out', () => {
    const answers = [
      { text: 'The export is slow', lang: 'en' },
      { text: 'Export is slow and the invite step is confusing', lang: 'en' },
      { text: 'slow export again', lang: 'en' },
      { text: 'Eksport jest wolny i wolny eksport', lang: 'pl' },
      { text: 'הייצוא איטי', lang: 'he' },
      { text: 'הייצוא איטי מאוד', lang: 'he' },
    ]
    const t = themes(answers, 5)
    expect(t[0]).toEqual({ theme: 'export', n: 3 })
    expect(t).toContainEqual({ theme: 'export slow', n: 2 })
    expect(t).toContainEqual({ theme: 'הייצוא איטי', n: 2 })
    expect(t.map((x) => x.theme)).not.toContain('the')
    expect(t.map((x) => x.theme)).not.toContain('is')
  })
})
