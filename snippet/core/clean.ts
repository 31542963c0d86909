/**
 * Makes visitor-supplied props fit the worker's limits instead of failing: long strings are
 * cut, extra keys and items dropped, deep values and non-JSON values (functions, NaN) left out,
 * so one odd call never gets a whole batch refused.
 */
import { LIMITS as L } from '../contract/limits'
import type { Json } from '../contract/wire'

const SKIP = /^(__proto__|constructor|prototype)$/

export function clean(v: unknown, depth = 0): Json | undefined {
  if (v === null || typeof v == 'boolean') return v
  if (typeof v == 'number') return isFinite(v) ? v : null
  if (typeof v == 'string') return v.slice(0, L.stringLength)
  if (typeof v != 'object' || depth >= L.depth) return
  if (Array.isArray(v)) return v.slice(0, L.arrayLength).map((x) => clean(x, depth + 1) ?? null)
  // A loop, not a chain of entries/filter/map: each event's props pass here (fewer allocations).
  const o: { [k: string]: Json } = {}
  let n = 0
  for (const k of Object.keys(v)) {
    const x = k.length <= L.keyLength && !SKIP.test(k) ? clean((v as any)[k], depth + 1) : undefined
    if (x !== undefined && n++ < L.keysPerObject) o[k] = x
  }
  return o
}

/** Props for an event: a plain object, or nothing. */
export const cleanProps = (v: unknown) => {
  const c = v && typeof v == 'object' && !Array.isArray(v) ? (clean(v) as { [k: string]: Json }) : undefined
  return c && Object.keys(c).length ? c : undefined
}
