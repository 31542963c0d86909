/**
 * Makes visitor-supplied props fit the worker's limits instead of failing: long strings are
 * cut, extra keys and items dropped, deep values and non-JSON values (functions, NaN) left out,
 * so one odd call never gets a whole batch refused.
 */
import { LIMITS as L } from './limits'
import type { Json } from './wire'

const SKIP = /^(__proto__|constructor|prototype)$/

export function clean(v: unknown, depth = 0): Json | undefined {
  return v === null || typeof v == 'boolean'
    ? v
    : typeof v == 'number'
      ? isFinite(v)
        ? v
        : null
      : typeof v == 'string'
        ? v.slice(0, L.stringLength)
        : typeof v != 'object' || depth >= L.depth
          ? undefined
          : Array.isArray(v)
            ? v.slice(0, L.arrayLength).map((x) => clean(x, depth + 1) ?? null)
            : Object.fromEntries(
                Object.entries(v)
                  .filter(([k]) => k.length <= L.keyLength && !SKIP.test(k))
                  .map(([k, x]) => [k, clean(x, depth + 1)])
                  .filter(([, x]) => x !== undefined)
                  .slice(0, L.keysPerObject),
              )
}

/** Props for an event: a plain object, or nothing. */
export const cleanProps = (v: unknown) => {
  const c = v && typeof v == 'object' && !Array.isArray(v) ? (clean(v) as { [k: string]: Json }) : undefined
  return c && Object.keys(c).length ? c : undefined
}
