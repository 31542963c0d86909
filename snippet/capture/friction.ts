/**
 * Friction: rage clicks (a burst of clicks on one spot that the page does not answer) and dead
 * clicks (a click on something that looks interactive, after which nothing happens).
 *
 * Both ask the same question of each click: did the page answer it? An answer is anything the
 * visitor could see or use: a DOM change (one MutationObserver for every click, connected only
 * while a click waits for its answer and dropped at the first change), a scroll (of the page or
 * of any element: carousels), a selection change (a double or triple click selecting text), an
 * `input` or `change`, a navigation (the URL, or the Navigation API's `navigate` where there is
 * one), a new value in a form field next to the element (a stepper that sets `input.value`,
 * which no observer sees), or an answer outside the DOM (`ELSEWHERE`: media, popovers, the
 * browser's own bubbles, pickers and dialogs). Links to files and to other apps answer where the
 * page cannot see (`away`). Nothing here reads layout; the only style read is the cursor of an
 * element that is not obviously interactive, and only once its click went unanswered for
 * `deadMs` (the style is clean by then: nothing changed). A click handler only notes what the
 * page looks like at the click (answers so far, the URL, the fields' values); the clicks are
 * judged together, in order, a moment later (README, "The main thread").
 */
import type { Ctx } from '../contract/context'
import { on, onDoc } from '../core/guard'
import { clickOf, type Click } from './dom'
import { countMoves, moves } from './moves'
import { live, type Watch } from './watch'

/** A link to a place on this page: clicked again, it has nothing left to do (the visitor is there). */
const HERE = 'a[href^="#"]:not([href="#"])'
/**
 * Where quick clicks are use, not rage, whatever we see: form fields and labels (placing the
 * caret, selecting), native media controls and canvases (they answer inside, out of our sight),
 * links to a place on the page, and what the page marks.
 */
const NO_RAGE = 'input,textarea,select,option,label,[contenteditable],video,audio,canvas,[data-ciel-no-rage],' + HERE
/** Obviously interactive: a click there is meant to do something. */
const LOOKS_ACTIVE =
  'a[href],button,summary,[role=button],[role=link],[role=menuitem],[role=tab],[role=switch],[role=checkbox],[type=button],[type=submit]'
/**
 * Never dead: what says it does nothing now (disabled, already selected or current), form
 * fields, links whose answer happens elsewhere (a download, another tab, a mail or phone app)
 * or on this page.
 */
const NOT_DEAD =
  ':disabled,[aria-disabled=true],[aria-selected=true],[aria-current],input,textarea,select,label,[contenteditable],' +
  'a[download],a[target]:not([target=_self]),' +
  HERE
/**
 * A link whose answer the page cannot show: another app (mailto:, tel:, sms:, a meeting app's
 * scheme), a file (the browser downloads it, or opens it in a viewer, often without leaving), or
 * any link clicked with Ctrl, ⌘ or Shift (`k`: it opens in another tab or window).
 */
const away = (el: Element, k?: boolean) => {
  const a = el.closest('a')
  return !!a?.href && (k || !/^(https?|javascript):$/.test(a.protocol) || FILE.test(a.pathname))
}
/**
 * Whether a click is on something judged neither way (`sel`, or a link answering elsewhere): the
 * element pressed or the one it was meant for (the pressed one may be inside a component).
 */
const not = (s: Seen, sel: string) =>
  [s.target, s.c.el].some((el) => el.closest(sel) || away(el, s.k)) || closed(s.target)
/**
 * A press on a web component whose shadow root is closed: the browser hides what was pressed
 * inside and what changed there (a widget's launcher, a design system's control), so whether it
 * answered cannot be known. (A component with no shadow root at all, pressed on its own text,
 * is judged neither way too.)
 */
const closed = (el: Element) => el.tagName.includes('-') && !el.shadowRoot
const FILE = /\.(pdf|zip|gz|csv|xlsx?|docx?|pptx?|odt|dmg|exe|msi|pkg|apk|ics|vcf|mp3|mp4)$/i
/**
 * Answers that change no DOM, each an event (seen in the capture phase, so they need not bubble):
 * media played, paused, muted or sought (a custom player's buttons), a popover shown or hidden
 * (`popovertarget` needs no script and sets no attribute), the browser's bubble for a form field
 * that is not valid, full screen, printing, a copy to the clipboard (a copy button that says
 * nothing); a form field's own events.
 */
const ELSEWHERE =
  'play pause volumechange seeked ratechange toggle invalid fullscreenchange webkitfullscreenchange copy cut input change'
/** Form fields whose value a widget may set without any DOM change. */
const FIELDS = 'input:not([type=password]),select,textarea'

/** What the observer watches for: any change at all. */
const ALL = { subtree: true, childList: true, attributes: true, characterData: true }

/** One click and what the page looked like when it happened. */
interface Seen {
  t: number
  x: number
  y: number
  c: Click
  /** The element pressed: the event's target, or inside a web component, what was pressed in it. */
  target: Element
  /** Answers counted so far, the URL and the nearby fields' values, at the click. */
  g: number
  h: string
  v: string
  /** The fields `v` was read from. */
  f: HTMLInputElement[]
  /** Replayed from before the chunk arrived. */
  l?: 1
  /** Ctrl, ⌘ or Shift held: a link opens elsewhere. */
  k: boolean
}

/**
 * The form fields next to each button clicked, found at its first click and looked for again
 * after an element was added (a field may have appeared), or before a click is reported (an
 * element added while no click waited went unseen).
 */
let nearby = new WeakMap<Element, HTMLInputElement[]>()

/** The form fields next to a button, searched for now (other elements: none, see values()). */
function near(el: Element): HTMLInputElement[] {
  const box = el.parentElement
  const up = box?.parentElement
  const list =
    box && (el.tagName == 'BUTTON' || el.getAttribute('role') == 'button')
      ? Array.from((up && up != document.body ? up : box).querySelectorAll<HTMLInputElement>(FIELDS))
      : []
  nearby.set(el, list)
  return list
}

/**
 * The form fields next to a button (a stepper's input): those found before, unless one left the
 * page, so that clicks and judgments are spared a search. Other elements: none (a field answers
 * a click on itself with its own events).
 */
function fields(el: Element): HTMLInputElement[] {
  const list = nearby.get(el)
  return !list || list.some((f) => !f.isConnected) ? near(el) : list
}

/** The values of fields, kept in memory to compare, never sent. */
function values(list: HTMLInputElement[]): string {
  let v = ''
  for (const f of list) v += f.value + f.checked
  return v
}

/**
 * Whether the fields click `s` read are all there are next to it now (a field added while no
 * click waited goes unseen): a click is reported only then, since its values were compared on them.
 */
function whole(s: Seen): boolean {
  const now = near(s.c.el)
  return s.f.length == now.length && s.f.every((f, i) => f == now[i])
}

/**
 * Starts rage and dead clicks (part of the lazy capture chunk, capture/later.ts). Clicks replayed
 * from before the chunk arrived (`late`) count for rage clicks, never for dead ones.
 */
export function init(ctx: Ctx, watch: Watch = live) {
  /** Answers seen here: DOM changes and navigations; scrolls and selection changes are moves(). */
  let answers = 0
  let observing = false
  const answer = () => void answers++
  const mo = new MutationObserver((records) => {
    answers++
    // An element added may be a field next to a button: look for them again. New text (a
    // counter's) cannot, and a click after it is spared the search.
    if (records.some((r) => [].some.call(r.addedNodes, (n: Node) => n.nodeType == 1))) nearby = new WeakMap()
    // Every click waiting now has its answer; the next click connects it again.
    mo.disconnect()
    observing = false
  })
  countMoves()
  /** Every answer so far; `g`: the count the core kept with a replayed click. */
  const total = (g = moves()) => answers + g
  /**
   * Whether anything answered click `s` by now, or by the time `g` (a replayed click's count);
   * `h`: the URL now, when the caller has read it already.
   */
  const answered = (s: Seen, v?: string, g = total(), h = document.URL) =>
    g !== s.g || h !== s.h || (v ?? values(fields(s.c.el))) !== s.v

  const nav = (window as any).navigation
  if (nav) on('navigate', answer, nav)
  // (Not a looping video's: a background video seeks back to its start on every loop.) One
  // listener for all of them, which cannot throw: none of the guard's per-type lists (heap).
  const elsewhere = (e: Event) => (e.target as HTMLMediaElement).loop || answers++
  try {
    for (const t of ELSEWHERE.split(' ')) document.addEventListener(t, elsewhere, { capture: true, passive: true })
  } catch {}
  // The window losing the focus: a popup, a native picker (a file chooser) or a dialog took it.
  for (const t of ['blur', 'beforeprint']) on(t, answer)
  // Answers through APIs that fire no event, so their calls count: a copy button's Clipboard
  // API, the file an export button makes for download (a blob URL, often clicked on a link that
  // is never in the page), sound (an audio element never in the page, whose events the document
  // does not see; Web Audio), and the browser's own sheets and prompts (share, location,
  // notifications).
  for (const [o, k] of [
    [navigator.clipboard, 'writeText'],
    [navigator.clipboard, 'write'],
    [URL, 'createObjectURL'],
    [navigator, 'share'],
    [navigator.geolocation, 'getCurrentPosition'],
    [self.Notification, 'requestPermission'],
    [HTMLMediaElement.prototype, 'play'],
    [self.AudioScheduledSourceNode?.prototype, 'start'],
  ] as [any, string][]) {
    const f = o?.[k]
    if (typeof f == 'function')
      try {
        o[k] = function (this: unknown) {
          answers++
          // eslint-disable-next-line prefer-rest-params -- fewer gzip bytes than a rest parameter here
          return f.apply(this, arguments)
        }
      } catch {}
  }
  // The focus moved by the page (a search button focusing its field, a dialog keeping it)
  // answers; the focus a press gives what it presses, just before its click, is taken back then.
  let focused: Node | null = null
  onDoc('focusin', (e: FocusEvent) => ((focused = e.target as Node), answers++))
  let hiddenAt = 0
  /** Judges the clicks seen so far (set below, with the click handler). */
  let catchUp = () => {}
  const config = () => ctx.config.capture || {}
  const rageMs = () => config().rage?.ms ?? 1000

  // Rage: `n` clicks in a row on one spot, each within r.ms and r.px of the one before, none
  // answered. A click's answer is known at the next click (or r.ms after it, if none comes).
  let prev: Seen | null = null
  let n = 0
  const settle = (v?: string, g?: number, h?: string) => {
    if (!prev) return
    // Unanswered, the DOM is as it was at the click: what the element is can be asked now.
    if (answered(prev, v, g, h) || not(prev, NO_RAGE)) n = 0
    else if (++n === (config().rage?.clicks ?? 3))
      whole(prev) ? ctx.emit('rage_click', { ...prev.c.d(), clicks: n, x: prev.x, y: prev.y }) : (n = 0)
  }
  // One timer at a time, not one per click: it ends the burst once r.ms passed since its last click.
  const rageTimer = timers(() => {
    catchUp()
    if (prev && Date.now() - prev.t < rageMs()) return prev.t + rageMs() - Date.now()
    settle()
    prev = null
    n = 0
  })

  // A tab hidden or a page going away: nothing more will answer the last clicks, and a burst
  // that just reached its count is reported now (with the clicks, in the last send).
  const hide = () => {
    catchUp()
    hiddenAt = Date.now()
    settle()
    prev = null
    n = 0
  }
  onDoc('visibilitychange', () => document.hidden && hide())
  on('pagehide', hide)

  // Dead: the clicks of one episode (the same element, clicked again within r.ms while nothing
  // answered: a burst is one episode) wait deadMs after the last of them for any answer. They
  // wait in order, for one timer.
  const waiting: (Seen & { last: number })[] = []
  const deadTimer = timers(() => {
    catchUp() // a click still to judge may extend an episode
    const ms = config().deadMs ?? 2500
    for (let me; (me = waiting[0]) && me.last + ms <= Date.now(); waiting.shift())
      if (
        !answered(me) &&
        hiddenAt < me.t &&
        !not(me, NOT_DEAD) &&
        (me.target.closest(LOOKS_ACTIVE) || getComputedStyle(me.target).cursor === 'pointer') &&
        whole(me)
      )
        ctx.emit('dead_click', me.c.d())
    // Late by at most a quarter of a second, rather than a timer for each click.
    return waiting[0] && Math.max(250, waiting[0].last + ms - Date.now())
  })

  // A click only takes its snapshot (what the page looks like before its own handlers answer);
  // it is judged a moment later, in order, by the burst's timer (or when the tab is hidden).
  let seen: Seen[] = []
  const click = (e: MouseEvent, at?: number, late?: 1, moved?: number) => {
    const c = clickOf(e)
    if (!c) return
    // A file chooser opens (an upload button often clicks its hidden file field): an answer.
    if ((c.el as HTMLInputElement).type == 'file') answers++
    if (focused?.contains(e.target as Node)) answers--
    focused = null
    if (!observing) mo.observe(document, ALL)
    observing = true
    // Web components (open shadow roots): what was pressed may be inside one, and a component
    // may answer inside its own even for a press on content slotted into it, so every shadow root
    // on the event's path is watched too (an observer of the document sees nothing in them). A
    // replayed click has no path any more: its target stands for it.
    const path = e.composedPath()
    const target = (path[0] || e.target) as Element
    for (const n of path) if (n instanceof ShadowRoot) mo.observe(n, ALL)
    const f = fields(c.el)
    seen.push({
      t: at || c.t,
      k: e.ctrlKey || e.metaKey || e.shiftKey,
      x: e.clientX,
      y: e.clientY,
      c,
      target,
      g: total(moved),
      h: c.h,
      v: values(f),
      f,
      l: late,
    })
    rageTimer(rageMs())
  }
  const judge = (now: Seen) => {
    const el = now.c.el
    const near =
      prev && now.t - prev.t <= rageMs() && Math.hypot(now.x - prev.x, now.y - prev.y) <= (config().rage?.px ?? 30)
    // The previous click's answer: by the next click it has come, if it was coming.
    settle(prev?.c.el === el ? now.v : undefined, now.g, now.h)
    if (!near) n = 0
    prev = now

    // Not for a replayed click: what happened since it is unknown.
    if (now.l) return
    const ep = waiting[waiting.length - 1]
    if (ep && ep.c.el === el && now.t - ep.last <= rageMs() && !answered(ep, now.v, now.g, now.h)) ep.last = now.t
    else waiting.push({ ...now, last: now.t })
    deadTimer(Math.max(0, now.t + (config().deadMs ?? 2500) - Date.now()))
  }
  catchUp = () => {
    const q = seen
    seen = []
    q.forEach(judge)
  }
  watch('click', click)
}

/**
 * A timer that is armed once at a time: `arm(ms)` starts it unless it is running; when it
 * fires, `fn` may answer how long until it should fire again.
 */
function timers(fn: () => number | void | undefined) {
  let on = false
  const arm = (ms: number) => {
    if (on) return
    on = true
    setTimeout(() => {
      on = false
      const again = fn()
      if (again) arm(again)
    }, ms)
  }
  return arm
}
