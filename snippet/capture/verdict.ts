/**
 * The judge of rage and dead clicks: a lazy chunk of its own, fetched once the capture chunk has
 * started (friction.ts notes the clicks and the changes meanwhile). A change answers a click
 * when a person would connect it to the click: made by the click's own task (its handlers and
 * the microtasks they queue, wherever the change is: a cart's badge); or, later (a fetch's
 * answer), inside or around the element pressed (up to its container), in what it controls
 * (`aria-controls`, `for`, `form`, `popovertarget`, a link's `#target`), a new or newly shown
 * overlay (a dialog, menu, toast, live region, or what is added to the body: a portal), a
 * scroll of the page or of a scroller that holds, is next to or is controlled by the element.
 * Not an element that was changing by itself before the click (a countdown, a carousel, a
 * badge: background). Answers outside the DOM (friction.ts) answer every click waiting.
 */
import type { Ctx } from '../contract/context'
import { on, onDoc } from '../core/guard'
import { moves } from './moves'
import { fields, near, values, type Change, type Noted, type Seen } from './friction'

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

/** Overlays: what shows above the page, or speaks, in answer to a click. */
const OVERLAY =
  'dialog,[role=dialog],[role=alertdialog],[role=menu],[role=listbox],[role=tooltip],[role=status],[role=alert],[aria-live],[popover]'

/**
 * Whether the fields click `s` read are all there are next to it now (a field added while no
 * click waited goes unseen): a click is reported only then, since its values were compared on them.
 */
function whole(s: Seen): boolean {
  const now = near(s.c.el)
  return s.f.length == now.length && s.f.every((f, i) => f == now[i])
}

/** Whether change `x`, after click `s`, belongs to it (see the module's comment). */
function belongs(st: Noted, s: Seen & { z?: number }, x: Change): unknown {
  // An answer outside the DOM: one that came before the visitor clicked something else (the
  // episode's clicks are all on one element).
  if (x.s == 2) return x.k <= (s.z || s.q)
  if (x.s === 0) return
  if (x.k == s.q && x.o) return true
  const el = s.c.el
  const n = x.n
  // A wrapper holding only the element is not its container: the one around it is.
  const p = el.parentElement
  const box = (p?.children.length == 1 && p.parentElement) || p
  const ids = [
    el.getAttribute('popovertarget'),
    el.getAttribute('for'),
    el.getAttribute('form'),
    el.closest('a')?.hash.slice(1),
  ].concat((el.getAttribute('aria-controls') || '').split(' '))
  const mine = (m: Node) =>
    el.contains(m) || !!box?.contains(m) || ids.some((i) => i && document.getElementById(i)?.contains(m))
  const b = st.bg.get(n)
  if (b && b[1]! > 1 && s.t - b[0]! < 20000) return false
  if (x.s) return n == document || mine(n) || n.contains(el)
  // An overlay anywhere: only before the visitor clicked something else (it may be that click's).
  return (
    mine(n) ||
    (x.k <= (s.z || s.q) &&
      ((n as Element).closest?.(OVERLAY) ||
        [].some.call(
          x.a || [],
          (a: Element) => n == document.body || a.matches?.(OVERLAY) || !!a.querySelector?.(OVERLAY),
        )))
  )
}

/**
 * Starts judging the clicks friction.ts notes; answers the function it calls at each click (the
 * burst's timer). Clicks are judged together, in order, a moment later.
 */
export function start(ctx: Ctx, st: Noted) {
  let hiddenAt = 0
  const config = () => ctx.config.capture || {}
  const rageMs = () => config().rage?.ms ?? 1000
  /**
   * Whether anything answered click `s` by the time of click `to` (a later one), else by now:
   * an answer outside the DOM, the URL, the fields next to it, or a change that belongs to it.
   */
  const answered = (s: Seen, to?: Seen) =>
    (to ? to.g !== s.g : s.l && st.a() + moves() - s.m! !== s.g) ||
    (to ? to.h : document.URL) !== s.h ||
    (to && to.c.el == s.c.el ? to.v : values(fields(s.c.el))) !== s.v ||
    !s.c.el.isConnected ||
    st.log.some((x) => x.k >= s.q && (!to || x.k < to.q) && belongs(st, s, x))

  // Rage: `n` clicks in a row on one spot, each within r.ms and r.px of the one before, none
  // answered. A click's answer is known at the next click (or r.ms after it, if none comes).
  let prev: Seen | null = null
  let n = 0
  /** When the burst's first unanswered click was. */
  let first = 0
  const settle = (to?: Seen) => {
    if (!prev) return
    // Unanswered, the DOM is as it was at the click: what the element is can be asked now.
    if (answered(prev, to) || not(prev, NO_RAGE)) n = 0
    else if ((n++ || (first = prev.t), n === (config().rage?.clicks ?? 3)))
      whole(prev)
        ? ctx.emit('rage_click', { ...prev.c.d(), clicks: n, x: prev.x, y: prev.y, ms: prev.t - first })
        : (n = 0)
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
  /** `z`: the episode's last click; `n`: its clicks. */
  const waiting: (Seen & { last: number; z?: number; n: number })[] = []
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
        // What the click did, for a team to believe it (edge/domain/hotspots.ts says it in a line):
        // its clicks, over how long, how long nothing answered since the last, and whether
        // anything changed meanwhile (only what moves by itself can have).
        ctx.emit('dead_click', {
          ...me.c.d(),
          clicks: me.n,
          ms: me.last - me.t,
          quiet: Date.now() - me.last,
          moved: +st.log.some((x) => x.k >= me.q && x.s !== 0),
        })
    // The changes no click waiting needs any more are let go.
    const k = Math.min(waiting[0]?.q ?? 1e9, prev?.q ?? 1e9)
    st.log = st.log.filter((x) => x.k >= k)
    // Late by at most a quarter of a second, rather than a timer for each click.
    return waiting[0] && Math.max(250, waiting[0].last + ms - Date.now())
  })

  const judge = (now: Seen) => {
    const el = now.c.el
    const near =
      prev && now.t - prev.t <= rageMs() && Math.hypot(now.x - prev.x, now.y - prev.y) <= (config().rage?.px ?? 30)
    // The previous click's answer: by the next click it has come, if it was coming.
    settle(now)
    if (!near) n = 0
    prev = now

    // Not for a replayed click: what happened since it is unknown.
    if (now.l) return
    const ep = waiting[waiting.length - 1]
    if (ep && ep.c.el === el && now.t - ep.last <= rageMs() && !answered(ep, now))
      ((ep.last = now.t), (ep.z = now.q), ep.n++)
    else waiting.push({ ...now, last: now.t, n: 1 })
    deadTimer(Math.max(0, now.t + (config().deadMs ?? 2500) - Date.now()))
  }
  const catchUp = () => {
    const q = st.q
    st.q = []
    q.forEach(judge)
  }
  const kick = () => st.q[0] && rageTimer(rageMs())
  kick()
  return kick
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
