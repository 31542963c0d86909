/**
 * Multi-question surveys in the survey chunk: every question type, branching by the answer,
 * each answer recorded the moment it is given, languages (page, browser, site default), right
 * to left, the keyboard and screen readers.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { SurveyDue } from '../../snippet/contract/wire'
import { fakeCore } from './capture'
import { freshPage } from './helpers'

/** The voice-of-the-customer survey of the issue: a score, then a branch by it. */
const VOICE: SurveyDue = {
  id: 'voice',
  questions: [
    {
      id: 'score',
      type: 'nps',
      text: {
        en: 'How likely are you to recommend us?',
        he: 'עד כמה סביר שתמליצו עלינו?',
        pl: 'Jak bardzo polecił(a)byś nas?',
      },
      required: true,
      branch: [
        { max: 6, to: 'wrong' },
        { min: 9, to: 'like' },
      ],
      next: 'mood',
    },
    {
      id: 'wrong',
      type: 'text',
      text: { en: 'What went wrong?', he: 'מה השתבש?', pl: 'Co poszło nie tak?' },
      required: true,
      next: 'mood',
    },
    {
      id: 'like',
      type: 'single',
      text: { en: 'What do you like most?', he: 'מה הכי אהבת?', pl: 'Co lubisz najbardziej?' },
      options: [
        { id: 'speed', text: { en: 'Speed', he: 'מהירות', pl: 'Szybkość' } },
        { id: 'price', text: { en: 'Price', he: 'מחיר', pl: 'Cena' } },
      ],
      other: true,
      branch: [{ choice: 'price', to: 'end' }],
    },
    {
      id: 'mood',
      type: 'emoji',
      text: { en: 'How do you feel today?', he: 'איך ההרגשה היום?', pl: 'Jak się dziś czujesz?' },
    },
    {
      id: 'areas',
      type: 'multi',
      text: { en: 'What should we improve?', he: 'מה כדאי לשפר?', pl: 'Co poprawić?' },
      options: [
        { id: 'docs', text: { en: 'Docs', he: 'תיעוד', pl: 'Dokumentacja' } },
        { id: 'setup', text: { en: 'Setup', he: 'התקנה', pl: 'Konfiguracja' } },
      ],
      other: true,
    },
    {
      id: 'easy',
      type: 'csat',
      text: { en: 'Was it easy?', he: 'האם היה קל?', pl: 'Czy było łatwo?' },
      required: true,
    },
  ],
  thanks: {
    text: { en: 'Thanks, we read every answer.', he: 'תודה, אנחנו קוראים כל תשובה.', pl: 'Dziękujemy!' },
    link: { url: 'https://help.example/tips', text: { en: 'Tips', he: 'טיפים', pl: 'Porady' } },
  },
}
const QUICK = { capture: { deadMs: 0 } }

const chunk = async () => {
  vi.resetModules()
  return import('../../snippet/surveys/survey')
}
const host = () => document.querySelector<HTMLElement>('[data-ciel-survey]')
const root = () => host()?.shadowRoot ?? null
const $ = <T extends Element = HTMLElement>(sel: string) => root()?.querySelector<T>(sel) ?? null
const $$ = <T extends Element = HTMLElement>(sel: string) => Array.from(root()?.querySelectorAll<T>(sel) ?? [])
const heading = () => $('#ciel-q')!.textContent
const scale = () => $$<HTMLButtonElement>('.scale button')
const next = () => $<HTMLButtonElement>('.send')!
const type = (sel: string, text: string) => {
  const t = $<HTMLInputElement>(sel)!
  t.value = text
  t.dispatchEvent(new Event('input', { bubbles: true }))
}
const submit = () => $('form')!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }))
/** Ticks an option (radio or checkbox) by its label, as a click would. */
const tick = (label: string) => {
  const input = $$<HTMLLabelElement>('.opt')
    .find((l) => l.textContent!.trim() === label)!
    .querySelector('input')!
  input.checked = !input.checked
  input.dispatchEvent(new Event('change', { bubbles: true }))
}
const answers = (core: ReturnType<typeof fakeCore>) => core.of('survey_answer').map((e) => e.props)
/** The page's and the browser's languages. */
const speak = (page: string, browser: string[]) => {
  document.documentElement.lang = page
  vi.spyOn(navigator, 'languages', 'get').mockReturnValue(browser)
}

beforeEach(() => {
  freshPage('/account')
  document.body.innerHTML = '<main><button id="page-button">Save</button></main>'
  speak('en', ['en-US'])
})
afterEach(() => {
  vi.useRealTimers()
  vi.restoreAllMocks()
  document.documentElement.removeAttribute('lang')
  document.documentElement.removeAttribute('dir')
})

describe('a survey of several questions', () => {
  it('asks a detractor what went wrong, records each answer the moment it is given, and ends on thanks with a link', async () => {
    vi.useFakeTimers()
    const { show } = await chunk()
    const core = fakeCore(QUICK)
    await show(VOICE, core.ctx)
    expect(heading()).toBe('How likely are you to recommend us?')
    expect(scale().map((b) => b.textContent)).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10'])
    // A required scale has no Next button: a score is the only way on.
    expect($('.send')).toBeNull()

    scale()[3]!.click()
    expect(answers(core)).toEqual([{ q: 'score', kind: 'nps', score: 3, lang: 'en' }])
    expect(heading()).toBe('What went wrong?')
    // Screen readers hear the new question; the keyboard is on its answer.
    expect($('[aria-live=polite]')!.textContent).toBe('What went wrong?')
    expect(root()!.activeElement).toBe($('textarea'))
    expect(next().textContent).toBe('Next')
    expect(next().disabled).toBe(true) // required: no empty answer
    type('textarea', '  The export timed out  ')
    submit()
    expect(answers(core)[1]).toEqual({ q: 'wrong', kind: 'text', text: 'The export timed out', lang: 'en' })

    expect(heading()).toBe('How do you feel today?')
    expect(scale().map((b) => b.textContent)).toEqual(['😞', '🙁', '😐', '🙂', '😀'])
    expect(scale().map((b) => b.getAttribute('aria-label'))).toEqual(['Very bad', 'Bad', 'Okay', 'Good', 'Very good'])
    expect(root()!.activeElement).toBe(scale()[0])
    scale()[1]!.click()
    expect(answers(core)[2]).toEqual({ q: 'mood', kind: 'emoji', score: 2, lang: 'en' })

    expect(heading()).toBe('What should we improve?')
    expect($$('.opt').map((l) => l.textContent!.trim())).toEqual(['Docs', 'Setup', 'Other'])
    expect($('.other')).toBeNull()
    tick('Docs')
    tick('Other')
    expect($('.other')!.getAttribute('aria-label')).toBe('Other')
    type('.other', 'Pricing page')
    submit()
    expect(answers(core)[3]).toEqual({
      q: 'areas',
      kind: 'multi',
      choices: ['docs', 'other'],
      text: 'Pricing page',
      lang: 'en',
    })

    expect(heading()).toBe('Was it easy?')
    expect(scale().map((b) => b.textContent)).toEqual(['1', '2', '3', '4', '5'])
    scale()[4]!.click()
    expect(answers(core)).toHaveLength(5)
    expect($('[role=status]')!.textContent).toBe('Thanks, we read every answer.')
    const link = $<HTMLAnchorElement>('.link a')!
    expect([link.textContent, link.href, link.rel]).toEqual([
      'Tips',
      'https://help.example/tips',
      'noopener noreferrer',
    ])
    // A thank-you with a link stays until the visitor closes it.
    vi.advanceTimersByTime(10_000)
    expect(host()).not.toBeNull()
    $<HTMLButtonElement>('.close')!.click()
    expect(host()).toBeNull()
    expect(core.of('survey_dismiss')).toEqual([])
  })

  it('asks a promoter what they like; picking the price ends the survey there', async () => {
    const { show } = await chunk()
    const core = fakeCore(QUICK)
    await show(VOICE, core.ctx)
    scale()[10]!.click()
    expect(heading()).toBe('What do you like most?')
    expect($$<HTMLInputElement>('.opt input').map((i) => i.type)).toEqual(['radio', 'radio', 'radio'])
    tick('Speed')
    tick('Price') // a radio: the later pick wins
    submit()
    expect(answers(core)).toEqual([
      { q: 'score', kind: 'nps', score: 10, lang: 'en' },
      { q: 'like', kind: 'single', choice: 'price', lang: 'en' },
    ])
    expect($('[role=status]')!.textContent).toBe('Thanks, we read every answer.')
  })

  it('lets an optional question be skipped (nothing recorded) and counts a visitor who leaves after one answer', async () => {
    const { show } = await chunk()
    const core = fakeCore(QUICK)
    await show(VOICE, core.ctx)
    scale()[7]!.click() // a passive: straight to the mood
    expect(heading()).toBe('How do you feel today?')
    // Optional: a Next button skips it.
    expect(next().disabled).toBe(false)
    next().click()
    expect(heading()).toBe('What should we improve?')
    // "Other" without its text is no answer.
    tick('Other')
    submit()
    expect(heading()).toBe('Was it easy?')
    expect(answers(core)).toEqual([{ q: 'score', kind: 'nps', score: 7, lang: 'en' }])
    // Gone after the first answer: that answer stands, and it is no dismissal.
    root()!
      .querySelector('[role=dialog]')!
      .dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }))
    expect(host()).toBeNull()
    expect(core.of('survey_dismiss')).toEqual([])
  })

  it('carries the worker signed offer on every event, and takes the offer for a survey the page asked for', async () => {
    const { show } = await chunk()
    const core = fakeCore({ ...QUICK, surveys: [VOICE] })
    await show('voice', core.ctx)
    expect(core.of('survey_shown')[0]!.hash).toBeUndefined()
    // The worker's answer to the batch holding that survey_shown signs it.
    await show({ ...VOICE, offer: 'k2x.sig' }, core.ctx)
    expect(document.querySelectorAll('[data-ciel-survey]')).toHaveLength(1)
    scale()[2]!.click()
    expect(core.of('survey_answer')[0]!.hash).toBe('k2x.sig')

    const again = await chunk()
    document.body.innerHTML = ''
    const core2 = fakeCore(QUICK)
    await again.show({ ...VOICE, offer: 'abc.def' }, core2.ctx)
    scale()[2]!.click()
    expect(core2.events.map((e) => e.hash)).toEqual(['abc.def', 'abc.def'])
  })
})

describe('an offer that waits for the page', () => {
  it('shows after the time on the page and the scroll depth of its trigger, not before', async () => {
    vi.useFakeTimers()
    const { show } = await chunk()
    const core = fakeCore(QUICK)
    Object.defineProperty(document.documentElement, 'scrollHeight', { value: 4000, configurable: true })
    Object.defineProperty(window, 'scrollY', { value: 0, configurable: true, writable: true })
    const shown = show({ ...VOICE, when: { from: Date.now() - 5000, seconds: 30, scroll: 50 } }, core.ctx)
    await vi.advanceTimersByTimeAsync(24_000)
    expect(host()).toBeNull()
    await vi.advanceTimersByTimeAsync(2_000) // 31 s on the page, but only the top of it seen
    expect(host()).toBeNull()
    ;(window as { scrollY: number }).scrollY = 1500 // (1,500 + the window) of 4,000 px: past half
    window.dispatchEvent(new Event('scroll'))
    await vi.advanceTimersByTimeAsync(0)
    await shown
    expect(host()).not.toBeNull()
    expect(core.of('survey_shown')).toHaveLength(1)
    delete (document.documentElement as { scrollHeight?: number }).scrollHeight
  })

  it('on a page that fits the window, waits only for the time on the page', async () => {
    vi.useFakeTimers()
    const { show } = await chunk()
    const shown = show({ ...VOICE, when: { from: Date.now(), seconds: 20, scroll: 90 } }, fakeCore(QUICK).ctx)
    await vi.advanceTimersByTimeAsync(19_900)
    expect(host()).toBeNull()
    await vi.advanceTimersByTimeAsync(100)
    await shown
    expect(host()).not.toBeNull()
  })
})

describe('languages', () => {
  it("speaks the page's language: Hebrew texts and built-in words, right to left, recorded as he", async () => {
    speak('he', ['en-US'])
    const { show } = await chunk()
    const core = fakeCore(QUICK)
    await show(VOICE, core.ctx)
    expect(host()!.getAttribute('dir')).toBe('rtl')
    expect($('.box')!.getAttribute('dir')).toBe('rtl')
    expect($('.box')!.getAttribute('lang')).toBe('he')
    expect(heading()).toBe('עד כמה סביר שתמליצו עלינו?')
    expect($('.close')!.getAttribute('aria-label')).toBe('סגירה')
    expect($('.ends')!.textContent).toBe('לא סבירסביר מאוד')
    // Numbers stay numbers, in order; the row itself is laid out right to left by `dir`.
    expect(scale().map((b) => b.textContent)).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10'])
    scale()[2]!.click()
    expect(heading()).toBe('מה השתבש?')
    expect(next().textContent).toBe('הבא')
    expect(answers(core)).toEqual([{ q: 'score', kind: 'nps', score: 2, lang: 'he' }])
  })

  it("falls back to the browser's language when the page's is not offered, then to the site's default", async () => {
    speak('de', ['de-DE', 'pl-PL', 'en'])
    let { show } = await chunk()
    await show(VOICE, fakeCore(QUICK).ctx)
    expect(heading()).toBe('Jak bardzo polecił(a)byś nas?')
    expect($('.box')!.getAttribute('dir')).toBe('ltr')
    expect($('.close')!.getAttribute('aria-label')).toBe('Zamknij')

    document.body.innerHTML = ''
    speak('fr', ['fr-FR'])
    ;({ show } = await chunk())
    await show(VOICE, fakeCore({ ...QUICK, language: 'he' }).ctx)
    expect(heading()).toBe('עד כמה סביר שתמליצו עלינו?')
  })

  it("uses the site's default language for texts given as plain strings: Arabic words, right to left", async () => {
    speak('en', ['en'])
    const { show } = await chunk()
    const core = fakeCore({ ...QUICK, language: 'ar' })
    await show({ id: 'q', kind: 'text', question: 'ما الذي يمكننا تحسينه؟' }, core.ctx)
    expect(host()!.getAttribute('dir')).toBe('rtl')
    expect($('.send')!.textContent).toBe('إرسال')
    expect($('.close')!.getAttribute('aria-label')).toBe('إغلاق')
    type('textarea', 'هذا سيئ')
    submit()
    expect($('[role=status]')!.textContent).toBe('شكرًا لك!')
  })

  it("a site's labels win over the built-in words, by language too", async () => {
    speak('pl', [])
    const { show } = await chunk()
    await show({ ...VOICE, labels: { next: { pl: 'Dalej →', en: 'Next →' }, close: 'X' } }, fakeCore(QUICK).ctx)
    scale()[0]!.click()
    expect(next().textContent).toBe('Dalej →')
    expect($('.close')!.getAttribute('aria-label')).toBe('X')
  })
})

describe('survey styles', () => {
  it('lay out by logical properties, and put the box and its close button on the left for right-to-left', async () => {
    const { CSS } = await import('../../snippet/surveys/style')
    expect(CSS).toContain('margin-inline-start')
    expect(CSS).toContain(':host([dir=rtl]){right:auto;left:16px}')
    expect(CSS).toContain('[dir=rtl] .close{right:auto;left:6px}')
    expect(CSS).not.toMatch(/margin-left|margin-right|padding-left|padding-right|text-align:left/)
  })
})
