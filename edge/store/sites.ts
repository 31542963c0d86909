/**
 * @module store/sites: sites (public config, private settings, secret, version).
 * Every save increments `version`; isolates keep a copy of a site for a few seconds (cache.ts).
 */
import type { SiteConfig } from '../../snippet/core/wire'
import { DEFAULT_SETTINGS, type SiteInput, type Settings } from '../domain/site'
import { newSecret } from '../domain/identity'
import { json } from './json'

export interface SiteRow {
  key: string
  name: string
  origins: string[]
  config: SiteConfig
  /** Private settings with their defaults filled in (alerts have none: no webhook unless set). */
  settings: Required<Omit<Settings, 'alerts'>> & Pick<Settings, 'alerts'>
  version: number
  updatedAt: number
}

/** What ingest needs besides the row: the secret, and the events stored today (the quota). */
export interface SiteForIngest extends SiteRow {
  secret: string
  storedToday: number
}

type Row = {
  key: string
  name: string
  origins: string
  config: string
  settings: string
  version: number
  updated_at: number
  secret: string | null
  stored: number | null
}

const row = (r: Row): SiteRow => ({
  key: r.key,
  name: r.name,
  origins: json<string[]>(r.origins) ?? [],
  config: json<SiteConfig>(r.config) ?? {},
  settings: { ...DEFAULT_SETTINGS, ...json<Settings>(r.settings) },
  version: r.version,
  updatedAt: r.updated_at,
})

export async function getSite(db: D1Database, key: string): Promise<SiteRow | null> {
  const r = await db.prepare('SELECT * FROM sites WHERE key = ?').bind(key).first<Row>()
  return r ? row(r) : null
}

/** The site with its secret and today's stored events, in one query. */
export async function siteForIngest(db: D1Database, key: string, day: string): Promise<SiteForIngest | null> {
  const r = await db
    .prepare(
      `SELECT s.*, u.events AS stored FROM sites s LEFT JOIN usage u ON u.site = s.key AND u.day = ? WHERE s.key = ?`,
    )
    .bind(day, key)
    .first<Row>()
  return r ? { ...row(r), secret: r.secret ?? '', storedToday: r.stored ?? 0 } : null
}

export async function listSites(db: D1Database): Promise<{ key: string; name: string }[]> {
  const { results } = await db.prepare('SELECT key, name FROM sites ORDER BY key').all<{ key: string; name: string }>()
  return results
}

/** Creates or replaces a site; a site without a secret gets one. */
export async function putSite(db: D1Database, site: SiteInput, now: number): Promise<void> {
  await db
    .prepare(
      `INSERT INTO sites (key, name, origins, config, settings, secret, version, updated_at) VALUES (?, ?, ?, ?, ?, ?, 1, ?)
       ON CONFLICT (key) DO UPDATE SET name = excluded.name, origins = excluded.origins, config = excluded.config,
         settings = excluded.settings, secret = coalesce(secret, excluded.secret), version = version + 1,
         updated_at = excluded.updated_at`,
    )
    .bind(
      site.key,
      site.name,
      JSON.stringify(site.origins),
      JSON.stringify(site.config),
      JSON.stringify(site.settings),
      newSecret(),
      now,
    )
    .run()
}

/** The site's secret (identity hashes are HMACs keyed by it). */
export async function siteSecret(db: D1Database, key: string): Promise<string | null> {
  const r = await db.prepare('SELECT secret FROM sites WHERE key = ?').bind(key).first<{ secret: string | null }>()
  return r?.secret ?? null
}

/** Replaces the site's secret (hashes made with the old one stop verifying). */
export async function rotateSecret(db: D1Database, key: string, now: number): Promise<string> {
  const secret = newSecret()
  await db
    .prepare('UPDATE sites SET secret = ?, version = version + 1, updated_at = ? WHERE key = ?')
    .bind(secret, now, key)
    .run()
  return secret
}
