/**
 * @module store/sites: sites (public config, private settings, secret, version).
 * Every save increments `version`; isolates keep a copy of a site for a few seconds (cache.ts).
 */
import type { SiteConfig } from '../../snippet/contract/wire'
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

/** Versions kept per site. */
export const KEPT_VERSIONS = 20

/**
 * Creates or replaces a site, keeping the result as a new version (who saved it, when) and
 * the newest 20 versions; a site without a secret gets one. One transaction.
 */
export async function putSite(db: D1Database, site: SiteInput, now: number, by = 'admin'): Promise<void> {
  await db.batch([
    db
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
      ),
    db
      .prepare(
        `INSERT OR REPLACE INTO site_versions (site, version, name, origins, config, settings, by, at)
         SELECT key, version, name, origins, config, settings, ?, updated_at FROM sites WHERE key = ?`,
      )
      .bind(by, site.key),
    db
      .prepare(
        `DELETE FROM site_versions WHERE site = ?1
         AND version <= (SELECT max(version) FROM site_versions WHERE site = ?1) - ?2`,
      )
      .bind(site.key, KEPT_VERSIONS),
  ])
}

export interface SiteVersion {
  version: number
  name: string
  origins: string[]
  config: SiteConfig
  settings: Settings
  /** Who saved it: `admin` (the admin token) or `key:<id>` (an API key). */
  by: string
  at: number
}

type VersionRow = {
  version: number
  name: string
  origins: string
  config: string
  settings: string
  by: string
  at: number
}
const versionRow = (r: VersionRow): SiteVersion => ({
  version: r.version,
  name: r.name,
  origins: json<string[]>(r.origins) ?? [],
  config: json<SiteConfig>(r.config) ?? {},
  settings: json<Settings>(r.settings) ?? {},
  by: r.by,
  at: r.at,
})

/** The kept versions of a site, newest first (without their configs). */
export async function listVersions(db: D1Database, key: string) {
  const { results } = await db
    .prepare('SELECT version, name, by, at FROM site_versions WHERE site = ? ORDER BY version DESC')
    .bind(key)
    .all<{ version: number; name: string; by: string; at: number }>()
  return results
}

export async function getVersion(db: D1Database, key: string, version: number): Promise<SiteVersion | null> {
  const r = await db
    .prepare('SELECT * FROM site_versions WHERE site = ? AND version = ?')
    .bind(key, version)
    .first<VersionRow>()
  return r ? versionRow(r) : null
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
