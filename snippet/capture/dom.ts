/**
 * Element descriptors, shared by every click-based signal. Private by construction: never an
 * input's value, and no text at all from password fields or from inside [data-ciel-mask].
 * A click handler reads as little as it can (it runs cold, once per click, on the page's time):
 * the element, its text and the URL then; the rest when a signal first asks, a moment later.
 */
import type { Props } from '../contract/context'

const ACTIVE = 'a,button,input,select,textarea,summary,label,[role],[onclick],[tabindex]'

/** The element a click was meant for: the nearest interactive ancestor, else the target. */
const clicked = (t: EventTarget | null): Element | null => (t instanceof Element ? t.closest(ACTIVE) || t : null)

/** A click as every click-based signal sees it: the element it was meant for, and its descriptor. */
export interface Click {
  el: Element
  /**
   * The page's URL at the click (read once for every signal: each read of it costs the click;
   * `document.URL`, not `location.href`, which costs a cold click handler three times as much).
   */
  h: string
  /** When it happened (ms since the epoch): one clock read for every signal. */
  t: number
  /** The descriptor, built the first time a signal asks for it, with the text as it was clicked. */
  d: () => NonNullable<Props>
}

let lastEvent: Event | undefined
let last: Click | null = null

/** The click of a click event, built once per event however many signals ask (they run in turn). */
export function clickOf(e: Event): Click | null {
  if (e !== lastEvent) {
    lastEvent = e
    const el = clicked(e.target)
    // Its text and classes as the visitor saw them: a toggle may change both the moment it is clicked.
    const text = el && (el.textContent || '').slice(0, 300)
    const cls = el && el.getAttribute('class')
    let d: NonNullable<Props> | undefined
    last = el && { el, h: document.URL, t: Date.now(), d: () => d || (d = describe(el, text!, cls)) }
  }
  return last
}

/** A short, stable selector: up to 4 levels, stopping at an id (`first`: the element's first class). */
function path(el: Element | null, first?: string): string {
  const parts: string[] = []
  for (let i = 0; el && el !== document.body && i < 4; el = el.parentElement, i++) {
    const c = i ? el.classList[0] : first
    parts.unshift(el.tagName.toLowerCase() + (el.id ? '#' + el.id : c ? '.' + c : ''))
    if (el.id) break
  }
  return parts.join('>')
}

/**
 * The element's descriptor. `text`, `cls`: its text and class attribute read earlier (at the
 * click); the text is kept only if the element is still in the page and not masked (a removed
 * element's ancestors are unknown).
 */
export function describe(el: Element, text = el.textContent || '', cls = el.getAttribute('class')): NonNullable<Props> {
  const classes = (cls || '').split(/\s+/).filter(Boolean).slice(0, 3)
  const d: NonNullable<Props> = { tag: el.tagName.toLowerCase(), path: path(el, classes[0]) }
  if (el.id) d.id = el.id
  // What names the element for its team, however its classes and ancestors change (hotspots
  // group by it, edge/domain/hotspots.ts): a name for analytics or for tests, its role.
  const name = el.getAttribute('data-ciel-name') || el.getAttribute('data-testid')
  if (name) d.name = name.slice(0, 100)
  const role = el.getAttribute('role')
  if (role) d.role = role.slice(0, 40)
  if (classes.length) d.classes = classes
  const a = el.closest('a')
  if (a?.href) d.href = a.href.split('#')[0]!.slice(0, 500)
  // No text from form fields (their text is their value), nor from masked or password fields.
  if (el.isConnected && !el.closest('[data-ciel-mask],input,textarea,select,[contenteditable]')) {
    text = text.replace(/\s+/g, ' ').trim().slice(0, 40)
    if (text) d.text = text
    // Its name for screen readers: visible to anyone with one, so masked as its text is.
    const label = el.getAttribute('aria-label')
    if (label) d.label = label.slice(0, 80)
  }
  return d
}
