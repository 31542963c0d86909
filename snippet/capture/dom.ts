/**
 * Element descriptors, shared by every click-based signal. Private by construction: never an
 * input's value, and no text at all from password fields or from inside [data-ciel-mask].
 */
import type { Props } from '../core/context'

const ACTIVE = 'a,button,input,select,textarea,summary,label,[role],[onclick],[tabindex]'

/** The element a click was meant for: the nearest interactive ancestor, else the target. */
const clicked = (t: EventTarget | null): Element | null => (t instanceof Element ? t.closest(ACTIVE) || t : null)

/** A click as every click-based signal sees it: the element it was meant for, and its descriptor. */
export interface Click {
  el: Element
  /** The descriptor, built the first time a signal asks for it (the click capture does at once). */
  d: () => NonNullable<Props>
}

let lastEvent: Event | undefined
let last: Click | null = null

/** The click of a click event, built once per event however many signals ask (they run in turn). */
export function clickOf(e: Event): Click | null {
  if (e !== lastEvent) {
    lastEvent = e
    const el = clicked(e.target)
    let d: NonNullable<Props> | undefined
    last = el && { el, d: () => d || (d = describe(el)) }
  }
  return last
}

/** A short, stable selector: up to 4 levels, stopping at an id. */
function path(el: Element | null): string {
  const parts: string[] = []
  for (let i = 0; el && el !== document.body && i < 4; el = el.parentElement, i++) {
    parts.unshift(el.tagName.toLowerCase() + (el.id ? '#' + el.id : el.classList[0] ? '.' + el.classList[0] : ''))
    if (el.id) break
  }
  return parts.join('>')
}

/**
 * The element as it is now (read cheaply, at the click); its text, up to 40 characters with
 * whitespace collapsed, is tidied when first read (a moment later, outside the click handler).
 */
export function describe(el: Element): NonNullable<Props> {
  // No text from form fields (their text is their value), nor from masked or password fields.
  const raw = el.closest('[data-ciel-mask],input,textarea,select,[contenteditable]')
    ? ''
    : (el.textContent || '').slice(0, 300)
  const d: NonNullable<Props> = {
    tag: el.tagName.toLowerCase(),
    path: path(el),
    get text() {
      // No text: undefined, which JSON (and cleanProps) leave out.
      return raw.replace(/\s+/g, ' ').trim().slice(0, 40) || (undefined as any)
    },
  }
  if (el.id) d.id = el.id
  const classes = Array.from(el.classList).slice(0, 3)
  if (classes.length) d.classes = classes
  const a = el.closest('a')
  if (a?.href) d.href = a.href.split('#')[0]!.slice(0, 500)
  return d
}
