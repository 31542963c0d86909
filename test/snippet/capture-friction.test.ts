/**
 * Rage and dead clicks on the widgets pages are made of. The page's own handlers below do what
 * such widgets do in a browser; where happy-dom does less than a browser (it fires no scroll
 * event when a script scrolls, and selects nothing on a double click), the handler fires or
 * selects what the browser would. test/e2e/friction.test.ts runs the same kinds in Chromium.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { init } from '../../snippet/capture/friction'
import { clickOn, fakeCore, setHidden } from './capture'

/** Lets MutationObserver callbacks (microtasks) and the judge's chunk (verdict.ts) arrive, then moves the clock. */
async function wait(ms: number) {
  await Promise.resolve()
  await vi.dynamicImportSettled()
  await vi.advanceTimersByTimeAsync(ms)
}

const $ = (id: string) => document.getElementById(id)!
const on = (id: string, fn: (e: Event) => void) => $(id).addEventListener('click', fn)

/**
 * n clicks on one spot, `gap` ms apart; then a second passes (long enough for the last one's
 * answer). Each press first focuses what it presses, as a browser's does (no event once it has
 * the focus).
 */
async function clicks(el: Element, n: number, { gap = 150, dx = 0 } = {}) {
  for (let i = 0; i < n; i++) {
    ;(el as HTMLElement).focus?.()
    clickOn(el, 100 + i * dx, 100)
    await wait(gap)
  }
  await wait(1000)
}

/** A double or triple click on text, as a browser does it: each press selects more (a word, then the paragraph). */
async function selectByClicking(el: Element, n: number) {
  for (let i = 1; i <= n; i++) {
    const range = document.createRange()
    if (i === 1) range.setStart(el.firstChild!, 0)
    else range.selectNodeContents(el)
    if (i === 2) range.setEnd(el.firstChild!, 5)
    getSelection()!.removeAllRanges()
    getSelection()!.addRange(range)
    el.dispatchEvent(new MouseEvent('click', { bubbles: true, clientX: 100, clientY: 100, detail: i }))
    await wait(120)
  }
  await wait(1000)
}

beforeEach(() => {
  vi.useFakeTimers()
  setHidden(false)
  history.replaceState(null, '', '/')
  document.head.innerHTML = '<style>.clickable { cursor: pointer }</style>'
  document.body.innerHTML = `
    <button id="dead" type="button">Learn more</button>
    <button id="menu" type="button" aria-haspopup="true">More</button><ul id="list" hidden><li>Item</li></ul>
    <div class="stepper"><button id="minus" type="button">−</button><span id="count">1</span><button id="plus" type="button">+</button></div>
    <div class="qty"><span><button id="more" type="button">+</button></span><input id="qty" type="number" value="1"></div>
    <div class="carousel"><button id="next" type="button">Next</button><div id="track" style="transform: translateX(0px)"></div></div>
    <div class="carousel"><button id="scroll-next" type="button">›</button><div id="scroller"></div></div>
    <h3><button id="accordion" type="button" aria-expanded="false">Shipping</button></h3><div id="panel" hidden>Ships in 2 days</div>
    <button id="star" type="button" aria-pressed="false">Star</button>
    <button id="play" type="button" class="paused">Play</button>
    <video id="video" controls></video>
    <nav><button id="page-next" type="button">Next page</button></nav><ol id="results"><li>1</li></ol>
    <button id="copy" type="button">Copy code</button>
    <p id="text">Ciel records what visitors do.</p>
    <label id="remember-label"><input id="remember" type="checkbox"> Remember me</label>
    <select id="plan"><option>Free</option><option>Team</option></select>
    <input id="email" name="email">
    <a id="to-faq" href="#faq">FAQ</a><h2 id="faq">FAQ</h2>
    <a id="spa" href="/pricing">Pricing</a>
    <a id="download" href="/report.pdf" download>Report</a>
    <a id="mail" href="mailto:help@example.com">Mail us</a>
    <a id="blank" href="https://example.com/" target="_blank">Partner</a>
    <button id="disabled" type="button" disabled>Send</button>
    <button id="aria-disabled" type="button" aria-disabled="true">Send</button>
    <div role="tablist"><button id="tab-monthly" role="tab" aria-selected="true">Monthly</button><button id="tab-yearly" role="tab" aria-selected="false">Yearly</button></div>
    <button id="later" type="button">Load report</button><div id="report"></div>
    <button id="select-all" type="button">Select the text</button>
    <button id="norage" data-ciel-no-rage>Next photo</button>
    <button id="broken" type="button">Save</button>
    <div id="card" class="clickable">A card that looks clickable</div>
    <video id="clip"></video><button id="mute" type="button">Louder</button>
    <button id="tip-button" type="button" popovertarget="tip">?</button><div id="tip" popover>Help</div>
    <form id="signup"><input id="name" required><button id="join">Join</button></form>
    <button id="upload" type="button">Upload</button><input id="file" type="file" hidden>
    <button id="print" type="button">Print</button>
    <button id="share" type="button">Share</button>
    <button id="find" type="button">Search</button><input id="query" type="search">
    <button id="copy-quiet" type="button">Copy</button><button id="copy-old" type="button">Copy</button>
    <button id="export" type="button">Export CSV</button>
    <button id="web-share" type="button">Share</button><button id="locate" type="button">Use my location</button>
    <button id="notify" type="button">Turn on notifications</button>
    <button id="say" type="button">Hear it</button><button id="beep" type="button">Test the sound</button>
    <a id="pdf" href="/guide.pdf">Guide</a>
    <a id="docs" href="/docs">Docs</a>
    <a id="sms" href="sms:+15550100">Text us</a>
    <a id="call" href="zoommtg://zoom.us/join?confno=1">Join the call</a>
    <div id="plain">Just text</div>`
  let n = 1
  on('plus', () => ($('count').textContent = String(++n)))
  on('minus', () => ($('count').textContent = String(--n)))
  on('more', () => (($('qty') as HTMLInputElement).value = String(+($('qty') as HTMLInputElement).value + 1)))
  let x = 0
  on('next', () => ($('track').style.transform = `translateX(${(x -= 100)}px)`))
  on('scroll-next', () => $('scroller').dispatchEvent(new Event('scroll'))) // what scrollBy() makes a browser do
  on('accordion', () => {
    const open = $('accordion').getAttribute('aria-expanded') === 'true'
    $('accordion').setAttribute('aria-expanded', String(!open))
    $('panel').hidden = open
  })
  on('star', () => $('star').setAttribute('aria-pressed', String($('star').getAttribute('aria-pressed') !== 'true')))
  on('play', () => ($('play').className = $('play').className === 'paused' ? 'playing' : 'paused'))
  on('menu', () => ($('list').hidden = false)) // opens, and never closes
  let page = 1
  on('page-next', () => ($('results').innerHTML = `<li>${++page * 10}</li>`))
  on('copy', () => $('copy').insertAdjacentHTML('afterend', '<span role="status">Copied</span>'))
  on('spa', (e) => (e.preventDefault(), history.pushState(null, '', '/pricing')))
  on('later', () => setTimeout(() => ($('report').textContent = 'Report ready'), 800))
  on('select-all', () => getSelection()!.selectAllChildren($('text')))
  for (const id of ['download', 'mail', 'blank', 'to-faq']) on(id, (e) => e.preventDefault()) // happy-dom would navigate
  on('broken', () => void Promise.reject(new Error('save failed')).catch(() => {})) // fails, and says nothing
  // Answers no DOM change shows; happy-dom fires none of these events, so each handler fires
  // what the browser would.
  on('mute', () => {
    // Not muted: happy-dom reflects it in an attribute, which a browser does not.
    const clip = $('clip') as HTMLVideoElement
    clip.volume = clip.volume > 0.5 ? 0.2 : 1
    clip.dispatchEvent(new Event('volumechange'))
  })
  on('tip-button', () => $('tip').dispatchEvent(new Event('toggle'))) // a popover shown or hidden, no script needed
  on('join', (e) => {
    // A submit with an empty required field: the browser shows its bubble and submits nothing.
    e.preventDefault()
    $('name').dispatchEvent(new Event('invalid', { cancelable: true }))
  })
  on('upload', () => ($('file') as HTMLInputElement).click()) // the hidden file field opens the chooser
  on('print', () => window.dispatchEvent(new Event('beforeprint')))
  on('share', () => window.dispatchEvent(new Event('blur'))) // a popup takes the focus
  on('find', () => $('query').focus())
  // Copy buttons that say nothing: the Clipboard API (no event at all), and the older
  // execCommand('copy'), which fires \`copy\` (happy-dom does not: the handler fires it).
  on('copy-quiet', () => void navigator.clipboard.writeText('npm i ciel').catch(() => {}))
  on('copy-old', () => document.dispatchEvent(new Event('copy', { bubbles: true })))
  // The browser's own sheet or prompt (happy-dom has no Web Share, location nor notifications:
  // here as a browser has them).
  Object.defineProperty(navigator, 'share', { value: () => Promise.resolve(), configurable: true, writable: true })
  Object.defineProperty(navigator, 'geolocation', { value: { getCurrentPosition() {} }, configurable: true })
  vi.stubGlobal('Notification', { requestPermission: () => Promise.resolve('default') })
  on('web-share', () => void navigator.share({ url: location.href }).catch(() => {}))
  on('locate', () =>
    navigator.geolocation.getCurrentPosition(
      () => {},
      () => {},
    ),
  )
  on('notify', () => void Notification.requestPermission())
  // Sound: an audio element never in the page (its events do not reach the document), and Web
  // Audio (which happy-dom lacks: as a browser has it).
  on('say', () => void new Audio('/hello.mp3').play().catch(() => {}))
  vi.stubGlobal(
    'AudioScheduledSourceNode',
    class {
      start() {}
    },
  )
  on('beep', () => new (self as any).AudioScheduledSourceNode().start())
  // An export: a file made in the page, downloaded through a link that is never in the page.
  on('export', () => {
    const a = document.createElement('a')
    a.download = 'visitors.csv'
    a.href = URL.createObjectURL(new Blob(['id\n1\n'], { type: 'text/csv' }))
    URL.revokeObjectURL(a.href) // (a browser would download it: happy-dom would navigate)
  })
  for (const id of ['pdf', 'sms', 'call', 'docs']) on(id, (e) => e.preventDefault())
})
afterEach(() => {
  getSelection()?.removeAllRanges()
  vi.useRealTimers()
})

describe('rage clicks', () => {
  it('reports three fast clicks on one spot that nothing answers once, with the evidence', async () => {
    const { ctx, of } = fakeCore()
    init(ctx)
    await clicks($('dead'), 5)
    expect(of('rage_click')).toHaveLength(1)
    expect(of('rage_click')[0]!.props).toMatchObject({ tag: 'button', id: 'dead', clicks: 3, x: 100, y: 100 })
  })

  it('does not call two clicks a rage click', async () => {
    const { ctx, of } = fakeCore()
    init(ctx)
    await clicks($('dead'), 2)
    expect(of('rage_click')).toEqual([])
  })

  it('does not count clicks more than 30 px apart, or more than a second apart', async () => {
    const { ctx, of } = fakeCore()
    init(ctx)
    await clicks($('dead'), 4, { dx: 40 })
    await clicks($('dead'), 4, { gap: 1200 })
    expect(of('rage_click')).toEqual([])
  })

  it.each([
    ['a number stepper whose count is text', 'plus'],
    ['a stepper that sets the value of its input (no DOM change at all)', 'more'],
    ['a carousel moved by a transform', 'next'],
    ['a carousel that scrolls its track', 'scroll-next'],
    ['an accordion', 'accordion'],
    ['a toggle button', 'star'],
    ['a custom play / pause button', 'play'],
    ['pagination that renders the next page', 'page-next'],
    ['a copy button that says it copied', 'copy'],
    ['a button that selects text', 'select-all'],
    ['a volume button of a video without controls', 'mute'],
    ['a button that shows and hides a popover', 'tip-button'],
    ['a submit button while a required field is empty (the browser says so)', 'join'],
    ['an upload button that opens a file chooser', 'upload'],
    ['a print button', 'print'],
    ['a share button that opens a popup', 'share'],
    ['a search button that puts the caret in its field', 'find'],
    ['a copy button that says nothing (the Clipboard API)', 'copy-quiet'],
    ['a copy button that says nothing (execCommand)', 'copy-old'],
    ['an export button that downloads a file it made', 'export'],
    ['a share button (the Web Share sheet)', 'web-share'],
    ['a "use my location" button (the browser asks)', 'locate'],
    ['a button that asks to turn notifications on', 'notify'],
    ['a button that says a word (an audio element never in the page)', 'say'],
    ['a button that plays a sound (Web Audio)', 'beep'],
    ['a link to a PDF', 'pdf'],
    ['a link that opens the messages app', 'sms'],
    ['a link that opens a meeting app', 'call'],
  ])('is not what %s gets, however fast it is pressed', async (_, id) => {
    const { ctx, of } = fakeCore()
    init(ctx)
    await clicks($(id), 6, { gap: 100 })
    expect(of('rage_click')).toEqual([])
  })

  it('is not what a stepper gets whose field appears at its first press', async () => {
    const { ctx, of } = fakeCore()
    init(ctx)
    document.body.insertAdjacentHTML(
      'beforeend',
      '<div><div id="box"><button id="grow" type="button">+</button></div></div>',
    )
    let field: HTMLInputElement | undefined
    on('grow', () => {
      if (field) return void (field.value = String(+field.value + 1)) // no DOM change
      field = document.createElement('input')
      field.value = '1'
      $('box').append(field)
    })
    await clicks($('grow'), 6, { gap: 100 })
    expect(of('rage_click')).toEqual([])
  })

  /**
   * A stepper whose field comes later, while no click waits for its answer (the observer is off):
   * the fields found next to it at its first press miss it, so only a fresh look, before a
   * click is reported, sees the presses answered.
   */
  function lateField() {
    document.body.insertAdjacentHTML(
      'beforeend',
      '<div><div id="late-box"><button id="late" type="button">+</button></div></div>',
    )
    let field: HTMLInputElement | undefined
    on('late', () => {
      if (field)
        field.value = String(+field.value + 1) // no DOM change
      else $('late').classList.add('pressed')
    })
    return async () => {
      field = document.createElement('input')
      field.value = '1'
      $('late-box').append(field)
      await wait(0)
    }
  }

  it('is not what a stepper gets whose field was added while no click waited', async () => {
    const { ctx, of } = fakeCore()
    init(ctx)
    const addField = lateField()
    await clicks($('late'), 1) // answered: the observer is off from then on
    await addField()
    await clicks($('late'), 6, { gap: 100 })
    expect(of('rage_click')).toEqual([])
  })

  it('is what a dead button next to a field gets, though the visitor types there right after', async () => {
    const { ctx, of } = fakeCore()
    init(ctx)
    document.body.insertAdjacentHTML(
      'beforeend',
      '<div><div><input id="coupon" value="SAVE5"><button id="apply" type="button">Apply</button></div></div>',
    )
    for (let i = 0; i < 4; i++) {
      clickOn($('apply'), 100, 100)
      await wait(100)
    }
    // Before the burst is judged, the visitor retypes the code (the page still did nothing).
    const coupon = $('coupon') as HTMLInputElement
    coupon.value = 'SAVE10'
    await wait(1000)
    expect(of('rage_click').map((e) => e.props.id)).toEqual(['apply'])
  })

  it('reports no dead click for a press on such a stepper', async () => {
    const { ctx, of } = fakeCore()
    init(ctx)
    const addField = lateField()
    await clicks($('late'), 1)
    await addField()
    clickOn($('late'))
    await wait(3000)
    expect(of('dead_click')).toEqual([])
  })

  it.each([
    ['a video with native controls', 'video'],
    ['a checkbox label', 'remember-label'],
    ['a checkbox', 'remember'],
    ['a select', 'plan'],
    ['a text field (placing the caret)', 'email'],
    ['a link to a place on the page', 'to-faq'],
    ['an element marked data-ciel-no-rage', 'norage'],
  ])('is not what %s gets: quick clicks there are use', async (_, id) => {
    const { ctx, of } = fakeCore()
    init(ctx)
    await clicks($(id), 5, { gap: 100 })
    expect(of('rage_click')).toEqual([])
  })

  it('is not a double or triple click that selects text', async () => {
    const { ctx, of } = fakeCore()
    init(ctx)
    await selectByClicking($('text'), 3)
    await selectByClicking($('text'), 2)
    expect(of('rage_click')).toEqual([])
  })

  it('still reports a burst on a dead button pressed right after typing in a field', async () => {
    const { ctx, of } = fakeCore()
    init(ctx)
    clickOn($('email'))
    $('email').focus()
    ;($('email') as HTMLInputElement).value = 'ada@example.com'
    $('email').dispatchEvent(new Event('input', { bubbles: true }))
    await wait(300)
    await clicks($('dead'), 4)
    expect(of('rage_click')).toMatchObject([{ props: { id: 'dead', clicks: 3 } }])
    await wait(3000)
    expect(of('dead_click').map((e) => e.props.id)).toEqual(['dead'])
  })

  it('still reports a dead button on a page whose background video loops meanwhile', async () => {
    const { ctx, of } = fakeCore()
    init(ctx)
    document.body.insertAdjacentHTML('beforeend', '<video id="hero" autoplay muted loop></video>')
    // What a looping video fires at each loop: it seeks back to its start.
    const loop = () => ['seeking', 'seeked'].forEach((t) => $('hero').dispatchEvent(new Event(t)))
    clickOn($('dead'), 100, 100)
    loop()
    await wait(150)
    clickOn($('dead'), 100, 100)
    await wait(150)
    loop()
    clickOn($('dead'), 100, 100)
    await wait(3000)
    expect(of('rage_click')).toMatchObject([{ props: { id: 'dead', clicks: 3 } }])
    expect(of('dead_click').map((e) => e.props.id)).toEqual(['dead'])
  })

  it('reports a dead button the visitor leaves for another button right after (its press focuses that one)', async () => {
    const { ctx, of } = fakeCore()
    init(ctx)
    $('dead').focus()
    clickOn($('dead'))
    await wait(800)
    await clicks($('broken'), 1)
    await wait(3000)
    expect(of('dead_click').map((e) => e.props.id)).toEqual(['dead', 'broken'])
  })

  it('still reports a burst on a button that opened something once and then stopped responding', async () => {
    const { ctx, of } = fakeCore()
    init(ctx)
    await clicks($('menu'), 4)
    expect(of('rage_click')).toMatchObject([{ props: { id: 'menu', clicks: 3 } }])
  })

  it('reports a burst on a button that only says it is disabled, or whose request fails silently', async () => {
    const { ctx, of } = fakeCore()
    init(ctx)
    await clicks($('aria-disabled'), 3)
    await clicks($('broken'), 3)
    expect(of('rage_click').map((e) => e.props.id)).toEqual(['aria-disabled', 'broken'])
  })

  it('reports a burst the visitor leaves right after, before its last click could be answered', async () => {
    const { ctx, of } = fakeCore()
    init(ctx)
    for (let i = 0; i < 3; i++) {
      clickOn($('dead'), 100, 100)
      await wait(100)
    }
    window.dispatchEvent(new Event('pagehide'))
    expect(of('rage_click')).toMatchObject([{ props: { id: 'dead', clicks: 3 } }])
  })

  it('follows the thresholds of the site config', async () => {
    const { ctx, of } = fakeCore({ capture: { rage: { clicks: 5 } } })
    init(ctx)
    await clicks($('dead'), 4)
    expect(of('rage_click')).toEqual([])
    await clicks($('dead'), 5)
    expect(of('rage_click')).toHaveLength(1)
  })
})

describe('dead clicks', () => {
  it('reports a click on a button after which nothing happens, 2.5 s later', async () => {
    const { ctx, of } = fakeCore()
    init(ctx)
    clickOn($('dead'))
    await wait(2400)
    expect(of('dead_click')).toEqual([])
    await wait(200)
    expect(of('dead_click')).toHaveLength(1)
    expect(of('dead_click')[0]!.props).toMatchObject({ tag: 'button', id: 'dead', text: 'Learn more' })
  })

  it('counts a rage burst as one dead click, not one per click', async () => {
    const { ctx, of } = fakeCore()
    init(ctx)
    await clicks($('dead'), 5, { gap: 120 })
    await wait(2500)
    expect(of('rage_click')).toHaveLength(1)
    expect(of('dead_click')).toHaveLength(1)
  })

  it('says what the burst did: how many clicks over how long, and how long nothing answered (or changed) after the last', async () => {
    const { ctx, of } = fakeCore()
    init(ctx)
    await clicks($('dead'), 5, { gap: 150 })
    await wait(2500)
    expect(of('rage_click')[0]!.props).toMatchObject({ clicks: 3, ms: 300 })
    const [dead] = of('dead_click')
    expect(dead!.props).toMatchObject({ clicks: 5, ms: 600, moved: 0 })
    // Judged at most a quarter of a second after the wait.
    expect(dead!.props.quiet).toBeGreaterThanOrEqual(2500)
    expect(dead!.props.quiet).toBeLessThanOrEqual(2750)
  })

  it('says when the page changed meanwhile by itself (a countdown), though nothing answered the click', async () => {
    document.body.insertAdjacentHTML('beforeend', '<p>Sale ends in <span id="clock">60</span> s</p>')
    let t = 60
    setInterval(() => ($('clock').textContent = String(--t)), 1000)
    const { ctx, of } = fakeCore()
    init(ctx)
    await wait(4000)
    clickOn($('dead'))
    await wait(3000)
    expect(of('dead_click')).toMatchObject([{ props: { id: 'dead', clicks: 1, ms: 0, moved: 1 } }])
  })

  it('reports each of two dead buttons clicked one after the other', async () => {
    const { ctx, of } = fakeCore()
    init(ctx)
    clickOn($('dead'))
    await wait(500)
    clickOn($('broken'))
    await wait(3000)
    expect(of('dead_click').map((e) => e.props.id)).toEqual(['dead', 'broken'])
  })

  it.each([
    ['opens a menu', 'menu'],
    ['sets the value of a field', 'more'],
    ['scrolls a carousel', 'scroll-next'],
    ['routes a single-page app', 'spa'],
    ['selects text', 'select-all'],
    ['shows its answer 0.8 s later (a fetch)', 'later'],
    ['turns a video up', 'mute'],
    ['shows a popover', 'tip-button'],
    ['makes the browser say a required field is empty', 'join'],
    ['opens a file chooser', 'upload'],
    ['opens the print dialog', 'print'],
    ['opens a popup', 'share'],
    ['puts the caret in a search field', 'find'],
    ['copies to the clipboard, saying nothing', 'copy-quiet'],
    ['copies to the clipboard the older way, saying nothing', 'copy-old'],
    ['downloads a file it made (an export)', 'export'],
    ['opens the share sheet', 'web-share'],
    ['asks for the location', 'locate'],
    ['asks to send notifications', 'notify'],
    ['says a word', 'say'],
    ['plays a sound', 'beep'],
  ])('does not report a click that %s', async (_, id) => {
    const { ctx, of } = fakeCore()
    init(ctx)
    clickOn($(id))
    await wait(3000)
    expect(of('dead_click')).toEqual([])
  })

  it.each([
    ['a disabled button', 'disabled'],
    ['a button that says it is disabled', 'aria-disabled'],
    ['the tab already selected', 'tab-monthly'],
    ['a download link', 'download'],
    ['a mail link', 'mail'],
    ['a link that opens another tab', 'blank'],
    ['a link to a place on the page', 'to-faq'],
    ['a text field', 'email'],
    ['a label', 'remember-label'],
    ['a link to a PDF (downloaded, or opened in a viewer)', 'pdf'],
    ['a link to the messages app', 'sms'],
    ['a link to a meeting app', 'call'],
  ])('does not report a click on %s, which answers elsewhere or says it does nothing', async (_, id) => {
    const { ctx, of } = fakeCore()
    init(ctx)
    clickOn($(id))
    await wait(3000)
    expect(of('dead_click')).toEqual([])
  })

  it('does not report a link opened in another tab (Ctrl, ⌘ or Shift held); does report the same link doing nothing', async () => {
    const { ctx, of } = fakeCore()
    init(ctx)
    for (const key of ['ctrlKey', 'metaKey', 'shiftKey']) {
      $('docs').dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true, [key]: true }))
      await wait(3000)
    }
    expect(of('dead_click')).toEqual([])
    clickOn($('docs'))
    await wait(3000)
    expect(of('dead_click').map((e) => e.props.id)).toEqual(['docs'])
  })

  it('does not report a click followed by the tab being hidden', async () => {
    const { ctx, of } = fakeCore()
    init(ctx)
    clickOn($('dead'))
    await wait(500)
    setHidden(true)
    await wait(3000)
    expect(of('dead_click')).toEqual([])
  })

  it('reports a plain element that looks clickable (a pointer cursor), not one that does not', async () => {
    const { ctx, of } = fakeCore()
    init(ctx)
    clickOn($('card'))
    clickOn($('plain'), 300, 300)
    await wait(3000)
    expect(of('dead_click').map((e) => e.props.id)).toEqual(['card'])
  })

  it('reads no style for clicks on buttons and links, nor for clicks the page answered', async () => {
    const { ctx, of } = fakeCore()
    init(ctx)
    const style = vi.spyOn(window, 'getComputedStyle')
    try {
      clickOn($('dead'))
      await wait(3000)
      expect(of('dead_click').map((e) => e.props.id)).toEqual(['dead'])
      clickOn($('card'))
      $('card').classList.add('open') // the page answered the card
      for (const id of ['plus', 'spa', 'star', 'copy']) clickOn($(id), 100, 100 + id.length * 40)
      await wait(3000)
      expect(of('dead_click')).toHaveLength(1)
      expect(style).not.toHaveBeenCalled()
    } finally {
      style.mockRestore()
    }
  })
})

describe('inside web components (open shadow roots)', () => {
  /** A custom element whose shadow root holds `html`; `setup` wires it. */
  function component(name: string, html: string, setup: (root: ShadowRoot) => void = () => {}) {
    if (!customElements.get(name))
      customElements.define(
        name,
        class extends HTMLElement {
          constructor() {
            super()
            const root = this.attachShadow({ mode: 'open' })
            root.innerHTML = html
            setup(root)
          }
        },
      )
  }
  component('x-counter', '<button type="button">+</button><span>0</span>', (root) => {
    const n = root.querySelector('span')!
    root.querySelector('button')!.addEventListener('click', () => (n.textContent = String(+n.textContent! + 1)))
  })
  component('x-dead', '<button type="button">Learn more</button>')
  component('x-field', '<label>Name <input name="name"></label>')

  beforeEach(() => {
    document.body.insertAdjacentHTML(
      'beforeend',
      '<x-counter id="counter"></x-counter><x-dead id="x-dead"></x-dead><x-field id="x-field"></x-field>',
    )
  })
  /** What is pressed inside a component. */
  const inner = (id: string) => $(id).shadowRoot!.querySelector('button, input')!
  /** A click inside a component: composed, so the document sees it (its target is the host). */
  async function press(el: Element, n: number) {
    for (let i = 0; i < n; i++) {
      el.dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true, clientX: 100, clientY: 100 }))
      await wait(150)
    }
    await wait(1000)
  }

  it('is not what a counter inside a component gets, its answer being in its shadow root', async () => {
    const { ctx, of } = fakeCore()
    init(ctx)
    await press(inner('counter'), 6)
    expect($('counter').shadowRoot!.querySelector('span')!.textContent).toBe('6')
    await wait(3000)
    expect(of('rage_click')).toEqual([])
    expect(of('dead_click')).toEqual([])
  })

  it('is not what a text field inside a component gets: quick clicks there are use', async () => {
    const { ctx, of } = fakeCore()
    init(ctx)
    await press(inner('x-field'), 5)
    await wait(3000)
    expect(of('rage_click')).toEqual([])
    expect(of('dead_click')).toEqual([])
  })

  // (happy-dom does not retarget a composed event to the host: the Chromium test checks that a
  // dead button in a component is described as the component.)
  it('still reports a burst on a dead button inside a component, once', async () => {
    const { ctx, of } = fakeCore()
    init(ctx)
    await press(inner('x-dead'), 4)
    await wait(3000)
    expect(of('rage_click')).toMatchObject([{ props: { text: 'Learn more', clicks: 3 } }])
    expect(of('dead_click').map((e) => e.props.text)).toEqual(['Learn more'])
  })
})

describe('on a page that moves by itself', () => {
  /**
   * A shop's page: a sale countdown beside its dead "Shop now" button, an autoplay carousel, a
   * chat launcher whose badge counts up, a skeleton's shimmer, a rotating banner (a live region)
   * and a live price, each changing on its own timer; dead buttons among them, and widgets that
   * answer (at once, or after a fetch).
   */
  beforeEach(() => {
    document.body.innerHTML = `
      <header><a href="/">Shop</a> <span id="cart-count">0</span></header>
      <section class="sale"><p>Sale ends in <span id="countdown">10:00</span></p><button id="shop-now" type="button">Shop now</button></section>
      <section class="carousel"><div id="slides"><div class="slide active">1</div><div class="slide">2</div><div class="slide">3</div></div>
        <button id="slide-info" type="button">Details</button></section>
      <section class="product"><h2>Lamp</h2><p>Price: <span id="price">42.00</span></p>
        <button id="add" type="button">Add to cart</button> <button id="notify-me" type="button">Notify me</button></section>
      <section class="reviews"><ul id="reviews"><li>Good</li></ul><button id="more-reviews" type="button">More reviews</button></section>
      <div id="banner" aria-live="polite">Free shipping over 50</div>
      <div class="skeleton shimmer-a" id="skeleton"></div>
      <button id="chat" type="button" aria-label="Chat">Chat <span id="badge">0</span></button>`
    let t = 600
    setInterval(() => ($('countdown').textContent = `${Math.floor(--t / 60)}:${String(t % 60).padStart(2, '0')}`), 1000)
    let slide = 0
    setInterval(() => {
      const all = document.querySelectorAll('.slide')
      all[slide]!.classList.remove('active')
      all[(slide = (slide + 1) % all.length)]!.classList.add('active')
    }, 1500)
    let badge = 0
    setInterval(() => ($('badge').textContent = String(++badge)), 2000)
    setInterval(() => $('skeleton').classList.toggle('shimmer-b'), 400)
    const lines = ['Free shipping over 50', 'Gift wrapping', 'Easy returns']
    let line = 0
    setInterval(() => ($('banner').textContent = lines[++line % lines.length]!), 1800)
    setInterval(() => ($('price').textContent = (40 + Math.random() * 4).toFixed(2)), 700)
    // Answers: the cart's count in the header, at once; reviews and the chat after a quick fetch.
    let cart = 0
    on('add', () => ($('cart-count').textContent = String(++cart)))
    on('more-reviews', () => setTimeout(() => $('reviews').insertAdjacentHTML('beforeend', '<li>Fine</li>'), 80))
    on('chat', () =>
      setTimeout(() => document.body.insertAdjacentHTML('beforeend', '<div role="dialog">Hi!</div>'), 300),
    )
  })

  /** Lets the page move for a while first: what changes by itself is learned before the visitor clicks. */
  const settle = () => wait(5000)

  it('reports each burst on a dead button once as a rage click and once as a dead click; none on the widgets that answer', async () => {
    const { ctx, of } = fakeCore()
    init(ctx)
    await settle()
    // A dead button beside the sale's countdown, in the carousel, beside the live price; then
    // the cart (its count in the header, at once), the reviews and the chat (after a quick
    // fetch, the chat's badge counting by itself).
    for (const id of ['shop-now', 'add', 'slide-info', 'more-reviews', 'notify-me', 'chat']) {
      await clicks($(id), 5, { gap: 110 })
      await wait(3000)
    }
    expect(of('rage_click').map((e) => [e.props.id, e.props.clicks])).toEqual([
      ['shop-now', 3],
      ['slide-info', 3],
      ['notify-me', 3],
    ])
    expect(of('dead_click').map((e) => e.props.id)).toEqual(['shop-now', 'slide-info', 'notify-me'])
  })
})
