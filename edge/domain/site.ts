/**
 * @module site: validation of a site definition (key, allowed origins, public config), as
 * given to the admin API or in demo-site/sites.json. Pure.
 */
import type { SiteConfig } from '../../snippet/core/wire'
import { isObject, type Result } from './validate'
import { surveysError } from './surveys'

export interface SiteInput {
  key: string
  name: string
  origins: string[]
  config: SiteConfig
}

const KEY = /^[A-Za-z0-9_-]{1,64}$/
const CONSENT = new Set(['opt-out', 'opt-in', 'cookieless'])

/** An origin is scheme://host[:port], as browsers send it in the Origin header. */
function origin(v: unknown): string | null {
  if (typeof v !== 'string') return null
  try {
    const u = new URL(v)
    return u.origin === v.replace(/\/$/, '') ? u.origin : null
  } catch {
    return null
  }
}

export function validateSite(key: string, body: unknown): Result<SiteInput> {
  if (!KEY.test(key)) return { ok: false, error: "site key may only contain letters, digits, '-' and '_' (1-64)" }
  if (!isObject(body)) return { ok: false, error: 'body must be a JSON object' }
  const name = body.name ?? key
  if (typeof name !== 'string' || name.length > 200)
    return { ok: false, error: 'name must be a string of at most 200 characters' }
  const origins = body.origins ?? []
  if (!Array.isArray(origins) || origins.length > 50)
    return { ok: false, error: 'origins must be an array of at most 50 origins' }
  const clean: string[] = []
  for (const o of origins) {
    const ok = origin(o)
    if (!ok) return { ok: false, error: `origins: ${JSON.stringify(o)} is not an origin like https://example.com` }
    clean.push(ok)
  }
  const config = body.config ?? {}
  if (!isObject(config)) return { ok: false, error: 'config must be an object' }
  if (config.consent !== undefined && !CONSENT.has(config.consent as string))
    return { ok: false, error: 'config.consent must be opt-out, opt-in or cookieless' }
  for (const list of ['funnels', 'slots', 'surveys'] as const) {
    const v = config[list]
    if (v === undefined) continue
    if (!Array.isArray(v) || v.some((x) => !isObject(x) || typeof x.id !== 'string' || !x.id))
      return { ok: false, error: `config.${list} must be an array of objects, each with an id` }
  }
  const surveys = config.surveys ? surveysError(config.surveys as unknown[]) : null
  if (surveys) return { ok: false, error: surveys }
  const max = config.outboxMax
  if (max !== undefined && !(typeof max === 'number' && Number.isInteger(max) && max >= 3 && max <= 100_000))
    return { ok: false, error: 'config.outboxMax must be a whole number from 3 to 100000' }
  if (JSON.stringify(config).length > 64 * 1024) return { ok: false, error: 'config is larger than 64 KB' }
  return { ok: true, value: { key, name, origins: clean, config: config as SiteConfig } }
}
