/**
 * Form abandonment: a form whose fields were touched, left (navigation, tab hidden) without
 * being submitted. Reports field names only, never values. A hidden tab is reported at once (a
 * phone may close it without a word), so a visitor who only went for a code or a password and
 * comes back to submit gets a `form_submit` for that form: the dashboard does not count it.
 */
import type { Ctx } from '../contract/context'
import { on, onDoc } from '../core/guard'
import { live, type Watch } from './watch'

export function init(ctx: Ctx, watch: Watch = live) {
  const touched = new Map<HTMLFormElement, string[]>()
  /** Forms reported abandoned on this page (weakly: a form a single-page app removes is let go). */
  const left = new WeakSet<HTMLFormElement>()
  const id = (f: HTMLFormElement) => f.id || f.getAttribute('name') || ''
  const touch = (e: Event) => {
    const f = e.target as HTMLInputElement
    const name = f.name || f.id
    if (!f.form || !name) return
    const names = (touched.get(f.form) || []).filter((n) => n !== name)
    touched.set(f.form, [...names, name].slice(-20))
  }
  const leave = () => {
    touched.forEach((fields, f) => {
      left.add(f)
      ctx.emit('form_abandon', { form: id(f), fields, last: fields[fields.length - 1]! })
    })
    touched.clear()
  }
  watch('input', touch)
  watch('change', touch)
  watch('submit', (e: Event) => {
    const f = e.target as HTMLFormElement
    touched.delete(f)
    if (left.delete(f)) ctx.emit('form_submit', { form: id(f) })
  })
  onDoc('visibilitychange', () => document.hidden && leave())
  on('pagehide', leave)
  ctx.listen((e) => e.type === 'page_leave' && leave())
}
