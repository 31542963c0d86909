/**
 * Rage and dead clicks in Chromium, on widgets whose answers happy-dom cannot show: a real
 * triple click selecting a paragraph, a carousel scrolled by scrollBy(), a stepper that sets an
 * input's value, next to a button that does nothing.
 */
import { describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { eventually, forSite, snippetReady, useEdgeAndBrowser } from './harness'
import type { Batch, WireEvent } from '../../snippet/contract/wire'

const env = useEdgeAndBrowser()

const WIDGETS = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Widgets</title>
<style>
  body { font: 16px sans-serif; } #track { display: flex; overflow-x: auto; width: 200px; }
  #track div { flex: 0 0 200px; height: 50px; } p { width: 400px; }
</style>
<script>window.ciel=window.ciel||function(){(ciel.q=ciel.q||[]).push(arguments)}</script>
<script async src="/s.js" data-site="demo"></script></head><body>
<p id="text">Ciel records what visitors do on a page, and asks them quick questions.</p>
<div><button id="plus" type="button">+</button><input id="qty" type="number" value="1"></div>
<div><button id="next" type="button">Next</button><div id="track"><div>1</div><div>2</div><div>3</div><div>4</div><div>5</div><div>6</div><div>7</div><div>8</div></div></div>
<button id="dead" type="button">Learn more</button>
<script>
  document.getElementById('plus').onclick = function () { document.getElementById('qty').stepUp() }
  document.getElementById('next').onclick = function () { document.getElementById('track').scrollBy(200, 0) }
</script>
</body></html>`

/**
 * Widgets that answer without changing the DOM: a popover (no script at all), a mute button
 * on a video, a submit button while a required field is empty (the browser's own bubble), a
 * search button that puts the caret in its field; and web components, whose changes are in their
 * shadow roots (a counter, a text field, a disclosure whose label is slotted in, a counter in a
 * closed shadow root, and a dead button to show they are still judged); a copy button that says
 * nothing (the Clipboard API).
 */
const ANSWERS = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Answers</title>
<script>window.ciel=window.ciel||function(){(ciel.q=ciel.q||[]).push(arguments)}</script>
<script async src="/s.js" data-site="demo"></script></head><body>
<div><button id="tip-button" type="button" popovertarget="tip">What is this?</button></div>
<div id="tip" popover>Help for this field</div>
<div><video id="clip" width="160" height="90"></video><button id="mute" type="button">Sound</button></div>
<form id="signup" action="/joined"><input id="name" required><button id="join">Join</button></form>
<div><button id="find" type="button">Search</button><input id="query" type="search"></div>
<div><x-counter id="counter"></x-counter> <x-field id="x-field"></x-field> <x-dead id="x-dead"></x-dead></div>
<x-disclosure><span id="shipping">Shipping</span></x-disclosure>
<div><x-closed id="x-closed"></x-closed> <button id="copy-quiet" type="button">Copy</button></div>
<div><button id="dead" type="button">Learn more</button></div>
<script>
  // Web components: what they show, and change, is in their shadow roots.
  function component(name, html, setup) {
    customElements.define(name, class extends HTMLElement {
      constructor() { super(); var root = this.attachShadow({ mode: 'open' }); root.innerHTML = html; if (setup) setup(root) }
    })
  }
  component('x-counter', '<button type="button">+</button> <span>0</span>', function (root) {
    var n = root.querySelector('span')
    root.querySelector('button').onclick = function () { n.textContent = +n.textContent + 1 }
  })
  component('x-field', '<input placeholder="Your name">')
  component('x-dead', '<button type="button">Read the guide</button>')
  // Its label is the page's own content, slotted in; it answers inside its shadow root.
  component('x-disclosure', '<div><slot></slot></div><p hidden>Ships in 2 days</p>', function (root) {
    var panel = root.querySelector('p')
    root.host.addEventListener('click', function () { panel.hidden = !panel.hidden })
  })
  // A closed shadow root: the browser hides what is pressed inside, and what changes there.
  customElements.define('x-closed', class extends HTMLElement {
    constructor() {
      super(); var root = this.attachShadow({ mode: 'closed' })
      root.innerHTML = '<button type="button">Like</button> <span>0</span>'
      var n = root.querySelector('span')
      root.querySelector('button').onclick = function () { n.textContent = +n.textContent + 1 }
    }
  })
  // A copy button that says nothing: its answer is the clipboard.
  document.getElementById('copy-quiet').onclick = function () { navigator.clipboard.writeText('npm i ciel').catch(function () {}) }
  var clip = document.getElementById('clip')
  document.getElementById('mute').onclick = function () { clip.muted = !clip.muted }
  document.getElementById('find').onclick = function () { document.getElementById('query').focus() }
</script>
</body></html>`

/**
 * A shop's page that moves by itself: a sale countdown beside a dead "Shop now" button, an
 * autoplay carousel (scrolled) with a dead button inside, a chat launcher whose badge counts up,
 * a skeleton's shimmer (CSS, and a class a script toggles), a rotating banner (a live region) and a
 * live price beside a dead "Notify me"; and widgets that answer: the cart's count in the header
 * (at once), more reviews and the chat (after a quick fetch), the carousel's own "Next".
 */
const MOVING = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Shop</title>
<style>
  body { font: 16px sans-serif; } #slides { display: flex; overflow-x: auto; width: 200px; scroll-snap-type: x mandatory; }
  #slides div { flex: 0 0 200px; height: 40px; scroll-snap-align: start; }
  .skeleton { height: 10px; background: linear-gradient(90deg, #eee, #ddd, #eee); animation: shimmer 1s infinite; }
  @keyframes shimmer { from { background-position: 0 } to { background-position: 200px } }
</style>
<script>window.ciel=window.ciel||function(){(ciel.q=ciel.q||[]).push(arguments)}</script>
<script async src="/s.js" data-site="demo"></script></head><body>
<header><a href="/">Shop</a> Cart: <span id="cart-count">0</span></header>
<section><p>Sale ends in <span id="countdown">10:00</span></p><button id="shop-now" type="button">Shop now</button></section>
<section><div id="slides"><div>1</div><div>2</div><div>3</div></div><button id="slide-next" type="button">Next</button> <button id="slide-info" type="button">Details</button></section>
<section><h2>Lamp</h2><p>Price: <span id="price">42.00</span></p><button id="add" type="button">Add to cart</button> <button id="notify-me" type="button">Notify me</button></section>
<section><button id="more-reviews" type="button">More reviews</button><ul id="reviews"><li>Good</li></ul></section>
<div id="banner" aria-live="polite">Free shipping over 50</div>
<div class="skeleton" id="skeleton"></div>
<button id="chat" type="button" aria-label="Chat">Chat <span id="badge">0</span></button>
<script>
  var $ = function (id) { return document.getElementById(id) }
  var t = 600
  setInterval(function () { t--; $('countdown').textContent = Math.floor(t / 60) + ':' + String(t % 60).padStart(2, '0') }, 1000)
  var slides = $('slides')
  function next() { slides.scrollLeft >= 400 ? slides.scrollTo(0, 0) : slides.scrollBy(200, 0) }
  setInterval(next, 1500)
  var badge = 0
  setInterval(function () { $('badge').textContent = String(++badge) }, 2000)
  setInterval(function () { $('skeleton').classList.toggle('wide') }, 400)
  var lines = ['Free shipping over 50', 'Gift wrapping', 'Easy returns'], line = 0
  setInterval(function () { $('banner').textContent = lines[++line % 3] }, 1800)
  setInterval(function () { $('price').textContent = (40 + Math.random() * 4).toFixed(2) }, 700)
  var cart = 0
  $('add').onclick = function () { $('cart-count').textContent = String(++cart) }
  $('slide-next').onclick = next
  $('more-reviews').onclick = function () {
    fetch('/v1/health').catch(function () {}).then(function () { $('reviews').insertAdjacentHTML('beforeend', '<li>Fine</li>') })
  }
  $('chat').onclick = function () {
    fetch('/v1/health').catch(function () {}).then(function () {
      var open = document.querySelector('[role=dialog]')
      open ? open.remove() : document.body.insertAdjacentHTML('beforeend', '<div role="dialog">Hi! How can we help?</div>')
    })
  }
</script>
</body></html>`

/**
 * No survey on these pages (the demo site asks one after a rage click): it would be a DOM change,
 * answering the clicks still waiting for their judgment, at a moment that depends on the machine.
 */
async function noSurveys(page: Page) {
  await page.route(`${env.edge.origin}/v1/events`, async (r) => {
    try {
      const res = await r.fetch()
      await r.fulfill({ response: res, json: { ...(await res.json()), surveys: [] } })
    } catch {
      // The page closed while its batch was on the way (its answer is disposed): nobody to answer.
      await r.abort().catch(() => {})
    }
  })
}

/** Every event the page sends. */
function wire(page: Page): WireEvent[] {
  const seen: WireEvent[] = []
  page.on('request', (r) => {
    if (!r.url().endsWith('/v1/events') || !r.postData()) return
    seen.push(...(JSON.parse(r.postData()!) as Batch).events)
  })
  return seen
}

async function burst(page: Page, selector: string, n: number, clickCount = 1) {
  const box = (await page.locator(selector).boundingBox())!
  for (let i = 0; i < n; i++) {
    await page.mouse.click(box.x + 20, box.y + box.height / 2, { clickCount })
    await page.waitForTimeout(150)
  }
}

describe('rage and dead clicks in Chromium', () => {
  it('a triple click, a stepper and a carousel pressed fast are not rage; a burst on a dead button is one rage and one dead click', async () => {
    const page = await env.browser.newPage()
    await page.route(`${env.edge.origin}/widgets`, (r) =>
      r.fulfill({ status: 200, contentType: 'text/html', body: forSite(WIDGETS) }),
    )
    // The capture chunk (rage and dead clicks with it) arrives only after the triple click, as on
    // a slow network: its three presses are replayed to it, and judged on the selection changes
    // the core counted meanwhile.
    let release!: () => void
    const held = new Promise<void>((r) => (release = r))
    let asked = false
    await page.route(/\/later-[^/]*\.js$/, async (r) => {
      asked = true
      await held
      await r.fallback()
    })
    await noSurveys(page)
    const sent = wire(page)
    await page.goto(`${env.edge.origin}/widgets`)
    await snippetReady(page)
    // A triple click: three presses, each selecting more of the paragraph.
    const text = (await page.locator('#text').boundingBox())!
    await page.mouse.click(text.x + 30, text.y + 5, { clickCount: 3 })
    expect(await page.evaluate(() => String(getSelection()))).toContain('quick questions')
    await eventually(async () => expect(asked).toBe(true))
    const arrived = page.waitForResponse(/\/later-[^/]*\.js$/)
    release()
    await arrived
    await page.waitForTimeout(1200)
    await burst(page, '#plus', 5)
    expect(await page.inputValue('#qty')).toBe('6')
    await burst(page, '#next', 5)
    expect(await page.evaluate(() => document.getElementById('track')!.scrollLeft)).toBeGreaterThan(0)
    await page.waitForTimeout(1200)
    await burst(page, '#dead', 5)
    await eventually(async () => {
      expect(sent.filter((e) => e.type === 'rage_click').map((e) => e.props?.id)).toEqual(['dead'])
      expect(sent.filter((e) => e.type === 'dead_click').map((e) => e.props?.id)).toEqual(['dead'])
    })
    // Every click was recorded, the text's three presses included.
    expect(sent.filter((e) => e.type === 'click')).toHaveLength(18)
    await page.close()
  })

  it('a popover, a mute button, a form the browser refuses a search button and web components answer without a DOM change (of the document): no rage, no dead click', async () => {
    const page = await env.browser.newPage()
    await page.route(`${env.edge.origin}/answers`, (r) =>
      r.fulfill({ status: 200, contentType: 'text/html', body: forSite(ANSWERS) }),
    )
    await noSurveys(page)
    const sent = wire(page)
    const chunk = page.waitForResponse(/\/later-[^/]*\.js$/)
    await page.goto(`${env.edge.origin}/answers`)
    await snippetReady(page)
    await chunk
    // An even count of presses leaves the popover closed (open, it could cover what comes next).
    await burst(page, '#tip-button', 4)
    expect(await page.evaluate(() => document.getElementById('tip')!.matches(':popover-open'))).toBe(false)
    await burst(page, '#mute', 5)
    expect(await page.evaluate(() => (document.getElementById('clip') as HTMLVideoElement).muted)).toBe(true)
    await burst(page, '#join', 4)
    expect(new URL(page.url()).pathname).toBe('/answers') // the form was never sent
    await burst(page, '#find', 4)
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('query')
    await burst(page, 'x-counter button', 5)
    expect(await page.locator('x-counter span').textContent()).toBe('5')
    await burst(page, 'x-field input', 4)
    await burst(page, '#shipping', 4)
    expect(await page.locator('x-disclosure p').isHidden()).toBe(true)
    await burst(page, '#x-closed', 4)
    await burst(page, '#copy-quiet', 4)
    await page.waitForTimeout(1200)
    await burst(page, 'x-dead button', 4)
    await page.waitForTimeout(1200)
    await burst(page, '#dead', 4)
    await eventually(async () => {
      expect(sent.filter((e) => e.type === 'rage_click').map((e) => e.props?.id)).toEqual(['x-dead', 'dead'])
      expect(sent.filter((e) => e.type === 'dead_click').map((e) => e.props?.id)).toEqual(['x-dead', 'dead'])
    })
    // A component is described as itself (its inside is its own), and every press is a click.
    expect(sent.find((e) => e.type === 'rage_click')?.props).toMatchObject({ tag: 'x-dead', clicks: 3 })
    expect(sent.filter((e) => e.type === 'click')).toHaveLength(46)
    await page.close()
  })
  it('on a page that moves by itself, a burst on a dead button is one rage and one dead click; widgets that answer get neither', async () => {
    const page = await env.browser.newPage()
    await page.route(`${env.edge.origin}/shop`, (r) =>
      r.fulfill({ status: 200, contentType: 'text/html', body: forSite(MOVING) }),
    )
    await noSurveys(page)
    const sent = wire(page)
    const chunk = page.waitForResponse(/\/later-[^/]*\.js$/)
    await page.goto(`${env.edge.origin}/shop`)
    await snippetReady(page)
    await chunk
    // What changes by itself is learned in the seconds before the visitor clicks.
    await page.waitForTimeout(4000)
    for (const id of ['shop-now', 'add', 'slide-info', 'slide-next', 'more-reviews', 'notify-me', 'chat']) {
      await burst(page, `#${id}`, 4)
      await page.waitForTimeout(1200)
    }
    expect(await page.textContent('#cart-count')).toBe('4')
    await eventually(async () => {
      expect(sent.filter((e) => e.type === 'dead_click').map((e) => e.props?.id)).toEqual([
        'shop-now',
        'slide-info',
        'notify-me',
      ])
      // A burst's rage click may come after its dead click: both waited for.
      expect(sent.filter((e) => e.type === 'rage_click').map((e) => e.props?.id)).toEqual([
        'shop-now',
        'slide-info',
        'notify-me',
      ])
    })
    await page.close()
  })
})
