/**
 * Element descriptors, shared by every click-based signal. Private by construction: never an
 * input's value, and no text at all from password fields or from inside [data-ciel-mask].
 */
import type { Props } from '../core/context'

const ACTIVE = 'a,button,input,select,textarea,summary,label,[role],[onclick],[tabindex]'

/** The element a click was meant for: the nearest interactive ancestor, else the target. */
export const clicked = (t: EventTarget | null): Element | null => (t instanceof Element ? t.closest(ACTIVE) || t : null)

/** A short, stable selector: up to 4 levels, stopping at an id. */
function path(el: Element | null): string {
  const parts: string[] = []
  for (let i = 0; el && el !== document.body && i < 4; el = el.parentElement, i++) {
    parts.unshift(el.tagName.toLowerCase() + (el.id ? '#' + el.id : el.classList[0] ? '.' + el.classList[0] : ''))
    if (el.id) break
  }
  return parts.join('>')
}

export function describe(el: Element): NonNullable<Props> {
  const d: NonNullable<Props> = { tag: el.tagName.toLowerCase(), path: path(el) }
  if (el.id) d.id = el.id
  const classes = Array.from(el.classList).slice(0, 3)
  if (classes.length) d.classes = classes
  const a = el.closest('a')
  if (a?.href) d.href = a.href.split('#')[0]!.slice(0, 500)
  // No text from form fields (their text is their value), nor from masked or password fields.
  if (!el.closest('[data-ciel-mask],input,textarea,select,[contenteditable]')) {
    const text = (el.textContent || '').replace(/\s+/g, ' ').trim().slice(0, 40)
    if (text) d.text = text
  }
  return d
}
