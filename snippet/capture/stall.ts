/**
 * Onboarding stalls: after `ciel('step', funnel, step)`, a visitor still on that step past its
 * `maxSeconds` (site config) gets a `stall` event at that moment, in the page, so a survey can
 * react live. A later step of the funnel cancels it.
 */
import type { Ctx } from '../contract/context'
import { guard } from '../core/guard'

export function init(ctx: Ctx) {
  const timers: { [funnel: string]: ReturnType<typeof setTimeout> } = {}
  const latest: { [funnel: string]: object } = {}
  ctx.listen((e) => {
    if (e.type !== 'step' || !e.name) return
    const funnel = e.name
    const step = String(e.props?.step)
    const me = (latest[funnel] = {})
    clearTimeout(timers[funnel])
    // The config may arrive after the step: the clock runs from the step's own time. Guarded:
    // a funnel without a steps list would otherwise be a rejection in the host page.
    ctx.ready.then(
      guard(() => {
        const max = ctx.config.funnels?.find((f) => f.id === funnel)?.steps.find((s) => s.id === step)?.maxSeconds
        if (max && latest[funnel] === me)
          timers[funnel] = setTimeout(
            () => ctx.emit('stall', { step, seconds: max }, funnel),
            max * 1000 - (Date.now() - e.ts),
          )
      }),
    )
  })
}
