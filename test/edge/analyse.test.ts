/**
 * What one written answer says (edge/domain/text/analyse.ts), for the findings of issue 25 that
 * are the scorer's: complaints without a sentiment word, button names, Polish typed without
 * diacritics, dialects and transliteration, negation, praise and complaint in one sentence,
 * emoji; themes as words a reader recognises; one topic list across languages; the language of
 * an answer; and the held-out figures docs/surveys.md states.
 */
import { describe, expect, it } from 'vitest'
import dev from './sentiment/dev.json'
import heldout from './sentiment/heldout.json'
import { analyse, detectLang, SCORER, topicSentiment, type Label } from '../../edge/domain/text/analyse'
import { random } from '../random'

const label = (text: string, lang?: string) => analyse(text, lang).label

describe('sentiment of one answer', () => {
  it('reads a complaint that uses no sentiment word as negative, in each language', () => {
    expect(label('It took forever to load', 'en')).toBe('negative')
    expect(label('I gave up after ten minutes', 'en')).toBe('negative')
    expect(label('Nie mogłem znaleźć faktur', 'pl')).toBe('negative') // could not find the invoices
    expect(label('לא הצלחתי למצוא את הדוחות', 'he')).toBe('negative') // could not find the reports
    expect(label('ما لقيتش الفواتير', 'ar')).toBe('negative') // Egyptian: did not find the invoices
  })

  it('does not count the name of a button the visitor mentions as praise', () => {
    expect(label('Clicked Great and nothing happened', 'en')).toBe('negative')
    expect(label('I pressed "Perfect!" and the page froze', 'en')).toBe('negative')
    expect(label('Clicked "Great, thanks" to close the tip', 'en')).toBe('neutral')
  })

  it('reads Polish typed without diacritics as it reads Polish with them', () => {
    for (const [plain, written] of [
      ['nie dziala eksport', 'nie działa eksport'],
      ['swietne, polecam', 'świetne, polecam'],
      ['strasznie wolno sie laduje', 'strasznie wolno się ładuje'],
    ])
      expect(label(plain, 'pl')).toBe(label(written, 'pl'))
    expect(label('nie dziala eksport', 'pl')).toBe('negative')
    expect(label('swietne, polecam', 'pl')).toBe('positive')
  })

  it('reads negated praise as a complaint and a negated complaint as praise', () => {
    expect(label('Not great', 'en')).toBe('negative')
    expect(label('Support was not helpful', 'en')).toBe('negative')
    expect(label('Not bad at all', 'en')).toBe('positive')
    expect(label('No complaints', 'en')).toBe('positive')
    expect(label('Nie polecam', 'pl')).toBe('negative')
    expect(label('לא שווה את המחיר', 'he')).toBe('negative') // not worth the price
    expect(label('ليس سيئا على الإطلاق', 'ar')).toBe('positive') // not bad at all
  })

  it('reads praise and a complaint in one sentence, without "but", as a complaint', () => {
    expect(label('Nice charts, useless filters', 'en')).toBe('negative')
    expect(label('Świetny pomysł, fatalne wykonanie', 'pl')).toBe('negative')
    expect(label('רעיון מעולה, ביצוע גרוע', 'he')).toBe('negative')
    expect(label('فكرة ممتازة، تنفيذ سيئ', 'ar')).toBe('negative')
    // …unless the complaint is played down
    expect(label('A bit pricey, worth every cent though', 'en')).toBe('positive')
  })

  it('reads irony as the complaint it is', () => {
    expect(label('Oh great, the export broke again', 'en')).toBe('negative')
  })

  it('reads emoji-only answers, Arabic dialects and transliterated Hebrew and Arabic', () => {
    expect(label('😡')).toBe('negative')
    expect(label('👍👍')).toBe('positive')
    expect(label('مش شغال خالص', 'ar')).toBe('negative') // Egyptian: not working at all
    expect(label('ما عم يشتغل', 'ar')).toBe('negative') // Levantine: it is not working
    expect(label('وايد حلو', 'ar')).toBe('positive') // Gulf: very nice
    expect(label('mesh shaghal', 'ar')).toBe('negative')
    expect(label('ze lo oved', 'he')).toBe('negative')
  })

  it('gives a score between -1 and 1 whose sign is the label', () => {
    for (const text of ['Love it', 'ok', 'It took forever to load']) {
      const a = analyse(text, 'en')
      expect(Math.abs(a.score)).toBeLessThanOrEqual(1)
      expect(Math.sign(a.score)).toBe({ positive: 1, neutral: 0, negative: -1 }[a.label])
    }
    expect(SCORER).toEqual({ name: 'ciel-offline', version: expect.any(Number) })
  })

  it("reads the demo's own complaints, in all four languages, as negative", () => {
    // scripts/simulate.mjs: the rage-click and stall surveys' answers, and the low NPS scores' reasons.
    const complaints: [string, string][] = [
      ['I cannot find where to invite my team', 'en'],
      ['The workspace form keeps asking for a URL', 'en'],
      ['Too many steps before I see anything', 'en'],
      ['The Learn more button does nothing', 'en'],
      ['Clicked Choose Team and nothing happened', 'en'],
      ['Buttons on the home page are broken', 'en'],
      ['Too expensive for a team of three', 'en'],
      ['The setup is confusing and slow', 'en'],
      ['Missing a Jira integration', 'en'],
      ['Nie mogę znaleźć, gdzie zaprosić zespół', 'pl'],
      ['Za dużo kroków przed startem', 'pl'],
      ['Przycisk „Więcej” nic nie robi', 'pl'],
      ['Za drogie dla małego zespołu', 'pl'],
      ['Konfiguracja jest myląca', 'pl'],
      ['לא מצאתי איפה מזמינים את הצוות', 'he'],
      ['יותר מדי שלבים לפני שרואים משהו', 'he'],
      ['הכפתור לא עושה כלום', 'he'],
      ['יקר מדי לצוות קטן', 'he'],
      ['ההגדרה מבלבלת ואיטית', 'he'],
      ['لم أجد أين أدعو فريقي', 'ar'],
      ['خطوات كثيرة قبل أن أرى أي شيء', 'ar'],
      ['الزر لا يفعل شيئًا', 'ar'],
      ['السعر مرتفع لفريق صغير', 'ar'],
      ['الإعداد مربك وبطيء', 'ar'],
    ]
    expect(complaints.filter(([t, l]) => label(t, l) !== 'negative')).toEqual([])
  })
})

describe('any answer', () => {
  it("up to the worker's 1,024 characters, in any mix of scripts, quotes and marks, gets a label and a score", () => {
    const rnd = random(25)
    const letters = [...'aąłż ZB"\'“”„«»?!.,-—()07אבךםןהוש ابةىأءئؤ،؟ًّـ', '😀', '👍🏽', '\n', '\u200f', '\uE001', '\uE002']
    for (let i = 0; i < 300; i++) {
      const text = Array.from(
        { length: Math.floor(rnd() * 1024) },
        () => letters[Math.floor(rnd() * letters.length)],
      ).join('')
      const a = analyse(text, [undefined, 'en', 'pl', 'he', 'ar', 'de'][i % 6])
      expect(['positive', 'neutral', 'negative']).toContain(a.label)
      expect(Math.abs(a.score)).toBeLessThanOrEqual(1)
    }
  })
})

describe('language of an answer', () => {
  it('is found by script for Hebrew and Arabic, and by letters and words for Polish and English', () => {
    expect(detectLang('יקר מדי')).toBe('he')
    expect(detectLang('السعر مرتفع')).toBe('ar')
    expect(detectLang('Za drogie, nie polecam')).toBe('pl')
    expect(detectLang('nie dziala eksport')).toBe('pl') // no Polish letter in it
    expect(detectLang('Too expensive for what it does')).toBe('en')
    expect(detectLang('el app 7elw awy')).toBe('ar') // Arabic in Latin letters
  })

  it("is the survey's language when it was shown in one, unless the answer is in another script", () => {
    expect(detectLang('ok', 'pl-PL')).toBe('pl')
    expect(detectLang('ze lo oved', 'he')).toBe('he')
    expect(detectLang('הכפתור לא עובד', 'en')).toBe('he')
    expect(analyse('Za drogie', 'pl').lang).toBe('pl')
  })
})

describe('topics and themes', () => {
  it('map "expensive", "Za drogie", "יקר מדי" and "السعر مرتفع" to one topic, price', () => {
    for (const text of ['expensive', 'Za drogie', 'יקר מדי', 'السعر مرتفع'])
      expect(analyse(text).topics).toEqual(['price'])
  })

  it('are words with Hebrew final letters and without attached prefixes', () => {
    expect(analyse('לצוות קטן אין מקום', 'he').themes).toEqual(['צוות', 'קטן', 'מקום'])
    expect(analyse('הייצוא איטי', 'he').themes).toEqual(analyse('ייצוא איטי', 'he').themes)
    expect(analyse('التصدير بطيء للفريق', 'ar').themes).toEqual(['تصدير', 'بطيء', 'فريق'])
  })

  it('never include negators or connectives such as "but", "ليس", "אבל"', () => {
    const themes = [
      ...analyse('Nice design but the export is not fast', 'en').themes,
      ...analyse('ليس سريعا لكن السعر جيد', 'ar').themes,
      ...analyse('מהיר אבל לא זול', 'he').themes,
      ...analyse('Ładne, ale nie działa', 'pl').themes,
    ]
    for (const w of ['but', 'not', 'the', 'ليس', 'لكن', 'אבל', 'לא', 'ale', 'nie']) expect(themes).not.toContain(w)
    expect(themes).toContain('export')
  })

  it('give sentiment per topic over many answers', () => {
    const rows = topicSentiment(
      ['Too expensive', 'Za drogie', 'Great price', 'The export is slow'].map((t) => analyse(t)),
    )
    expect(rows[0]).toEqual({ topic: 'price', n: 3, positive: 1, neutral: 0, negative: 2 })
    expect(rows.map((r) => r.topic)).toEqual(['price', 'speed', 'data'])
  })
})

describe('measured on answers it was not tuned to', () => {
  type Row = { text: string; lang: string; label: string }
  const figures = (rows: Row[]) => {
    const got = rows.map((r) => label(r.text, r.lang))
    const labels: Label[] = ['positive', 'neutral', 'negative']
    const f1 = labels.map((l) => {
      const tp = rows.filter((r, i) => r.label === l && got[i] === l).length
      const p = tp / (got.filter((g) => g === l).length || 1)
      const rec = tp / (rows.filter((r) => r.label === l).length || 1)
      return p + rec ? (2 * p * rec) / (p + rec) : 0
    })
    const neg = rows.filter((r) => r.label === 'negative')
    return {
      macroF1: f1.reduce((a, b) => a + b, 0) / 3,
      negativeRecall: neg.filter((r) => label(r.text, r.lang) === 'negative').length / neg.length,
    }
  }

  it('the sets have at least 150 answers per language, dev and held-out apart', () => {
    const texts = new Set(dev.answers.map((a) => `${a.lang} ${a.text}`))
    for (const lang of ['en', 'pl', 'he', 'ar'])
      expect([...dev.answers, ...heldout.answers].filter((a) => a.lang === lang).length).toBeGreaterThanOrEqual(150)
    expect(heldout.answers.filter((a) => texts.has(`${a.lang} ${a.text}`))).toEqual([])
  })

  it('reaches, per language on the held-out set, the macro-F1 and negative recall docs/surveys.md states', () => {
    // Stated (npm run sentiment -- --eval): macro-F1 en 0.93, pl 0.88, he 0.89, ar 0.90; negative
    // recall 0.97, 0.88, 0.87, 0.90. The floors leave 0.03 for small changes to the lists.
    const floor = { en: 0.9, pl: 0.85, he: 0.86, ar: 0.87 }
    for (const [lang, f] of Object.entries(floor)) {
      const m = figures(heldout.answers.filter((a) => a.lang === lang))
      expect(m.macroF1, lang).toBeGreaterThanOrEqual(f)
      expect(m.negativeRecall, lang).toBeGreaterThanOrEqual(0.85)
    }
  })
})
