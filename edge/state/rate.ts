/**
 * @module state/rate: the global count behind a rate limit. One Durable Object per counted
 * key (a site and client address, or an address's failed sign-ins), holding the count of the
 * current fixed window in memory: a flood needs counting for a minute, not for ever.
 *
 * Isolates add to it in batches (middleware/rate.ts), so ordinary traffic never calls it.
 */
import { DurableObject } from 'cloudflare:workers'
import type { Env } from '../env'

export class RateCounter extends DurableObject<Env> {
  private window = 0
  private count = 0

  /** Adds `n` to the count of `window` (a window number); answers the window's total. */
  add(window: number, n: number): number {
    if (window > this.window) ((this.window = window), (this.count = 0))
    if (window === this.window) this.count += n
    return window === this.window ? this.count : 0
  }
}

export interface RateApi {
  add(window: number, n: number): Promise<number>
}

export const rateCounter = (env: Env, key: string) => env.RATES.getByName(key) as unknown as RateApi
