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
import { guard, on, onDoc } from '../core/guard'
import { clickOf, type Click } from './dom'
import { moves } from './moves'
import { live, type Watch } from './watch'

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
export interface Seen {
  /** Its number: the changes seen after it (Change.k) say which click they followed. */
  q: number
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
  /** Replayed from before the chunk arrived; the core's count of scrolls and selection changes then. */
  l?: 1
  m?: number
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
export function near(el: Element): HTMLInputElement[] {
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
export function fields(el: Element): HTMLInputElement[] {
  const list = nearby.get(el)
  return !list || list.some((f) => !f.isConnected) ? near(el) : list
}

/** The values of fields, kept in memory to compare, never sent. */
export function values(list: HTMLInputElement[]): string {
  let v = ''
  for (const f of list) v += f.value + f.checked
  return v
}

/**
 * A change seen while clicks waited: the element changed (`n`; scrolled, or an answer outside the DOM: `s`), the last click
 * before it (`k`: its number), whether that click's own task made it (`o`: its handlers, and the
 * microtasks they queued, as frameworks render a click's answer), what it added (`a`).
 */
export interface Change {
  n: Node
  k: number
  o?: boolean
  a?: NodeList
  /** 1: a scroll; 2: an answer outside the DOM (0: the focus a press gave what it pressed: none). */
  s?: 1 | 2 | 0
}

/** What the judge (verdict.ts, a lazy chunk of its own) reads: the clicks and changes this module notes. */
export interface Noted {
  /** Clicks still to judge. */
  q: Seen[]
  /** Changes since the oldest click still waiting. */
  log: Change[]
  /** Elements that changed by themselves (no click waiting): when last, and how many times. */
  bg: WeakMap<Node, number[]>
  /** Answers seen outside the DOM, so far. */
  a: () => number
  /** The time of the last click (changes until deadMs after it may be its answer: not learned). */
  t: number
}

/**
 * Starts rage and dead clicks (part of the lazy capture chunk, capture/later.ts). Clicks replayed
 * from before the chunk arrived (`late`) count for rage clicks, never for dead ones. The clicks
 * are judged by verdict.ts, fetched at the first click (a page nobody clicks on keeps none of it).
 */
export function init(ctx: Ctx, watch: Watch = live) {
  /** Answers seen outside the DOM: events and API calls (not scrolls: they are changes, below). */
  let answers = 0
  /** An answer outside the DOM: counted, and noted for the click it follows. */
  const answer = () => (answers++, note(document, undefined, 2))
  let seq = 0
  /**
   * The last click's event: the browser dispatches a person's click still while its handlers,
   * and the microtasks they queue, run (microtasks run between its listeners), so a change seen
   * then is the click's own. A click dispatched by a script (`task`, 0 for none) sees them only
   * after the script, in the microtasks queued by then. No timer per click: scheduling one, then
   * its task, was most of a click's cost.
   */
  let ev: Event | undefined
  let task = 0
  /**
   * The click whose first frame is still to come (a scroll its handlers ask for comes then), once
   * a scroller that moves by itself is known (`bgScroll`: it might scroll then too); until then,
   * a scroll in the tenth of a second after a click is that click's.
   */
  let frame = 0
  let bgScroll: unknown
  const st: Noted = { q: [], log: [], bg: new WeakMap(), a: () => answers, t: -1e9 }
  const note = (n: Node, a?: NodeList, s?: 1 | 2, now = Date.now()) => {
    // No click waits: an element changing (or scrolled) now does so by itself (a countdown, a
    // carousel); learned as moments at least a quarter of a second apart (a page rendering at
    // load makes one). The judge lets go of the changes no click needs any more.
    if (now - st.t > (ctx.config.capture?.deadMs ?? 2500)) {
      if (s == 2) return
      bgScroll ||= s
      const b = st.bg.get(n)
      if (!b) st.bg.set(n, [now, 1])
      else if (now - b[0]! > 250) ((b[0] = now), b[1]!++)
    } else
      return st.log[
        st.log.push({
          n,
          k: seq,
          o: s ? (bgScroll ? frame == seq : now - st.t < 100) : task == seq || !!ev!.eventPhase,
          a,
          s,
        }) - 1
      ]
  }
  // One observer, connected once: what changes where, and when.
  const changed = (records: MutationRecord[]) => {
    const now = records[0] && Date.now()
    for (const r of records) {
      // An element added may be a field next to a button: look for them again. New text (a
      // counter's) cannot, and a click after it is spared the search.
      if ([].some.call(r.addedNodes, (n: Node) => n.nodeType == 1)) nearby = new WeakMap()
      note(r.target.nodeType == 1 ? r.target : r.target.parentNode || r.target, r.addedNodes, undefined, now)
    }
  }
  const mo = new MutationObserver(changed)
  mo.observe(document, ALL)
  // Scrolls (capture: an element's do not bubble) and text selected (a double or triple click).
  on('scroll', (e: Event) => void note(e.target as Node, undefined, 1), window, true)
  // (Text selected, not a caret moved: a press on a page puts an invisible one where it lands.)
  onDoc('selectionchange', () => getSelection()?.isCollapsed || answer())
  const nav = (window as any).navigation
  if (nav) on('navigate', answer, nav)
  // (Not a looping video's: a background video seeks back to its start on every loop.) One
  // listener for all of them, which cannot throw: none of the guard's per-type lists (heap).
  const elsewhere = (e: Event) => (e.target as HTMLMediaElement).loop || answer()
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
          answer()
          // eslint-disable-next-line prefer-rest-params -- fewer gzip bytes than a rest parameter here
          return f.apply(this, arguments)
        }
      } catch {}
  }
  // The focus moved by the page (a search button focusing its field, a dialog keeping it)
  // answers; the focus a press gives what it presses, just before its click, is taken back then.
  let focused: Node | null = null
  let focus: Change | undefined
  onDoc('focusin', (e: FocusEvent) => ((focused = e.target as Node), (focus = answer())))
  /** The judge's kick, once its chunk is in (0: fetched already). */
  let verdict: (() => void) | undefined | 0
  // A click only takes its snapshot (what the page looks like before its own handlers answer);
  // it is judged a moment later, in order (README, "The main thread").
  const click = (e: MouseEvent, at?: number, late?: 1, moved?: number) => {
    const c = clickOf(e)
    if (!c) return
    // A file chooser opens (an upload button often clicks its hidden file field): an answer.
    if ((c.el as HTMLInputElement).type == 'file') answer()
    if (focused?.contains(e.target as Node)) (answers--, focus && (focus.s = 0))
    focused = null
    // Changes made before the click and not yet delivered are not its answer (a person's click:
    // none are, they were delivered between the listeners of the events before it).
    e.isTrusted || changed(mo.takeRecords())
    ev = e
    task = ++seq
    if (e.isTrusted) task = 0
    else queueMicrotask(() => queueMicrotask(() => (task = 0)))
    if (bgScroll) ((frame = seq), requestAnimationFrame(() => (frame = 0)))
    st.t = c.t
    // Web components (open shadow roots): what was pressed may be inside one, and a component
    // may answer inside its own even for a press on content slotted into it, so every shadow root
    // on the event's path is watched too (an observer of the document sees nothing in them). A
    // replayed click has no path any more: its target stands for it.
    const path = e.composedPath()
    const target = (path[0] || e.target) as Element
    for (const n of path) if (n instanceof ShadowRoot) mo.observe(n, ALL)
    const f = fields(c.el)
    let m
    st.q.push({
      q: seq,
      t: at || c.t,
      k: e.ctrlKey || e.metaKey || e.shiftKey,
      x: e.clientX,
      y: e.clientY,
      c,
      target,
      // A replayed click carries the core's count of scrolls and selection changes then: as many
      // as since, and it compares with the live clicks after it.
      g: late ? answers + moved! - (m = moves()) : answers,
      m,
      h: c.h,
      v: values(f),
      f,
      l: late,
    })
    if (verdict) verdict()
    else if (verdict !== 0)
      ((verdict = 0), import('./verdict').then(guard((m: typeof import('./verdict')) => (verdict = m.start(ctx, st)))))
  }
  watch('click', click)
}
