import { beforeEach, describe, expect, it } from 'vitest'
import { init } from '../../snippet/capture/clicks'
import { clickOn, fakeCore } from './capture'

beforeEach(() => {
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

describe('click autocapture', () => {
  it('describes the clicked element: tag, id, classes, path, text and topics', () => {
    const { ctx, of } = fakeCore()
    init(ctx)
    clickOn(document.getElementById('buy')!)
    expect(of('click').at(-1)!.props).toEqual({
      tag: 'button',
      id: 'buy',
      classes: ['btn', 'primary', 'big'],
      path: 'button#buy',
      text: 'Choose Team plan',
      topics: ['pricing', 'plans', 'billing'],
    })
  })

  it('reports a click inside a link as the link, with its address but not its fragment', () => {
    const { ctx, of } = fakeCore()
    init(ctx)
    clickOn(document.querySelector('a span')!)
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
    const all = JSON.stringify(events)
    expect(events).toHaveLength(3)
    for (const secret of ['typed@example.com', 'me@example.com', 'hunter2', '4242']) expect(all).not.toContain(secret)
    expect(events[2]!.props).toMatchObject({ tag: 'button', id: 'secret' })
  })

  it('can be turned off, or limited to selectors, by the site config', () => {
    const off = fakeCore({ capture: { clicks: false } })
    init(off.ctx)
    clickOn(document.getElementById('buy')!)
    expect(off.events).toEqual([])
    const some = fakeCore({ capture: { clicks: ['.plans a'] } })
    init(some.ctx)
    clickOn(document.getElementById('buy')!)
    clickOn(document.querySelector('a')!)
    expect(some.events.map((e) => e.props.tag)).toEqual(['a'])
  })

  it('maps URL prefixes to topics from the config', () => {
    history.replaceState(null, '', '/integrations/slack')
    const { ctx, of } = fakeCore({ capture: { topics: { '/integrations': ['integrations'], '/blog': ['blog'] } } })
    init(ctx)
    clickOn(document.getElementById('buy')!)
    expect(of('click').at(-1)!.props.topics).toEqual(['pricing', 'plans', 'integrations', 'billing'])
  })
})
