import 'fake-indexeddb/auto'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { SurveyConfig, SurveyDue } from '../../snippet/contract/wire'
import { clickOn, fakeCore, setHidden } from './capture'
import { freshPage, stubWorker, eventually, stopAfter } from './helpers'

const NPS: SurveyDue = {
  id: 'pricing-nps',
  kind: 'nps',
  question: 'How likely are you to recommend us?',
  followUp: 'What is the main reason for your score?',
}
const CSAT: SurveyDue = { id: 'help', kind: 'csat', question: 'Was this page helpful?' }
const TEXT: SurveyConfig = {
  id: 'stuck',
  kind: 'text',
  question: 'What is stopping you? <img src=x onerror="window.pwned=1">',
  trigger: { event: 'stall' },
}

/** No wait for a quiet moment after the last click (that wait has a test of its own). */
const QUICK = { capture: { deadMs: 0 } }

/** The survey chunk, fresh (it keeps per-page state). */
const chunk = async () => {
  vi.resetModules()
  return import('../../snippet/surveys/survey')
}
const host = () => document.querySelector<HTMLElement>('[data-ciel-survey]')
const root = () => host()?.shadowRoot ?? null
const $ = <T extends Element = HTMLElement>(sel: string) => root()?.querySelector<T>(sel) ?? null
const buttons = () => Array.from(root()?.querySelectorAll<HTMLButtonElement>('.scale button') ?? [])
const type = (text: string) => {
  const t = $<HTMLTextAreaElement>('textarea')!
  t.value = text
  t.dispatchEvent(new Event('input', { bubbles: true }))
}
const submit = () => $('form')!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }))

beforeEach(() => {
  freshPage('/pricing')
  document.body.innerHTML = '<main><button id="page-button">Buy</button></main>'
})
afterEach(() => {
  vi.useRealTimers()
  vi.unstubAllGlobals()
  setHidden(false)
})

describe('survey UI', () => {
  it('shows an NPS scale, records the score at once, then the follow-up as a comment, then thanks and goes', async () => {
    vi.useFakeTimers()
    const { show } = await chunk()
    const core = fakeCore(QUICK)
    await show(NPS, core.ctx)
    expect($('[role=dialog]')!.getAttribute('aria-labelledby')).toBe('ciel-q')
    expect($('#ciel-q')!.textContent).toBe(NPS.question)
    expect(buttons().map((b) => b.textContent)).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10'])
    expect(buttons()[0]!.getAttribute('aria-label')).toBe('0, Not likely')
    expect(core.of('survey_shown')).toMatchObject([{ name: 'pricing-nps', props: { kind: 'nps', asked: false } }])
    // Offered unprompted: the page keeps the keyboard.
    expect(document.activeElement).not.toBe(buttons()[0])

    buttons()[9]!.click()
    expect(core.of('survey_answer')).toMatchObject([{ name: 'pricing-nps', props: { kind: 'nps', score: 9 } }])
    expect($('#ciel-q')!.textContent).toBe(NPS.followUp)
    expect(root()!.activeElement).toBe($('textarea'))
    expect($<HTMLButtonElement>('.send')!.disabled).toBe(true)
    type('  Fast setup  ')
    expect($<HTMLButtonElement>('.send')!.disabled).toBe(false)
    submit()
    expect(core.of('survey_comment')).toMatchObject([
      { name: 'pricing-nps', props: { kind: 'nps', score: 9, text: 'Fast setup' } },
    ])
    expect($('[role=status]')!.textContent).toBe('Thank you!')
    vi.advanceTimersByTime(2500)
    expect(host()).toBeNull()
    expect(core.of('survey_dismiss')).toEqual([])
  })

  it("speaks the site's language when the config gives the UI's words", async () => {
    const { show } = await chunk()
    const labels = { low: 'Pas du tout', high: 'Tout à fait', send: 'Envoyer', close: 'Fermer', thanks: 'Merci !' }
    await show({ ...CSAT, followUp: 'Pourquoi ?', labels }, fakeCore(QUICK).ctx)
    expect($('.ends')!.textContent).toBe('Pas du toutTout à fait')
    expect(buttons()[4]!.getAttribute('aria-label')).toBe('5, Tout à fait')
    expect($('.close')!.getAttribute('aria-label')).toBe('Fermer')
    buttons()[4]!.click()
    expect($('.send')!.textContent).toBe('Envoyer')
    type('Rapide')
    submit()
    expect($('[role=status]')!.textContent).toBe('Merci !')
  })

  it('a burst of clicks on the survey is answering, not a rage click on the page', async () => {
    const { show } = await chunk()
    const { init } = await import('../../snippet/capture/friction')
    const core = fakeCore(QUICK)
    init(core.ctx)
    await show(TEXT, core.ctx)
    for (let i = 0; i < 4; i++) clickOn(host()!, 100, 100)
    // The same burst on the page's dead button, for comparison, is one.
    for (let i = 0; i < 4; i++) clickOn(document.getElementById('page-button')!, 300, 300)
    await eventually(() => expect(core.of('rage_click')).toHaveLength(1))
    expect(core.of('rage_click')[0]!.props).toMatchObject({ id: 'page-button' })
  })

  it('renders config text as text, never as markup', async () => {
    const { show } = await chunk()
    await show(TEXT, fakeCore(QUICK).ctx)
    expect($('#ciel-q')!.textContent).toBe(TEXT.question)
    expect(root()!.querySelector('img')).toBeNull()
    expect((window as { pwned?: number }).pwned).toBeUndefined()
  })

  it('takes a written answer for an open question, and will not send an empty one', async () => {
    const { show } = await chunk()
    const core = fakeCore(QUICK)
    await show(TEXT, core.ctx)
    expect(buttons()).toEqual([])
    type('   ')
    submit()
    expect(core.of('survey_answer')).toEqual([])
    type('The invite step asks for a domain I do not have')
    submit()
    expect(core.of('survey_answer')).toMatchObject([
      { name: 'stuck', props: { kind: 'text', text: 'The invite step asks for a domain I do not have' } },
    ])
  })

  it('records a dismissal when closed before an answer (button or Escape), and none after a score', async () => {
    let { show } = await chunk()
    let core = fakeCore(QUICK)
    await show(CSAT, core.ctx)
    expect(buttons().map((b) => b.textContent)).toEqual(['1', '2', '3', '4', '5'])
    $<HTMLButtonElement>('.close')!.click()
    expect(host()).toBeNull()
    expect(core.of('survey_dismiss')).toMatchObject([{ name: 'help', props: { kind: 'csat' } }])

    ;({ show } = await chunk())
    core = fakeCore(QUICK)
    await show(CSAT, core.ctx)
    $('[role=dialog]')!.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }))
    expect(host()).toBeNull()
    expect(core.of('survey_dismiss')).toHaveLength(1)

    // A score, then the follow-up closed unanswered: the score stands, it is no dismissal.
    ;({ show } = await chunk())
    core = fakeCore(QUICK)
    await show(NPS, core.ctx)
    buttons()[3]!.click()
    $<HTMLButtonElement>('.close')!.click()
    expect(host()).toBeNull()
    expect(core.of('survey_answer')).toHaveLength(1)
    expect(core.of('survey_dismiss')).toEqual([])
  })

  it('shows one survey at a time, and an offered survey once per page', async () => {
    const { show } = await chunk()
    const core = fakeCore(QUICK)
    await show(NPS, core.ctx)
    await show(CSAT, core.ctx)
    expect(document.querySelectorAll('[data-ciel-survey]')).toHaveLength(1)
    $<HTMLButtonElement>('.close')!.click()
    await show(NPS, core.ctx) // offered again by a later answer: not again on this page
    expect(host()).toBeNull()
    await show(CSAT, core.ctx)
    expect(host()!.dataset.cielSurvey).toBe('help')
    expect(core.of('survey_shown').map((e) => e.name)).toEqual(['pricing-nps', 'help'])
    // The page re-renders its body and takes the survey with it: the next one may show.
    document.body.innerHTML = '<main></main>'
    await show({ ...CSAT, id: 'later' }, core.ctx)
    expect(host()!.dataset.cielSurvey).toBe('later')
  })

  it('shows a survey asked for by id from the site config, with the keyboard on it', async () => {
    const { show } = await chunk()
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    // Asked for: no wait for a quiet moment (a minute here), it shows at once.
    const core = fakeCore({ capture: { deadMs: 60_000 }, surveys: [TEXT, { ...CSAT }] })
    await show('no-such-survey', core.ctx)
    expect(host()).toBeNull()
    expect(warn).toHaveBeenCalledWith('ciel: no survey with id', 'no-such-survey')
    await show('help', core.ctx)
    expect(core.of('survey_shown')).toMatchObject([{ name: 'help', props: { asked: true } }])
    expect(root()!.activeElement).toBe(buttons()[0])
    warn.mockRestore()
  })

  it('waits for a hidden tab to come back before showing', async () => {
    const { show } = await chunk()
    const core = fakeCore(QUICK)
    setHidden(true)
    const listen = vi.spyOn(document, 'addEventListener')
    const shown = show(CSAT, core.ctx)
    // It has found the tab hidden, and waits for it to come back.
    await eventually(() =>
      expect(listen.mock.calls.some((c) => c[0] === 'visibilitychange' && (c[2] as any)?.once)).toBe(true),
    )
    listen.mockRestore()
    expect(host()).toBeNull()
    expect(core.of('survey_shown')).toEqual([])
    setHidden(false)
    await shown
    expect(host()).not.toBeNull()
    expect(core.of('survey_shown')).toHaveLength(1)
  })

  it.each([
    ['click', () => document.getElementById('page-button')!.click()],
    ['keystroke', () => document.body.dispatchEvent(new KeyboardEvent('keydown', { bubbles: true, key: 'k' }))],
  ])('waits for a quiet moment after the last %s before popping up', async (_, busy) => {
    vi.useFakeTimers()
    const { show } = await chunk()
    const core = fakeCore({ capture: { deadMs: 2500 } })
    const shown = show(CSAT, core.ctx)
    await vi.advanceTimersByTimeAsync(2000)
    busy() // the visitor is busy: wait 2.5 s from here
    await vi.advanceTimersByTimeAsync(2000)
    expect(host()).toBeNull()
    await vi.advanceTimersByTimeAsync(500)
    await shown
    expect(host()).not.toBeNull()
  })

  /**
   * A phone's tab hidden with a form half filled reports the form abandoned at once; the worker
   * may answer with a survey asking why. A visitor who comes back to finish it gets a moment
   * (no survey the instant the tab shows), and once they submit it they are not asked why they left.
   */
  describe('a survey about an abandoned form', () => {
    const WHY: SurveyDue = { ...CSAT, id: 'why-left', after: 'form_abandon' }
    const key = () => document.body.dispatchEvent(new KeyboardEvent('keydown', { bubbles: true, key: 'x' }))
    async function abandonAndReturn() {
      vi.useFakeTimers()
      const { show } = await chunk()
      const { init: forms } = await import('../../snippet/capture/forms')
      const core = fakeCore({ capture: { deadMs: 2500 } })
      forms(core.ctx)
      document.body.insertAdjacentHTML('beforeend', '<form id="signup"><input name="email" id="email"></form>')
      const field = document.getElementById('email') as HTMLInputElement
      field.value = 'a@b'
      field.dispatchEvent(new Event('input', { bubbles: true }))
      setHidden(true) // off to the mail app for the code
      expect(core.of('form_abandon')).toHaveLength(1)
      const shown = show(WHY, core.ctx) // the worker's answer to that batch
      await vi.advanceTimersByTimeAsync(30_000)
      setHidden(false)
      // Back: typing the code, a second apart.
      for (let i = 0; i < 3; i++) {
        await vi.advanceTimersByTimeAsync(1000)
        key()
      }
      expect(host()).toBeNull()
      return { core, shown }
    }

    it('is withdrawn when the visitor comes back and submits it', async () => {
      const { core, shown } = await abandonAndReturn()
      document.getElementById('signup')!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }))
      expect(core.of('form_submit')).toHaveLength(1)
      await vi.advanceTimersByTimeAsync(5000)
      await shown
      expect(host()).toBeNull()
      expect(core.of('survey_shown')).toEqual([])
    })

    it('shows once the visitor, back, stops without submitting', async () => {
      const { core, shown } = await abandonAndReturn()
      await vi.advanceTimersByTimeAsync(2500)
      await shown
      expect(host()).not.toBeNull()
      expect(core.of('survey_shown')).toHaveLength(1)
    })
  })

  it('styles itself inside its shadow root only: no style attribute, nothing added to the page', async () => {
    const { show } = await chunk()
    const before = document.head.innerHTML
    await show(NPS, fakeCore(QUICK).ctx)
    expect(root()!.adoptedStyleSheets).toHaveLength(1)
    expect([host()!, ...root()!.querySelectorAll('*')].filter((el) => el.hasAttribute('style'))).toEqual([])
    expect(document.head.innerHTML).toBe(before)
  })
})

describe('surveys through the core', () => {
  it('shows the survey the worker offers in its answer, and sends what the visitor says', async () => {
    const worker = stubWorker()
    let offered = false
    worker.fetch.mockImplementation(async (url: string | URL, init?: RequestInit) => {
      if (String(url).includes('/v1/config')) return new Response('{}')
      worker.batches.push(JSON.parse(String(init?.body)))
      const surveys = offered ? [] : [CSAT]
      offered = true
      return new Response(JSON.stringify({ accepted: 1, duplicates: 0, decisions: {}, surveys }))
    })
    vi.resetModules()
    const { start } = await import('../../snippet/core/index')
    stopAfter(start({ site: 'survey1', src: 'https://edge.example/s.js', q: [] }))
    // Offered: it waits for a quiet moment (2.5 s) before it pops up.
    await eventually(() => expect(buttons()).toHaveLength(5), 8000)
    buttons()[4]!.click()
    await eventually(() =>
      expect(worker.events().find((e) => e.type === 'survey_answer')).toMatchObject({ name: 'help' }),
    )
    expect(worker.events().find((e) => e.type === 'survey_answer')!.props).toEqual({ kind: 'csat', score: 5 })
    expect(worker.events().filter((e) => e.type === 'survey_shown')).toHaveLength(1)
  })

  it('offers nothing unprompted on a cookieless page (it could not know the visitor was asked before)', async () => {
    const worker = stubWorker()
    // The answer offers a survey and reports a refused event: the warning it logs marks the
    // moment the answer is handled, where a survey due would be asked for too.
    worker.fetch.mockImplementation(async (url: string | URL, init?: RequestInit) => {
      if (String(url).includes('/v1/config'))
        return new Response(JSON.stringify({ consent: 'cookieless', surveys: [CSAT] }))
      worker.batches.push(JSON.parse(String(init?.body)))
      return new Response(
        JSON.stringify({ accepted: 1, duplicates: 0, decisions: {}, surveys: [CSAT], rejected: [{ error: 'x' }] }),
      )
    })
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    vi.resetModules()
    // The survey chunk's show(), watched: every survey the core asks for goes through it, in order.
    const show = vi.fn(async () => {})
    vi.doMock('../../snippet/surveys/survey', () => ({ show }))
    try {
      const { start } = await import('../../snippet/core/index')
      const call = stopAfter(start({ site: 'survey3', src: 'https://edge.example/s.js', q: [] }))
      await eventually(() => expect(warn).toHaveBeenCalledWith('ciel:', 'x'))
      // Asked for by the page now: had the answer's offer been taken, its show() would come first.
      call(['survey', 'help'])
      await eventually(() => expect(show).toHaveBeenCalled())
      expect(show.mock.calls.map((c: unknown[]) => c[0])).toEqual(['help'])
    } finally {
      vi.doUnmock('../../snippet/surveys/survey')
      warn.mockRestore()
    }
  })

  it("shows a survey on ciel('survey', id), but not one asked for while the visitor had denied consent", async () => {
    stubWorker({ surveys: [TEXT] })
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    vi.resetModules()
    // The survey chunk's show(), watched: calls reach it in the order the page made them.
    const show = vi.fn(async () => {})
    vi.doMock('../../snippet/surveys/survey', () => ({ show }))
    try {
      const { start } = await import('../../snippet/core/index')
      const call = stopAfter(start({ site: 'survey2', src: 'https://edge.example/s.js', q: [['consent', 'denied']] }))
      call(['survey', 'stuck'])
      call(['survey'])
      expect(warn).toHaveBeenCalledWith('ciel: cannot do', ['survey'])
      call(['consent', 'granted'])
      call(['survey', 'help'])
      // Had the call made under denial gone through, its show() would have come first.
      await eventually(() => expect(show).toHaveBeenCalled())
      expect(show.mock.calls.map((c: unknown[]) => c[0])).toEqual(['help'])
    } finally {
      vi.doUnmock('../../snippet/surveys/survey')
      warn.mockRestore()
    }
  })
})
