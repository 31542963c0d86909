/** The dashboard in the team's language: the language picked, plural forms and numbers as its readers write them. */
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { formatLocale, loadLocale, LOCALES, pickLocale, setLocale, t } from '../../edge/dashboard/i18n'
import { bucketName, change, duration, period } from '../../edge/dashboard/format'

// Each language's words are a chunk of their own, fetched before the dashboard shows them.
beforeAll(() => Promise.all(LOCALES.map(loadLocale)))
afterEach(() => setLocale('en'))

describe('dashboard languages', () => {
  it('counts in Polish with its three plural forms: 1 zdarzenie, 2–4 zdarzenia, 5–21 zdarzeń, 22 zdarzenia', () => {
    setLocale('pl')
    const bots = (n: number) => t('botEvents', { n })
    expect(bots(1)).toBe('Pominięto 1 zdarzenie od botów.')
    expect(bots(3)).toBe('Pominięto 3 zdarzenia od botów.')
    expect(bots(5)).toBe('Pominięto 5 zdarzeń od botów.')
    expect(bots(12)).toBe('Pominięto 12 zdarzeń od botów.')
    expect(bots(22)).toBe('Pominięto 22 zdarzenia od botów.')
    expect(bots(25)).toBe('Pominięto 25 zdarzeń od botów.')
    // Polish groups thousands with a no-break space, and only from five digits.
    expect(bots(1234)).toBe('Pominięto 1234 zdarzenia od botów.')
    expect(bots(12_345)).toBe('Pominięto 12\u00a0345 zdarzeń od botów.')
    expect(change(7, 5, true)).toBe('+2 punkty')
    expect(change(10, 5, true)).toBe('+5 punktów')
    expect(duration(2 * 86_400)).toBe('2 dni')
    expect(duration(5400)).toBe('1,5 godz.')
    expect([period(1), period(7)]).toEqual(['Ostatni dzień', 'Ostatnie 7 dni'])
  })

  it('keeps English as it was, and Arabic and Hebrew numbers in Western digits a chart reads alike', () => {
    expect([period(1), period(30), t('botEvents', { n: 1 }), t('botEvents', { n: 1234 })]).toEqual([
      'Last day',
      'Last 30 days',
      '1 event from bots left out.',
      '1,234 events from bots left out.',
    ])
    setLocale('ar')
    expect(period(7)).toBe('آخر 7 أيام')
    expect(period(30)).toBe('آخر 30 يومًا')
    setLocale('he')
    expect(period(2)).toBe('היומיים האחרונים')
    expect(period(7)).toBe('7 הימים האחרונים')
    // A time in a Hebrew table cell, in Hebrew units (a Latin "s" reordered "6 s (90%: 9 s)").
    expect([duration(6), duration(600), duration(5400)]).toEqual(['6 שנ׳', '10 דק׳', '1.5 שע׳'])
    setLocale('en')
    expect([duration(6), duration(600), duration(5400)]).toEqual(['6 s', '10 min', '1.5 h'])
  })

  it('writes English dates as the reader’s browser does: 1 December is “1 Dec” and 01/12/2026 in Britain, “Dec 1” and 12/1/2026 in the US', () => {
    const december1 = Date.UTC(2026, 11, 1, 9, 30)
    const day = () => bucketName(Date.UTC(2026, 11, 1), 'day', Date.UTC(2027, 0, 1))
    const date = () => new Date(december1).toLocaleString(formatLocale(), { timeZone: 'UTC' })
    setLocale('en', ['en-GB', 'en-US'])
    expect([day(), date(), t('botEvents', { n: 1234 })]).toEqual([
      '1 Dec',
      '01/12/2026, 09:30:00',
      '1,234 events from bots left out.',
    ])
    setLocale('en', ['en-AU'])
    expect(day()).toBe('1 Dec')
    // Hebrew first, English second: the English picked with the switch is still the British one.
    setLocale('en', ['he-IL', 'en-gb'])
    expect(day()).toBe('1 Dec')
    setLocale('en', ['en-US'])
    expect([day(), date()]).toEqual(['Dec 1', '12/1/2026, 9:30:00 AM'])
    setLocale('en', ['fr-FR'])
    expect(day()).toBe('Dec 1')
    // Polish is Polish, whatever English the browser also has.
    setLocale('pl', ['pl-PL', 'en-GB'])
    expect(day()).toBe('1 gru')
  })

  it('shows the language picked with the switch, else the first of the browser’s it has, else English', () => {
    expect(pickLocale(['he-IL', 'en-US'])).toBe('he')
    expect(pickLocale(['fr-FR', 'pl-PL', 'en'])).toBe('pl')
    expect(pickLocale(['iw'])).toBe('he')
    expect(pickLocale(['fr', 'de'])).toBe('en')
    expect(pickLocale(['he-IL'], 'ar')).toBe('ar')
    expect(pickLocale(['he-IL'], 'xx')).toBe('he')
  })
})
