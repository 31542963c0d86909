/**
 * @module state/visitor: a Durable Object per (site, visitor): the ids of its recent events
 * (so a retried batch counts once), its profile and survey history. Cloudflare runs one call
 * at a time per object, and SQLite writes here are synchronous, so concurrent batches of one
 * visitor never lose an update. One call per batch; the ingest route decides from the profile
 * this returns.
 *
 * An erased visitor keeps only a tombstone: its replayed events are acknowledged, never stored.
 */
import { DurableObject } from 'cloudflare:workers'
import type { Env } from '../env'
import { applyEvents, type Profile, type ProfileEvent } from '../domain/profile'

/** Event ids are remembered this long for deduplication (D1's primary key catches older replays). */
export const SEEN_DAYS = 35
const DAY = 86_400_000

export interface IngestResult {
  /** The visitor was erased: nothing of this batch may be stored. */
  erased: boolean
  /** Ids of the events this visitor had not sent before. */
  fresh: string[]
  profile: Profile | null
}

export interface ReadResult {
  erased: boolean
  profile: Profile | null
}

export class VisitorState extends DurableObject<Env> {
  private sql: SqlStorage
  /** The profile as stored (read once per instance). */
  private cached: Profile | null | undefined
  private erasedAt: number | null | undefined

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env)
    this.sql = ctx.storage.sql
    this.sql.exec(`CREATE TABLE IF NOT EXISTS seen (id TEXT PRIMARY KEY, day INTEGER NOT NULL) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS kv (k TEXT PRIMARY KEY, v TEXT NOT NULL) WITHOUT ROWID;`)
  }

  private get(k: string): string | null {
    const row = this.sql.exec<{ v: string }>('SELECT v FROM kv WHERE k = ?', k).toArray()[0]
    return row ? row.v : null
  }

  private put(k: string, v: string) {
    this.sql.exec('INSERT INTO kv (k, v) VALUES (?, ?) ON CONFLICT (k) DO UPDATE SET v = excluded.v', k, v)
  }

  private erased(): number | null {
    if (this.erasedAt === undefined) this.erasedAt = Number(this.get('erased')) || null
    return this.erasedAt
  }

  private load(): Profile | null {
    if (this.cached === undefined) {
      const text = this.get('profile')
      this.cached = text ? (JSON.parse(text) as Profile) : null
    }
    return this.cached
  }

  /** Records a batch: which events are new, and the profile brought up to date with them. */
  ingest(events: ProfileEvent[], session: string, now: number): IngestResult {
    if (this.erased()) return { erased: true, fresh: [], profile: null }
    const day = Math.floor(now / DAY)
    const rows = events.length
      ? this.sql
          .exec<{ id: string }>(
            `INSERT INTO seen (id, day) SELECT value, ? FROM json_each(?) WHERE 1
             ON CONFLICT (id) DO NOTHING RETURNING id`,
            day,
            JSON.stringify(events.map((e) => e.id)),
          )
          .toArray()
      : []
    const fresh = new Set(rows.map((r) => r.id))
    const before = this.load()
    if (!fresh.size) return { erased: false, fresh: [], profile: before }
    const profile = applyEvents(
      before,
      events.filter((e) => fresh.has(e.id)),
      session,
      now,
    )
    // Forget ids older than the dedupe window, at most once a day.
    const pruned = Number(this.get('pruned')) || 0
    if (day > pruned) {
      this.sql.exec('DELETE FROM seen WHERE day < ?', day - SEEN_DAYS)
      this.put('pruned', String(day))
    }
    this.put('profile', JSON.stringify(profile))
    this.cached = profile
    return { erased: false, fresh: [...fresh], profile }
  }

  /** The profile, for decisions on a page with nothing to send, and for the team. */
  read(): ReadResult {
    return this.erased() ? { erased: true, profile: null } : { erased: false, profile: this.load() }
  }

  /** Forgets everything about this visitor and keeps a tombstone with the time of erasure. */
  async erase(at: number): Promise<void> {
    await this.ctx.storage.deleteAll()
    this.sql.exec(`CREATE TABLE IF NOT EXISTS seen (id TEXT PRIMARY KEY, day INTEGER NOT NULL) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS kv (k TEXT PRIMARY KEY, v TEXT NOT NULL) WITHOUT ROWID;`)
    this.put('erased', String(at))
    this.erasedAt = at
    this.cached = null
  }
}

/** What callers use of a visitor's object (plain data in and out; spares the deep RPC types). */
export interface VisitorApi {
  ingest(events: ProfileEvent[], session: string, now: number): Promise<IngestResult>
  read(): Promise<ReadResult>
  erase(at: number): Promise<void>
}

/** The Durable Object of one visitor of one site. */
export const visitorState = (env: Env, site: string, visitor: string) =>
  env.VISITORS.getByName(`${site}:${visitor}`) as unknown as VisitorApi
