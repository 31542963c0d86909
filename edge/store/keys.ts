/**
 * @module store/keys: per-site API keys with scopes. A key is `ciel_<id>_<secret>`; only the
 * SHA-256 of the secret is stored, so a leaked database leaks no usable key.
 */
import type { Scope } from '../env'
import { json } from './json'

export interface KeyRow {
  id: string
  site: string
  name: string
  scopes: Scope[]
  createdAt: number
  revokedAt: number | null
  usedAt: number | null
}

const encoder = new TextEncoder()
export async function sha256(text: string): Promise<string> {
  const d = new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(text)))
  return Array.from(d, (b) => b.toString(16).padStart(2, '0')).join('')
}

const hex = (bytes: number) =>
  Array.from(crypto.getRandomValues(new Uint8Array(bytes)), (b) => b.toString(16).padStart(2, '0')).join('')

const keyRow = (r: Record<string, any>): KeyRow => ({
  id: r.id,
  site: r.site,
  name: r.name,
  scopes: json<Scope[]>(r.scopes) ?? [],
  createdAt: r.created_at,
  revokedAt: r.revoked_at,
  usedAt: r.used_at,
})

/** Creates a key; the token is answered once and never stored. */
export async function createKey(
  db: D1Database,
  site: string,
  name: string,
  scopes: Scope[],
  now: number,
): Promise<{ key: KeyRow; token: string }> {
  const id = hex(6)
  const secret = hex(24)
  await db
    .prepare('INSERT INTO api_keys (id, site, name, hash, scopes, created_at) VALUES (?, ?, ?, ?, ?, ?)')
    .bind(id, site, name, await sha256(secret), JSON.stringify(scopes), now)
    .run()
  return {
    key: { id, site, name, scopes, createdAt: now, revokedAt: null, usedAt: null },
    token: `ciel_${id}_${secret}`,
  }
}

export async function listKeys(db: D1Database, site: string): Promise<KeyRow[]> {
  const { results } = await db
    .prepare('SELECT * FROM api_keys WHERE site = ? ORDER BY created_at DESC')
    .bind(site)
    .all<Record<string, any>>()
  return results.map(keyRow)
}

/** Revokes a key of the site; answers false when the site has no such key. */
export async function revokeKey(db: D1Database, site: string, id: string, now: number): Promise<boolean> {
  const r = await db
    .prepare('UPDATE api_keys SET revoked_at = coalesce(revoked_at, ?) WHERE site = ? AND id = ?')
    .bind(now, site, id)
    .run()
  return (r.meta.changes ?? 0) > 0
}

/** The live key a token stands for, or null (unknown, wrong secret, revoked). */
export async function keyOfToken(db: D1Database, token: string): Promise<KeyRow | null> {
  const m = /^ciel_([0-9a-f]{12})_([0-9a-f]{48})$/.exec(token)
  if (!m) return null
  const r = await db.prepare('SELECT * FROM api_keys WHERE id = ?').bind(m[1]).first<Record<string, any>>()
  if (!r || r.revoked_at !== null) return null
  const hash = await sha256(m[2]!)
  let diff = 0
  for (let i = 0; i < hash.length; i++) diff |= hash.charCodeAt(i) ^ (r.hash as string).charCodeAt(i)
  return diff === 0 ? keyRow(r) : null
}

/** Remembers when a key was last used (at most one write a minute per key). */
export async function touchKey(db: D1Database, id: string, now: number): Promise<void> {
  await db
    .prepare('UPDATE api_keys SET used_at = ?1 WHERE id = ?2 AND (used_at IS NULL OR used_at < ?1 - 60000)')
    .bind(now, id)
    .run()
}
