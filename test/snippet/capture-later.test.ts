import 'fake-indexeddb/auto'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { init, type Early } from '../../snippet/capture/later'
import { countMoves, moves } from '../../snippet/capture/moves'
import { clickOn, fakeCore, setHidden } from './capture'
import { eventually, freshPage, stubWorker, start } from './helpers'

/**
 * What the core keeps while the chunk is on its way: these DOM events and recorded events, with
 * their time and the page's scrolls and selection changes by then.
 */
function recordEarly(run: (emit: (e: Early[0]) => void) => void): Early[] {
  const early: Early[] = []
  countMoves()
  const keep = (e: Early[0]) => void early.push([e, Date.now(), moves()])
  const doc = ['click', 'input', 'change', 'submit']
  for (const t of doc) document.addEventListener(t, keep, true)
  for (const t of ['error', 'unhandledrejection']) window.addEventListener(t, keep)
  try {
    run(keep)
  } finally {
    for (const t of doc) document.removeEventListener(t, keep, true)
    for (const t of ['error', 'unhandledrejection']) window.removeEventListener(t, keep)
  }
  return early
}

/** Lets the rage and dead clicks chunk, which the capture chunk imports, arrive. */
const arrived = async () => {
  await import('../../snippet/capture/friction')
  await vi.advanceTimersByTimeAsync(0)
}

const fail = (message: string) =>
  window.dispatchEvent(new ErrorEvent('error', { message, filename: 'https://shop.example/app.js', lineno: 1 }))

beforeEach(() => {
  vi.useFakeTimers()
  setHidden(false)
  document.body.innerHTML = `
    <button id="pay" type="button">Pay</button>
    <form id="signup"><input name="email"><button type="submit">Go</button></form>`
})
afterEach(() => vi.useRealTimers())

describe('capture that starts after the core (the lazy chunk)', () => {
  it('reports an error thrown before it arrived, and ties it to the click just before', async () => {
    const { ctx, of } = fakeCore()
    const early = recordEarly(() => {
      clickOn(document.getElementById('pay')!)
      vi.advanceTimersByTime(400)
      fail('early boom')
    })
    vi.advanceTimersByTime(300) // the chunk arrives
    init(ctx, early)
    expect(of('error').map((e) => e.props.message)).toEqual(['early boom'])
    expect(of('error_click')).toMatchObject([{ props: { id: 'pay', message: 'early boom' } }])
  })

  it('counts clicks from before it arrived toward a rage click', async () => {
    const { ctx, of } = fakeCore()
    const pay = document.getElementById('pay')!
    const early = recordEarly(() => {
      clickOn(pay, 100, 100)
      vi.advanceTimersByTime(200)
      clickOn(pay, 100, 100)
    })
    vi.advanceTimersByTime(200)
    init(ctx, early)
    await arrived() // rage and dead clicks are a further chunk
    expect(of('rage_click')).toEqual([])
    clickOn(pay, 100, 100)
    await vi.advanceTimersByTimeAsync(1000) // nothing answered the third click either
    expect(of('rage_click')).toMatchObject([{ props: { id: 'pay', clicks: 3 } }])
  })

  it('judges clicks from before it arrived on what the page did meanwhile: a triple click selecting text is not rage', async () => {
    const { ctx, of } = fakeCore()
    document.body.insertAdjacentHTML('beforeend', '<p id="text">Ciel asks quick questions.</p>')
    const text = document.getElementById('text')!
    const pay = document.getElementById('pay')!
    const early = recordEarly(() => {
      // Three presses, each selecting more of the paragraph (the browser's own answer to them).
      for (let i = 0; i < 3; i++) {
        clickOn(text, 100, 100)
        document.dispatchEvent(new Event('selectionchange'))
        vi.advanceTimersByTime(100)
      }
      vi.advanceTimersByTime(1500)
      // Three presses on a button that does nothing: rage, replayed as much as live.
      for (let i = 0; i < 3; i++) {
        clickOn(pay, 300, 300)
        vi.advanceTimersByTime(100)
      }
    })
    init(ctx, early)
    await arrived()
    await vi.advanceTimersByTimeAsync(1000)
    expect(of('rage_click').map((e) => e.props.id)).toEqual(['pay'])
  })

  it('never calls a replayed click dead (the page may have answered it meanwhile), but still a live one', async () => {
    const { ctx, of } = fakeCore()
    const pay = document.getElementById('pay')!
    const early = recordEarly(() => clickOn(pay))
    init(ctx, early)
    await arrived()
    await vi.advanceTimersByTimeAsync(5000)
    expect(of('dead_click')).toEqual([])
    clickOn(pay)
    await vi.advanceTimersByTimeAsync(5000)
    expect(of('dead_click')).toHaveLength(1)
  })

  it('knows a form was touched before it arrived', () => {
    const { ctx, of } = fakeCore()
    const early = recordEarly(() => {
      const email = document.querySelector<HTMLInputElement>('[name=email]')!
      email.value = 'ann@example.com'
      email.dispatchEvent(new Event('input', { bubbles: true }))
    })
    init(ctx, early)
    window.dispatchEvent(new Event('pagehide'))
    expect(of('form_abandon')).toMatchObject([{ props: { form: 'signup', fields: ['email'], last: 'email' } }])
  })

  it('times a stall from a step recorded before it arrived', async () => {
    const { ctx, of } = fakeCore({ funnels: [{ id: 'onboarding', steps: [{ id: 'account', maxSeconds: 10 }] }] })
    const early = recordEarly((keep) => {
      ctx.listen(keep)
      ctx.emit('step', { step: 'account' }, 'onboarding')
    })
    await vi.advanceTimersByTimeAsync(4000)
    init(ctx, early.slice(0, 1))
    await vi.advanceTimersByTimeAsync(5900)
    expect(of('stall')).toEqual([])
    await vi.advanceTimersByTimeAsync(100)
    expect(of('stall')).toMatchObject([{ name: 'onboarding', props: { step: 'account', seconds: 10 } }])
  })
})

describe('the real core with its capture chunk', () => {
  beforeEach(() => {
    vi.useRealTimers()
    freshPage('/onboarding')
  })
  afterEach(() => vi.unstubAllGlobals())

  it('sends an error thrown right after it starts, before the chunk has arrived, and the stall of a queued step', async () => {
    const worker = stubWorker({ funnels: [{ id: 'onboarding', steps: [{ id: 'account', maxSeconds: 1 }] }] })
    start({ site: 'later1', src: 'https://edge.example/s.js', q: [['step', 'onboarding', 'account']] })
    fail('thrown at once')
    await eventually(() => {
      const types = worker.events().map((e) => e.type)
      expect(types).toContain('error')
      expect(types).toContain('stall')
    })
    expect(worker.events().find((e) => e.type === 'error')!.props).toMatchObject({ message: 'thrown at once' })
  })
})
