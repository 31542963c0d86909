import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { RECORD_MS, init } from '../../snippet/capture/clicks'
import { clickOn, fakeCore, setHidden } from './capture'

beforeEach(() => {
  vi.useFakeTimers()
  document.head.innerHTML = '<meta name="ciel:topics" content="Pricing, plans">'
  document.body.innerHTML = `
    <main>
      <section class="plans wide" data-ciel-topic="billing">
        <button id="buy" class="btn primary big extra" type="button">  Choose
          Team plan  </button>
        <a href="/pricing#team" class="link"><span>See pricing</span></a>
      </section>
      <form><input id="email" name="email" value="me@example.com"><input type="password" name="pw" value="hunter2"></form>
      <div data-ciel-mask><button id="secret">Account 4242-4242</button></div>
    </main>`
})

afterEach(() => vi.useRealTimers())

/** Clicks are recorded together, a moment after the first. */
const recorded = () => vi.advanceTimersByTime(RECORD_MS)

describe('click autocapture', () => {
  it('describes the clicked element: tag, id, classes, path, text and topics', () => {
    const { ctx, of } = fakeCore()
    init(ctx)
    clickOn(document.getElementById('buy')!)
    recorded()
    expect(of('click').at(-1)!.props).toEqual({
      tag: 'button',
      id: 'buy',
      classes: ['btn', 'primary', 'big'],
      path: 'button#buy',
      text: 'Choose Team plan',
      topics: ['pricing', 'plans', 'billing'],
    })
  })

  it('names the element as its team does: data-ciel-name (or data-testid), its role and its label (not a masked one)', () => {
    document.body.insertAdjacentHTML(
      'beforeend',
      `<div class="x"><span role="button" data-testid="close-banner" aria-label="Close the banner">×</span>
       <button data-ciel-name="hero-cta" data-testid="cta">Start</button>
       <div data-ciel-mask><button aria-label="Pay 4242">Pay</button></div></div>`,
    )
    const { ctx, of } = fakeCore()
    init(ctx)
    clickOn(document.querySelector('[role=button]')!)
    clickOn(document.querySelector('[data-ciel-name]')!)
    clickOn(document.querySelector('[data-ciel-mask] button')!)
    recorded()
    const [close, cta, pay] = of('click').map((e) => e.props)
    expect(close).toMatchObject({ tag: 'span', role: 'button', name: 'close-banner', label: 'Close the banner' })
    expect(cta).toMatchObject({ tag: 'button', name: 'hero-cta' })
    expect(pay).not.toHaveProperty('label')
    expect(JSON.stringify(pay)).not.toContain('4242')
  })

  it('reports a click inside a link as the link, with its address but not its fragment', () => {
    const { ctx, of } = fakeCore()
    init(ctx)
    clickOn(document.querySelector('a span')!)
    recorded()
    const p = of('click').at(-1)!.props
    expect(p.tag).toBe('a')
    expect(p.href).toBe(`${location.origin}/pricing`)
    expect(p.text).toBe('See pricing')
    expect(p.path).toBe('main>section.plans>a.link')
  })

  it('never carries what was typed, nor any text of a password field or a masked element', () => {
    const { ctx, events } = fakeCore()
    init(ctx)
    ;(document.getElementById('email') as HTMLInputElement).value = 'typed@example.com'
    clickOn(document.getElementById('email')!)
    clickOn(document.querySelector('input[type=password]')!)
    clickOn(document.getElementById('secret')!)
    recorded()
    const all = JSON.stringify(events)
    expect(events).toHaveLength(3)
    for (const secret of ['typed@example.com', 'me@example.com', 'hunter2', '4242']) expect(all).not.toContain(secret)
    expect(events[2]!.props).toMatchObject({ tag: 'button', id: 'secret' })
  })

  it('can be turned off, or limited to selectors, by the site config', () => {
    const off = fakeCore({ capture: { clicks: false } })
    init(off.ctx)
    clickOn(document.getElementById('buy')!)
    const some = fakeCore({ capture: { clicks: ['.plans a'] } })
    init(some.ctx)
    clickOn(document.getElementById('buy')!)
    clickOn(document.querySelector('a')!)
    recorded()
    expect(some.events.map((e) => e.props.tag)).toEqual(['a'])
    expect(off.events).toEqual([])
  })

  it('keeps capturing the clicks its other selectors name when one selector of the config is not valid CSS', () => {
    // A config stored before selectors were checked on save: a browser throws on 'a['.
    const { ctx, events } = fakeCore({ capture: { clicks: ['a[', '#buy'] } })
    init(ctx)
    clickOn(document.getElementById('buy')!)
    clickOn(document.querySelector('a')!)
    recorded()
    expect(events.map((e) => e.props.id)).toEqual(['buy'])
  })

  it('maps URL prefixes to topics from the config', () => {
    history.replaceState(null, '', '/integrations/slack')
    const { ctx, of } = fakeCore({ capture: { topics: { '/integrations': ['integrations'], '/blog': ['blog'] } } })
    init(ctx)
    clickOn(document.getElementById('buy')!)
    recorded()
    expect(of('click').at(-1)!.props.topics).toEqual(['pricing', 'plans', 'integrations', 'billing'])
  })

  it('describes the element as it was clicked, even when the page changes it at once', () => {
    const { ctx, of } = fakeCore()
    init(ctx)
    const buy = document.getElementById('buy')!
    buy.addEventListener('click', () => ((buy.textContent = 'Added'), (buy.className = 'done')))
    clickOn(buy)
    recorded()
    expect(of('click').at(-1)!.props).toMatchObject({ text: 'Choose Team plan', classes: ['btn', 'primary', 'big'] })
  })

  it('records the clicks waiting, with their page and time, as soon as the tab is hidden', () => {
    history.replaceState(null, '', '/')
    const { ctx, of } = fakeCore()
    init(ctx)
    const at = Date.now()
    clickOn(document.getElementById('buy')!)
    history.pushState(null, '', '/checkout') // the click took the visitor to the next page
    vi.advanceTimersByTime(100)
    setHidden(true)
    try {
      expect(of('click')).toMatchObject([{ url: 'https://shop.example/', ts: at, props: { id: 'buy' } }])
    } finally {
      setHidden(false)
      history.replaceState(null, '', '/')
    }
  })
})
