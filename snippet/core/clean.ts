/**
 * Makes visitor-supplied props fit the worker's limits instead of failing: long strings are
 * cut, extra keys and items dropped, deep values and non-JSON values (functions, NaN) left out.
 */
import { LIMITS as L } from './limits'
import type { Json } from './wire'

const SKIP = /^(__proto__|constructor|prototype)$/

export function clean(v: unknown, depth = 0): Json | undefined {
  if (v === null || typeof v === 'boolean') return v
  if (typeof v === 'number') return Number.isFinite(v) ? v : null
  if (typeof v === 'string') return v.slice(0, L.stringLength)
  if (typeof v !== 'object' || depth >= L.depth) return undefined
  if (Array.isArray(v))
    return v
      .slice(0, L.arrayLength)
      .map((x) => clean(x, depth + 1))
      .filter((x) => x !== undefined) as Json[]
  const out: { [k: string]: Json } = {}
  let n = 0
  for (const k in v) {
    if (n >= L.keysPerObject) break
    if (!Object.prototype.hasOwnProperty.call(v, k) || SKIP.test(k) || k.length > L.keyLength) continue
    const c = clean((v as Record<string, unknown>)[k], depth + 1)
    if (c !== undefined) (out[k] = c), n++
  }
  return out
}

/** Props for an event: a plain object, or nothing. */
export const cleanProps = (v: unknown) => {
  const c = v && typeof v === 'object' && !Array.isArray(v) ? clean(v) : undefined
  return c && Object.keys(c).length ? (c as { [k: string]: Json }) : undefined
}
