/**
 * What capture modules get from the core. Each module in snippet/capture exports
 * `init(ctx)`, adds its own (guarded) listeners, and calls ctx.emit. Nothing else is shared.
 */
import type { SiteConfig, WireEvent } from './wire'

export type Props = WireEvent['props']

export interface Ctx {
  /**
   * Records an event; held in memory until consent allows storing or sending it. `url` and `ts`
   * (ms since the epoch): the page and the moment it happened, when that was earlier than now.
   * `hash`: the proof an identify or a survey event carries (the site's hash of the user id; the
   * worker's signed survey offer).
   */
  emit(type: string, props?: Props, name?: string, url?: string, ts?: number, hash?: string): void
  /** The site config: {} until GET /v1/config answers, then replaced. Read it when you need it. */
  config: SiteConfig
  /** Resolves once the site config has arrived (or failed: then it stays {}). */
  ready: Promise<unknown>
  /** In-page bus: every recorded event is also handed to these listeners (surveys react live). */
  listen(fn: (e: WireEvent) => void): void
}

export type Capture = (ctx: Ctx) => void
