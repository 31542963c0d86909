/** Pageviews. */
import type { Ctx } from '../core/context'
import { cleanProps } from '../core/clean'

export function init(ctx: Ctx) {
  ctx.emit('pageview', cleanProps({ title: document.title, ref: document.referrer || undefined }))
}
