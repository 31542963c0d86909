/**
 * @module state/rate: the global count behind a rate limit. One Durable Object per counted
 * key (a site and client address, or an address's failed sign-ins), holding the counts of the
 * current one-minute window and the one before in memory (the limit slides over both:
 * middleware/rate.ts): a flood needs counting for a minute or two, not for ever.
 *
 * Isolates add to it in batches (middleware/rate.ts), so ordinary traffic never calls it.
 */
import { DurableObject } from 'cloudflare:workers'
import type { Env } from '../env'

export class RateCounter extends DurableObject<Env> {
  private window = 0
  private count = 0
  private previous = 0

  /**
   * Adds `n` to the count of `window` (a window number); answers the counts of the window before
   * it and of it. An isolate still on a past window (its clock behind) adds to it if it is the
   * one before, and hears nothing back.
   */
  add(window: number, n: number): [number, number] {
    if (window > this.window) {
      this.previous = window === this.window + 1 ? this.count : 0
      this.window = window
      this.count = 0
    }
    if (window === this.window) return [this.previous, (this.count += n)]
    if (window === this.window - 1) this.previous += n
    return [0, 0]
  }
}

export interface RateApi {
  add(window: number, n: number): Promise<[number, number]>
}

export const rateCounter = (env: Env, key: string) => env.RATES.getByName(key) as unknown as RateApi
