/** The dashboard's funnels: where those who stopped at a step went instead, in the team's words and language. */
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { h, render } from 'preact'
import { Went } from '../../edge/dashboard/went'
import { loadLocale, LOCALES, setLocale } from '../../edge/dashboard/i18n'

// Each language's words are a chunk of their own, fetched before the dashboard shows them.
beforeAll(() => Promise.all(LOCALES.map(loadLocale)))
afterEach(() => {
  render(null, document.body)
  document.body.innerHTML = ''
  setLocale('en')
})

/** Where those who stopped went, as the worker names it (edge/domain/went.ts), one of each kind. */
const WENT = [
  'page:/pricing',
  'click:button “Upgrade”',
  'form_abandon:signup',
  'form_submit:',
  'track:invite_sent',
  'step:billing/plan',
  'survey_answer:nps',
  'survey_dismiss:nps',
  null,
]

/** What the funnel's "Stopped here, then" says for each, and the site's own text in it. */
function said() {
  render(
    h(
      'ul',
      null,
      WENT.map((label) => h('li', { key: label }, h(Went, { label }))),
    ),
    document.body,
  )
  const items = [...document.querySelectorAll('li')]
  return {
    words: items.map((li) => li.textContent),
    own: items.map((li) => [...li.querySelectorAll('bdi')].map((b) => b.textContent)),
  }
}

describe('where those who stopped at a funnel step went', () => {
  it('is said in words: a page viewed, an element clicked, a form, a survey, the team’s own event by its name', () => {
    const { words, own } = said()
    expect(words).toEqual([
      'Viewed /pricing',
      'Clicked button “Upgrade”',
      'Abandoned form signup',
      'Sent a form',
      'invite_sent',
      'Reached plan (billing)',
      'Answered survey nps',
      'Closed survey nps',
      'nothing',
    ])
    // The site's own text keeps its own direction (a path reads left to right in Hebrew).
    expect(own).toEqual([
      ['/pricing'],
      ['button “Upgrade”'],
      ['signup'],
      [],
      ['invite_sent'],
      ['plan', 'billing'],
      ['nps'],
      ['nps'],
      [],
    ])
  })

  it('in Polish, Hebrew and Arabic too', () => {
    setLocale('pl')
    expect(said().words.slice(0, 3)).toEqual([
      'Odsłona /pricing',
      'Kliknięcie w button “Upgrade”',
      'Porzucony formularz signup',
    ])
    render(null, document.body)
    setLocale('he')
    expect(said().words.slice(0, 4)).toEqual([
      'צפייה ב-/pricing',
      'הקלקה על button “Upgrade”',
      'נטישת הטופס signup',
      'שליחת טופס',
    ])
    render(null, document.body)
    setLocale('ar')
    expect(said().words.slice(6)).toEqual(['الإجابة عن الاستبيان nps', 'إغلاق الاستبيان nps', 'لا شيء'])
  })
})
