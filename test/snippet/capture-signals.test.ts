import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { init as errors } from '../../snippet/capture/errors'
import { init as forms } from '../../snippet/capture/forms'
import { init as stall } from '../../snippet/capture/stall'
import { init as navigation } from '../../snippet/capture/navigation'
import { clickOn, fakeCore, setHidden } from './capture'

const fail = (message: string, filename = 'https://shop.example/app.js?v=3&token=abc', lineno = 12) =>
  window.dispatchEvent(new ErrorEvent('error', { message, filename, lineno, colno: 4 }))

beforeEach(() => {
  vi.useFakeTimers()
  setHidden(false)
  history.replaceState(null, '', '/')
  document.body.innerHTML = `
    <button id="pay" type="button">Pay</button>
    <form id="signup" name="signup">
      <input name="email"><input type="password" name="password"><select name="plan"><option>pro</option></select>
      <button type="submit">Go</button>
    </form>`
})
afterEach(() => vi.useRealTimers())

describe('errors and error clicks', () => {
  it('reports an uncaught error without the query string of its source', () => {
    const { ctx, of } = fakeCore()
    errors(ctx)
    fail('boom')
    expect(of('error').at(-1)!.props).toEqual({
      message: 'boom',
      source: 'https://shop.example/app.js',
      line: 12,
      col: 4,
    })
  })

  it('reports the same error once per page', () => {
    const { ctx, of } = fakeCore()
    errors(ctx)
    fail('same')
    fail('same')
    fail('other')
    expect(of('error').map((e) => e.props.message)).toEqual(['same', 'other'])
  })

  it('calls an error within a second of a click an error click, with the element', () => {
    const { ctx, of } = fakeCore()
    errors(ctx)
    clickOn(document.getElementById('pay')!)
    vi.advanceTimersByTime(500)
    fail('payment failed')
    expect(of('error_click')).toHaveLength(1)
    expect(of('error_click')[0]!.props).toMatchObject({ tag: 'button', id: 'pay', message: 'payment failed' })
  })

  it('does not tie an error two seconds after a click to the click', () => {
    const { ctx, of } = fakeCore()
    errors(ctx)
    clickOn(document.getElementById('pay')!)
    vi.advanceTimersByTime(2000)
    fail('later')
    expect(of('error')).toHaveLength(1)
    expect(of('error_click')).toEqual([])
  })

  it('reports unhandled promise rejections', () => {
    const { ctx, of } = fakeCore()
    errors(ctx)
    const e = new Event('unhandledrejection') as any
    e.reason = new Error('fetch failed')
    window.dispatchEvent(e)
    expect(of('error').at(-1)!.props.message).toBe('fetch failed')
  })
})

describe('form abandonment', () => {
  const type = (name: string, value: string) => {
    const f = document.querySelector<HTMLInputElement>(`[name=${name}]`)!
    f.value = value
    f.dispatchEvent(new Event('input', { bubbles: true }))
  }

  it('reports a touched form left unsubmitted: field names and the last one, never values', () => {
    const { ctx, of } = fakeCore()
    forms(ctx)
    type('email', 'ann@example.com')
    type('password', 'hunter2')
    type('email', 'ann@example.org')
    window.dispatchEvent(new Event('pagehide'))
    expect(of('form_abandon')).toHaveLength(1)
    expect(of('form_abandon')[0]!.props).toEqual({ form: 'signup', fields: ['password', 'email'], last: 'email' })
    expect(JSON.stringify(of('form_abandon'))).not.toMatch(/ann@|hunter2/)
  })

  it('does not report a submitted form', () => {
    const { ctx, of } = fakeCore()
    forms(ctx)
    type('email', 'ann@example.com')
    document.getElementById('signup')!.dispatchEvent(new Event('submit', { bubbles: true }))
    window.dispatchEvent(new Event('pagehide'))
    expect(of('form_abandon')).toEqual([])
  })

  it('does not report a form nobody touched, and reports a touched one when the tab is hidden', () => {
    const { ctx, of } = fakeCore()
    forms(ctx)
    window.dispatchEvent(new Event('pagehide'))
    expect(of('form_abandon')).toEqual([])
    type('email', 'x')
    setHidden(true)
    expect(of('form_abandon')).toHaveLength(1)
  })

  it('tells when a form reported on a hidden tab is submitted after all (the visitor went for a code)', () => {
    const { ctx, of } = fakeCore()
    forms(ctx)
    type('email', 'ann@example.com')
    setHidden(true)
    setHidden(false)
    type('password', 'hunter2')
    document.getElementById('signup')!.dispatchEvent(new Event('submit', { bubbles: true }))
    window.dispatchEvent(new Event('pagehide'))
    expect(of('form_abandon')).toHaveLength(1)
    expect(of('form_submit').map((e) => e.props)).toEqual([{ form: 'signup' }])
    // A form submitted without having been reported says nothing more.
    type('email', 'bob@example.com')
    document.getElementById('signup')!.dispatchEvent(new Event('submit', { bubbles: true }))
    expect(of('form_submit')).toHaveLength(1)
  })
})

describe('onboarding stalls', () => {
  const config = {
    funnels: [
      {
        id: 'onboarding',
        steps: [{ id: 'account', maxSeconds: 60 }, { id: 'workspace', maxSeconds: 30 }, { id: 'done' }],
      },
    ],
  }

  it('emits a stall when a visitor stays on a step past its time, at that moment', async () => {
    const { ctx, of } = fakeCore(config)
    stall(ctx)
    ctx.emit('step', { step: 'account' }, 'onboarding')
    await vi.advanceTimersByTimeAsync(59_000)
    expect(of('stall')).toEqual([])
    await vi.advanceTimersByTimeAsync(1_000)
    expect(of('stall')).toHaveLength(1)
    expect(of('stall')[0]).toMatchObject({ name: 'onboarding', props: { step: 'account', seconds: 60 } })
  })

  it('cancels the stall when the visitor reaches the next step in time', async () => {
    const { ctx, of } = fakeCore(config)
    stall(ctx)
    ctx.emit('step', { step: 'account' }, 'onboarding')
    await vi.advanceTimersByTimeAsync(20_000)
    ctx.emit('step', { step: 'done' }, 'onboarding')
    await vi.advanceTimersByTimeAsync(120_000)
    expect(of('stall')).toEqual([])
  })

  it('counts from the step itself when the config arrives later', async () => {
    let arrive!: () => void
    const { ctx, of } = fakeCore({}, new Promise<void>((r) => (arrive = r)))
    stall(ctx)
    ctx.emit('step', { step: 'workspace' }, 'onboarding')
    await vi.advanceTimersByTimeAsync(10_000)
    ctx.config = config
    arrive()
    await vi.advanceTimersByTimeAsync(19_000)
    expect(of('stall')).toEqual([])
    await vi.advanceTimersByTimeAsync(1_000)
    expect(of('stall')).toHaveLength(1)
  })
})

describe('navigation', () => {
  it('sends a pageview on load, and on a single-page app route change a page_leave for the old URL and a pageview for the new', () => {
    const { ctx, of } = fakeCore()
    navigation(ctx)
    expect(of('pageview')).toHaveLength(1)
    vi.advanceTimersByTime(4000)
    history.pushState(null, '', '/settings')
    history.replaceState({ tab: 1 }, '', '/settings') // same URL: not a new page
    expect(of('pageview').map((e) => e.url)).toEqual([`${location.origin}/`, `${location.origin}/settings`])
    expect(of('pageview')[1]!.props.ref).toBe(`${location.origin}/`)
    const leave = of('page_leave')
    expect(leave).toHaveLength(1)
    expect(leave[0]!.url).toBe(`${location.origin}/`)
    expect(leave[0]!.props.ms).toBe(4000)
  })

  it('counts only the time the page was visible', () => {
    const { ctx, of } = fakeCore()
    navigation(ctx)
    vi.advanceTimersByTime(1000)
    setHidden(true)
    vi.advanceTimersByTime(60_000)
    setHidden(false)
    vi.advanceTimersByTime(2000)
    window.dispatchEvent(new Event('pagehide'))
    expect(of('page_leave').at(-1)!.props.ms).toBe(3000)
  })

  it('calls going back within 10 seconds of arriving a u-turn, and not after', () => {
    const { ctx, of } = fakeCore()
    navigation(ctx)
    history.pushState(null, '', '/pricing')
    vi.advanceTimersByTime(3000)
    window.dispatchEvent(new PopStateEvent('popstate')) // the Back button
    expect(of('u_turn')).toHaveLength(1)
    expect(of('u_turn')[0]!.props).toEqual({ via: 'back', ms: 3000 })
    history.pushState(null, '', '/integrations')
    vi.advanceTimersByTime(15_000)
    window.dispatchEvent(new PopStateEvent('popstate'))
    expect(of('u_turn')).toHaveLength(1)
  })
})
