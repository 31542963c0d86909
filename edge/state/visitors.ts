/**
 * @module state/visitors: visitors' state in Durable Objects, a site's visitors spread over
 * SHARDS objects by a hash of their id. Each object keeps, per visitor, the ids of its recent
 * events (so a retried batch counts once), its profile and survey history, which offer each of
 * its counted survey answers came with, and a tombstone once erased; and, for everyone, the outbox of accepted batches on their way to D1.
 *
 * One call per batch (two when it carries signed survey answers): the object runs one call at a time and its SQLite writes are
 * transactional, so concurrent batches of one visitor never lose an update, and the page is
 * answered only after the batch is durable here. An alarm then sends the outbox to the ingest
 * queue in large batches (the consumer writes D1), with the profiles that changed.
 *
 * Why shards and not an object per visitor: measured on one `wrangler dev`, a call to one of a
 * thousand per-visitor objects (each its own SQLite file) cost three times a call to one of a
 * few shared ones; sixteen objects per site hold far more than a million pageviews a day
 * (ARCHITECTURE.md).
 */
import { DurableObject } from 'cloudflare:workers'
import type { Env } from '../env'
import { applyEvents, type Profile, type ProfileEvent, type ProfileSpec, type RequestContext } from '../domain/profile'
import type { IngestBatch, IngestPacket } from '../jobs/messages'
import type { AnswerClaim } from '../domain/answers'
import { holdings } from '../store/personal-data'
import { capLoss } from '../domain/ingest'

/** Objects per site. Fixed: a visitor's state lives in the object its id hashes to. */
export const SHARDS = 16
/** Event ids are remembered this long for deduplication (D1's primary key catches older replays). */
export const SEEN_DAYS = 35
/** How long accepted batches gather before they go to the queue together. */
export const FLUSH_MS = 1000
/**
 * How often changed profiles go to D1 (the visitors table the dashboard reads). A visitor who
 * keeps sending changes their profile with every batch; sent at most this often, the profile of
 * an active visitor is written once per interval instead of once per batch (the events still
 * go every FLUSH_MS).
 */
export const PROFILE_MS = 5000
const DAY = 86_400_000
const MAX_CACHED = 5000
/** A queue message holds 128 KB, a sendBatch 256 KB (UTF-8 of the JSON): keep under both. */
const PACKET_BYTES = 110_000
const SEND_BYTES = 220_000
const encoder = new TextEncoder()
const utf8 = (s: string) => encoder.encode(s).length

/**
 * The size a batch will have in the queue (UTF-8 of its JSON): for printable ASCII events (the
 * usual case) counted without serialising them again (each quote or backslash gains one when
 * the text is escaped); anything else measured.
 */
export function queueBytes(batch: IngestBatch): number {
  const { rows, ...rest } = batch
  if (!/^[\x20-\x7e]*$/.test(rows)) return utf8(JSON.stringify(batch))
  let escapes = 0
  for (let i = 0; i < rows.length; i++) {
    const c = rows.charCodeAt(i)
    if (c === 34 || c === 92) escapes++
  }
  return utf8(JSON.stringify(rest)) + rows.length + escapes + 10
}

/**
 * A batch as items the queue accepts: itself, or (should its JSON exceed a packet, which the
 * route's 50 KB parts make all but impossible) its events split in halves until each fits.
 * Never a batch the queue refuses for ever, holding up the outbox behind it.
 */
function fit(batch: IngestBatch): { batch: IngestBatch; bytes: number }[] {
  const bytes = queueBytes(batch)
  if (bytes <= PACKET_BYTES) return [{ batch, bytes }]
  const events = JSON.parse(batch.rows) as unknown[]
  if (events.length < 2) {
    console.error(`ciel: an event of ${bytes} bytes cannot go through the queue; dropped`)
    return []
  }
  const half = Math.ceil(events.length / 2)
  return [
    ...fit({ ...batch, rows: JSON.stringify(events.slice(0, half)) }),
    ...fit({
      ...batch,
      rows: JSON.stringify(events.slice(half)),
      fresh: 0,
      loss: undefined,
      profileJson: undefined,
      profile: undefined,
    }),
  ]
}
/** FNV-1a: a stable, well-spread shard for a visitor id. */
export function shardOf(visitor: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < visitor.length; i++) h = Math.imul(h ^ visitor.charCodeAt(i), 0x01000193)
  return (h >>> 0) % SHARDS
}

export interface IngestResult {
  /** The visitor was erased: nothing of this batch may be stored. */
  erased: boolean
  /** Ids of the events this visitor had not sent before. */
  fresh: string[]
  /** The profile after this batch (what decisions, segments and survey targeting read). */
  profile: Profile | null
}

export interface ReadResult {
  erased: boolean
  profile: Profile | null
}

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS seen (id TEXT PRIMARY KEY, visitor TEXT NOT NULL, day INTEGER NOT NULL) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS profiles (visitor TEXT PRIMARY KEY, profile TEXT NOT NULL, dirty INTEGER NOT NULL) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS erased (visitor TEXT PRIMARY KEY, at INTEGER NOT NULL) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS outbox (seq INTEGER PRIMARY KEY, visitor TEXT NOT NULL, meta TEXT NOT NULL, rows TEXT NOT NULL, fresh INTEGER NOT NULL);
  CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT NOT NULL) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS answered (visitor TEXT NOT NULL, survey TEXT NOT NULL, q TEXT NOT NULL, id TEXT NOT NULL,
    at INTEGER NOT NULL, PRIMARY KEY (visitor, survey, q)) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS loss (visitor TEXT NOT NULL, day INTEGER NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (visitor, day)) WITHOUT ROWID;`

export class VisitorShard extends DurableObject<Env> {
  private sql: SqlStorage
  private profiles = new Map<string, Profile | null>()
  private tombstones = new Map<string, boolean>()
  /** When the alarm is set for (0: not set; undefined: not read yet). */
  private armedAt: number | undefined
  private failures = 0
  /** When this object last sent its changed profiles (0 after a restart: the next alarm sends them). */
  private profilesAt = 0
  /** The site these visitors belong to (kept in meta: the alarm needs it). */
  private site = ''

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env)
    this.sql = ctx.storage.sql
    this.sql.exec(SCHEMA)
  }

  private erased(visitor: string): boolean {
    let e = this.tombstones.get(visitor)
    if (e === undefined) {
      e = this.sql.exec('SELECT 1 FROM erased WHERE visitor = ?', visitor).toArray().length > 0
      this.remember(this.tombstones, visitor, e)
    }
    return e
  }

  private profile(visitor: string): Profile | null {
    let p = this.profiles.get(visitor)
    if (p === undefined) {
      const row = this.sql
        .exec<{ profile: string }>('SELECT profile FROM profiles WHERE visitor = ?', visitor)
        .toArray()[0]
      p = row ? (JSON.parse(row.profile) as Profile) : null
      this.remember(this.profiles, visitor, p)
    }
    return p
  }

  /** Bounded caches: the oldest entries go first. */
  private remember<T>(map: Map<string, T>, key: string, value: T) {
    map.delete(key)
    if (map.size >= MAX_CACHED) map.delete(map.keys().next().value!)
    map.set(key, value)
  }

  /** Sets the alarm for `at`, unless it is set for earlier already. */
  private async arm(at = Date.now() + FLUSH_MS) {
    if (this.armedAt === undefined) this.armedAt = (await this.ctx.storage.getAlarm()) ?? 0
    // Backing off from a failing queue: batches arriving meanwhile do not bring the retry forward.
    if (this.failures && this.armedAt) return
    if (!this.armedAt || this.armedAt > at) {
      this.armedAt = at
      await this.ctx.storage.setAlarm(at)
    }
  }

  /**
   * Records a batch of `visitor`: which events are new, the profile brought up to date with
   * them, and the batch's queue messages, kept until the alarm has sent them.
   */
  async ingest(
    site: string,
    visitor: string,
    session: string,
    events: ProfileEvent[],
    now: number,
    outgoing: IngestBatch[],
    spec: ProfileSpec = {},
    request: RequestContext = {},
  ): Promise<IngestResult> {
    if (this.erased(visitor)) return { erased: true, fresh: [], profile: null }
    const day = Math.floor(now / DAY)
    const fresh = events.length
      ? this.sql
          .exec<{ id: string }>(
            `INSERT INTO seen (id, visitor, day) SELECT value, ?, ? FROM json_each(?) WHERE 1
             ON CONFLICT (id) DO NOTHING RETURNING id`,
            visitor,
            day,
            JSON.stringify(events.map((e) => e.id)),
          )
          .toArray()
          .map((r) => r.id)
      : []
    let profile = this.profile(visitor)
    if (fresh.length) {
      const news = new Set(fresh)
      profile = applyEvents(
        profile,
        events.filter((e) => news.has(e.id)),
        session,
        now,
        spec,
        request,
        visitor,
      )
      this.sql.exec(
        `INSERT INTO profiles (visitor, profile, dirty) VALUES (?, ?, 1)
         ON CONFLICT (visitor) DO UPDATE SET profile = excluded.profile, dirty = 1`,
        visitor,
        JSON.stringify(profile),
      )
      this.remember(this.profiles, visitor, profile)
    }
    const last = outgoing[outgoing.length - 1]
    if (last?.loss && (last.loss.evicted || last.loss.dropped)) {
      const counted = this.countLoss(visitor, day, last.loss)
      if (counted.evicted || counted.dropped || counted.rejected) last.loss = counted
      else delete last.loss
    }
    // The events' JSON text is stored as is, apart from the rest (no escaping it twice).
    outgoing.forEach(({ rows, ...meta }, i) =>
      this.sql.exec(
        'INSERT INTO outbox (visitor, meta, rows, fresh) VALUES (?, ?, ?, ?)',
        visitor,
        JSON.stringify(meta),
        rows,
        i === outgoing.length - 1 ? fresh.length : 0,
      ),
    )
    if (outgoing.length || fresh.length) {
      if (!this.site) this.sql.exec("INSERT OR IGNORE INTO meta (k, v) VALUES ('site', ?)", site)
      this.site = site
      await this.arm()
    }
    return { erased: false, fresh, profile }
  }

  /**
   * Which of these signed answers do not count (domain/answers.ts): per survey question, the
   * visitor's counted answer and its offer's time are kept; an answer counts if it is that one
   * (a retried batch), or if its offer was made a whole re-ask period after that one's (then it
   * takes its place). Run one call at a time, so two batches racing with one offer count once.
   */
  claimAnswers(visitor: string, claims: AnswerClaim[]): string[] {
    if (this.erased(visitor)) return claims.map((c) => c.id)
    const extra: string[] = []
    for (const c of claims) {
      const had = this.sql
        .exec<{ id: string; at: number }>(
          'SELECT id, at FROM answered WHERE visitor = ? AND survey = ? AND q = ?',
          visitor,
          c.survey,
          c.q,
        )
        .toArray()[0]
      if (had?.id === c.id) continue
      if (had && c.at - had.at < c.period) extra.push(c.id)
      else
        this.sql.exec(
          'INSERT OR REPLACE INTO answered (visitor, survey, q, id, at) VALUES (?, ?, ?, ?, ?)',
          visitor,
          c.survey,
          c.q,
          c.id,
          c.at,
        )
    }
    return extra
  }

  /** What the visitor reports lost, within what it may still report today (domain/ingest.ts). */
  private countLoss<L extends { evicted: number; dropped: number }>(visitor: string, day: number, loss: L): L {
    const used =
      this.sql.exec<{ n: number }>('SELECT n FROM loss WHERE visitor = ? AND day = ?', visitor, day).toArray()[0]?.n ??
      0
    const counted = capLoss(loss, used)
    const n = counted.evicted + counted.dropped
    if (n)
      this.sql.exec(
        `INSERT INTO loss (visitor, day, n) VALUES (?, ?, ?) ON CONFLICT (visitor, day) DO UPDATE SET n = n + excluded.n`,
        visitor,
        day,
        n,
      )
    return counted
  }

  /** The profile of a visitor, for decisions on a page with nothing to send, and for the team. */
  read(visitor: string): ReadResult {
    return this.erased(visitor) ? { erased: true, profile: null } : { erased: false, profile: this.profile(visitor) }
  }

  /**
   * Forgets these visitors (state, unsent batches) and keeps a tombstone with the time of
   * erasure; answers how many of their events were still waiting to be sent (and now never will).
   */
  erase(visitors: string[], at: number): number {
    const list = JSON.stringify(visitors)
    const unsent =
      this.sql
        .exec<{ n: number | null }>(
          `SELECT sum(json_array_length(rows)) AS n FROM outbox
           WHERE visitor IN (SELECT value FROM json_each(?))`,
          list,
        )
        .toArray()[0]?.n ?? 0
    this.ctx.storage.transactionSync(() => {
      for (const { name } of holdings('shard', 'deleted'))
        this.sql.exec(`DELETE FROM ${name} WHERE visitor IN (SELECT value FROM json_each(?))`, list)
      this.sql.exec(`INSERT OR IGNORE INTO erased (visitor, at) SELECT value, ? FROM json_each(?)`, at, list)
    })
    for (const v of visitors) {
      this.remember(this.tombstones, v, true)
      this.profiles.delete(v)
    }
    return unsent
  }

  /**
   * Sends the outbox, and the changed profiles unless `profiles` is false, to the ingest queue
   * (the alarm; tests call it too).
   */
  async flush(profiles = true): Promise<number> {
    const started = Date.now()
    this.site ||= this.sql.exec<{ v: string }>("SELECT v FROM meta WHERE k = 'site'").toArray()[0]?.v ?? ''
    let sent = 0
    for (;;) {
      // One sendBatch of packets, each packing many page batches; sizes are measured as the
      // queue measures them (UTF-8 of the JSON), or a packet over 128 KB is refused whole.
      const rows = this.sql
        .exec<{ seq: number; meta: string; rows: string; fresh: number }>(
          'SELECT seq, meta, rows, fresh FROM outbox ORDER BY seq LIMIT 1000',
        )
        .toArray()
      const items: { batch: IngestBatch; bytes: number; profile?: string }[] = []
      let total = 0
      let used = 0
      for (const r of rows) {
        const parts = fit({ ...JSON.parse(r.meta), rows: r.rows, fresh: r.fresh })
        const bytes = parts.reduce((a, p) => a + p.bytes, 0)
        if (items.length && total + bytes > SEND_BYTES) break
        items.push(...parts)
        total += bytes
        used++
      }
      const n = items.length
      for (const d of profiles ? this.dirtyProfiles() : []) {
        const bytes = queueBytes(d.batch)
        if (total + bytes > SEND_BYTES) break
        items.push({ ...d, bytes })
        total += bytes
      }
      if (!items.length) {
        if (profiles) this.profilesAt = started
        return sent
      }
      const packets: IngestPacket[] = []
      let packet: IngestBatch[] = []
      let bytes = 0
      for (const it of items) {
        if (packet.length && bytes + it.bytes > PACKET_BYTES) {
          packets.push({ batches: packet })
          ;((packet = []), (bytes = 0))
        }
        packet.push(it.batch)
        bytes += it.bytes
      }
      packets.push({ batches: packet })
      await this.env.INGEST.sendBatch(packets.map((body) => ({ body })))
      this.failures = 0
      if (used) this.sql.exec('DELETE FROM outbox WHERE seq <= ?', rows[used - 1]!.seq)
      // Sent profiles are clean unless they changed while the queue answered (one statement).
      if (items.length > n)
        this.sql.exec(
          `UPDATE profiles SET dirty = 0 FROM (SELECT value ->> 0 AS v, value ->> 1 AS p FROM json_each(?)) AS s
           WHERE profiles.visitor = s.v AND profiles.profile = s.p`,
          JSON.stringify(items.slice(n).map((it) => [it.batch.visitor, it.profile])),
        )
      sent += items.length
    }
  }

  /** Profiles changed since they were last sent, as profile-only batches. */
  private dirtyProfiles() {
    return this.sql
      .exec<{ visitor: string; profile: string; events: number | null }>(
        "SELECT visitor, profile, profile ->> '$.events' AS events FROM profiles WHERE dirty = 1 LIMIT 500",
      )
      .toArray()
      .map((r) => {
        const batch: IngestBatch = {
          site: this.site,
          visitor: r.visitor,
          session: '',
          receivedAt: Date.now(),
          rows: '[]',
          fresh: 0,
          profileJson: r.profile,
          profileEvents: r.events ?? 0,
        }
        return { batch, profile: r.profile }
      })
  }

  async alarm(): Promise<void> {
    this.armedAt = 0
    const now = Date.now()
    const day = Math.floor(now / DAY)
    const profiles = now - this.profilesAt >= PROFILE_MS
    try {
      await this.flush(profiles)
      this.failures = 0
      // Forget ids older than the dedupe window, at most once a day.
      const pruned = Number(this.sql.exec<{ v: string }>("SELECT v FROM meta WHERE k = 'pruned'").toArray()[0]?.v ?? 0)
      if (day > pruned) {
        this.sql.exec('DELETE FROM seen WHERE day < ?', day - SEEN_DAYS)
        this.sql.exec('DELETE FROM loss WHERE day < ?', day)
        this.sql.exec("INSERT OR REPLACE INTO meta (k, v) VALUES ('pruned', ?)", String(day))
      }
    } catch (e) {
      // The queue refused: try again, backing off, for as long as it takes (nothing is dropped).
      this.failures += 1
      console.error(`ciel: visitor shard could not flush to the queue (attempt ${this.failures})`, e)
      await this.arm(Date.now() + Math.min(300_000, 1000 * 2 ** this.failures))
      return
    }
    // Batches that arrived during the flush wait for the next alarm; profiles left for later
    // (they were sent less than PROFILE_MS ago) wait for theirs.
    if (this.sql.exec('SELECT 1 FROM outbox LIMIT 1').toArray().length) await this.arm()
    else if (!profiles) await this.arm(this.profilesAt + PROFILE_MS)
  }
}

/**
 * What callers use of a shard: its methods as a remote call answers them (plain data in and
 * out; spares the RPC stub's deep types).
 */
export type ShardApi = {
  [K in 'ingest' | 'claimAnswers' | 'read' | 'erase' | 'flush']: VisitorShard[K] extends (...a: infer A) => infer R
    ? (...a: A) => Promise<Awaited<R>>
    : never
}

/** The object holding a visitor's state. */
export const shardOfVisitor = (env: Env, site: string, visitor: string) =>
  env.VISITORS.getByName(`${site}:${shardOf(visitor)}`) as unknown as ShardApi

/** Every shard of a site (erasure across visitors, tests). */
export const shardsOf = (env: Env, site: string) =>
  Array.from({ length: SHARDS }, (_, i) => env.VISITORS.getByName(`${site}:${i}`) as unknown as ShardApi)
