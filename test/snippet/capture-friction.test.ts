import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { init } from '../../snippet/capture/friction'
import { clickOn, fakeCore, setHidden } from './capture'

/** Lets MutationObserver callbacks (microtasks) run, then moves the clock. */
async function wait(ms: number) {
  await Promise.resolve()
  await vi.advanceTimersByTimeAsync(ms)
}

beforeEach(() => {
  vi.useFakeTimers()
  setHidden(false)
  document.body.innerHTML = `
    <button id="dead" type="button">Learn more</button>
    <button id="menu" type="button" aria-haspopup="true">More</button><ul id="list" hidden><li>Item</li></ul>
    <label><input id="check" type="checkbox"> Remember me</label>
    <details><summary id="sum">Details</summary><p>Text</p></details>
    <button id="norage" data-ciel-no-rage>Next photo</button>
    <button id="star" class="off" type="button">Star</button>
    <p id="plain">Just text</p>`
  document.getElementById('menu')!.addEventListener('click', () => {
    document.getElementById('list')!.hidden = false
  })
  const star = document.getElementById('star')!
  star.addEventListener('click', () => (star.className = star.className === 'on' ? 'off' : 'on'))
})
afterEach(() => vi.useRealTimers())

async function clicks(el: Element, n: number, { gap = 200, dx = 0 } = {}) {
  for (let i = 0; i < n; i++) {
    clickOn(el, 100 + i * dx, 100)
    await wait(gap)
  }
}

describe('rage clicks', () => {
  it('reports three fast clicks on one spot once, with the evidence', async () => {
    const { ctx, of } = fakeCore()
    init(ctx)
    await clicks(document.getElementById('dead')!, 5)
    expect(of('rage_click')).toHaveLength(1)
    expect(of('rage_click')[0]!.props).toMatchObject({ tag: 'button', id: 'dead', clicks: 3, x: 100, y: 100 })
  })

  it('does not call two clicks a rage click', async () => {
    const { ctx, of } = fakeCore()
    init(ctx)
    await clicks(document.getElementById('dead')!, 2)
    expect(of('rage_click')).toEqual([])
  })

  it('does not count clicks more than 30 px apart, or more than a second apart', async () => {
    const { ctx, of } = fakeCore()
    init(ctx)
    await clicks(document.getElementById('dead')!, 4, { dx: 40 })
    await clicks(document.getElementById('dead')!, 4, { gap: 1200 })
    expect(of('rage_click')).toEqual([])
  })

  it('ignores toggles, elements whose state flips per click, and elements marked data-ciel-no-rage', async () => {
    const { ctx, of } = fakeCore()
    init(ctx)
    for (const id of ['check', 'sum', 'norage', 'star']) await clicks(document.getElementById(id)!, 4)
    expect(of('rage_click')).toEqual([])
  })

  it('still reports a burst on a button that opened something once and then stopped responding', async () => {
    const { ctx, of } = fakeCore()
    init(ctx)
    await clicks(document.getElementById('menu')!, 4)
    expect(of('rage_click')).toHaveLength(1)
  })

  it('follows the thresholds of the site config', async () => {
    const { ctx, of } = fakeCore({ capture: { rage: { clicks: 5 } } })
    init(ctx)
    await clicks(document.getElementById('dead')!, 4)
    expect(of('rage_click')).toEqual([])
    await clicks(document.getElementById('dead')!, 1)
    expect(of('rage_click')).toHaveLength(1)
  })
})

describe('dead clicks', () => {
  it('reports a click on a button after which nothing happens', async () => {
    const { ctx, of } = fakeCore()
    init(ctx)
    clickOn(document.getElementById('dead')!)
    await wait(2400)
    expect(of('dead_click')).toEqual([])
    await wait(200)
    expect(of('dead_click')).toHaveLength(1)
    expect(of('dead_click')[0]!.props).toMatchObject({ tag: 'button', id: 'dead', text: 'Learn more' })
  })

  it('does not report a click that opens a menu', async () => {
    const { ctx, of } = fakeCore()
    init(ctx)
    clickOn(document.getElementById('menu')!)
    await wait(3000)
    expect(of('dead_click')).toEqual([])
  })

  it('does not report a click followed by the tab being hidden', async () => {
    const { ctx, of } = fakeCore()
    init(ctx)
    clickOn(document.getElementById('dead')!)
    await wait(500)
    setHidden(true)
    await wait(3000)
    expect(of('dead_click')).toEqual([])
  })

  it('does not report clicks on things that do not look clickable', async () => {
    const { ctx, of } = fakeCore()
    init(ctx)
    clickOn(document.getElementById('plain')!)
    await wait(3000)
    expect(of('dead_click')).toEqual([])
  })
})
