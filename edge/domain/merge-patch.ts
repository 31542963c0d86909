/**
 * @module merge-patch: JSON Merge Patch (RFC 7386), what `PATCH /v1/admin/sites/:key` applies.
 * Objects merge key by key, `null` deletes a key, anything else (arrays included) replaces. Pure.
 */
type Json = null | boolean | number | string | Json[] | { [key: string]: Json }

const isObject = (x: unknown): x is { [key: string]: Json } => typeof x === 'object' && x !== null && !Array.isArray(x)

export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return patch
  const out: { [key: string]: unknown } = isObject(target) ? { ...target } : {}
  for (const [k, v] of Object.entries(patch)) {
    if (k === '__proto__') continue
    if (v === null) delete out[k]
    else out[k] = mergePatch(out[k], v)
  }
  return out
}
