/**
 * Form abandonment: a form whose fields were touched, left (navigation, tab hidden) without
 * being submitted. Reports field names only, never values.
 */
import type { Ctx } from '../core/context'
import { on, onDoc } from '../core/guard'
import { live, type Watch } from './watch'

export function init(ctx: Ctx, watch: Watch = live) {
  const touched = new Map<HTMLFormElement, string[]>()
  const touch = (e: Event) => {
    const f = e.target as HTMLInputElement
    const name = f.name || f.id
    if (!f.form || !name) return
    const names = (touched.get(f.form) || []).filter((n) => n !== name)
    touched.set(f.form, [...names, name].slice(-20))
  }
  const leave = () => {
    touched.forEach((fields, f) =>
      ctx.emit('form_abandon', {
        form: f.id || f.getAttribute('name') || '',
        fields,
        last: fields[fields.length - 1]!,
      }),
    )
    touched.clear()
  }
  watch('input', touch)
  watch('change', touch)
  watch('submit', (e: Event) => touched.delete(e.target as HTMLFormElement))
  onDoc('visibilitychange', () => document.hidden && leave())
  on('pagehide', leave)
  ctx.listen((e) => e.type === 'page_leave' && leave())
}
