/**
 * @module jobs/messages: what travels through the worker's queues, and how an accepted batch
 * becomes ingest messages. Pure.
 */
import type { PreparedEvent } from '../domain/ingest'
import type { Profile } from '../domain/profile'
import { FLAG, UNCOUNTED } from '../domain/flags'
import { ANSWER_TYPES, answerText } from '../domain/answer-text'
import { sizeBound } from '../domain/batch'
import type { AlertAnswer } from '../domain/alerts'

/**
 * What goes through the ingest queue: many accepted batches at once (a visitor shard packs what
 * gathered in its outbox), at most ~120 KB: fewer, larger messages cost the queue less.
 */
export interface IngestPacket {
  batches: IngestBatch[]
}

/** An accepted batch of a page (or part of one, if it was large) on its way to D1. */
export interface IngestBatch {
  site: string
  visitor: string
  session: string
  receivedAt: number
  /**
   * Every event of the batch, new or retried (D1's primary key stores each once), as the JSON
   * text of an array of PreparedEvent: a string crosses the queue for the price of a copy, and
   * the consumer hands it to SQLite's json_each without parsing it.
   */
  rows: string
  /** Events the visitor's state had not seen before (what the daily quota counts). */
  fresh: number
  /** Users the batch's identify events link the visitor to (verified where the site verifies): [user id, time]. */
  identities?: [string, number][]
  /** Cookieless page ids that a `consent` event of the batch links to this visitor. */
  aliases?: string[]
  /** Loss the snippet reported, and events the worker refused one by one. */
  loss?: { evicted: number; dropped: number; rejected: number }
  /**
   * The visitor's latest profile as JSON text, for the team's lists (sent at most once per flush
   * per visitor): text, as the shard stores it, so it is neither parsed nor cloned on the way.
   */
  profileJson?: string
  /** Events that profile has counted: of two profiles of one visitor, the consumer keeps the later. */
  profileEvents?: number
  /** The profile as an object: what messages queued before profileJson carried (still read). */
  profile?: Profile
  /**
   * Ids of the written survey answers among the events (people's, that count): once written to
   * D1, the consumer sends them to be scored (jobs/score.ts).
   */
  answers?: string[]
}

/** Work off the request path, through the jobs queue. */
export type JobMessage = MaintainJob | AlertJob | PropensityJob | ScoreJob

/**
 * Score written survey answers (jobs/score.ts): these, just written to D1; or, without ids, the
 * hourly sweep of answers not scored by the offline scorer's current version.
 */
export interface ScoreJob {
  kind: 'score'
  site: string
  ids?: string[]
}

/** Retrain one site's propensity models (jobs/propensity.ts). */
export interface PropensityJob {
  kind: 'propensity'
  site: string
}

/**
 * Daily upkeep of one site: export finished days to R2, roll them up, apply retention. A run of
 * a chain (store/leases.ts): its id and the run's number. (Messages queued before leases have
 * neither: such a message starts a chain where none holds the lease.)
 */
export interface MaintainJob {
  kind: 'maintain'
  site: string
  chain?: string
  run?: number
}

/**
 * Deliver (or retry delivering) the alert of a negative survey answer to the site's webhook.
 * The first message carries the answer; retries (sent again by the consumer with a delay)
 * name it by `id` only: the delivery log in D1 holds the rest.
 */
export interface AlertJob {
  kind: 'alert'
  site: string
  id: string
  answer?: AlertAnswer
}

export type Loss = NonNullable<IngestBatch['loss']>

/**
 * A queue message holds at most 128 KB (UTF-8 of its JSON, in which this text is escaped once
 * more): a large batch's events go in parts of at most 50 KB.
 */
const PART_BYTES = 50_000
const encoder = new TextEncoder()

/** One part of a batch: events as JSON text, the links they make, the loss reported. */
export function message(
  b: { site: string; visitor: string; session: string },
  now: number,
  events: PreparedEvent[],
  fresh = 0,
  loss?: Loss,
): IngestBatch {
  const m: IngestBatch = {
    site: b.site,
    visitor: b.visitor,
    session: b.session,
    receivedAt: now,
    rows: JSON.stringify(events),
    fresh,
  }
  const identities: [string, number][] = []
  const aliases: string[] = []
  const answers: string[] = []
  for (const e of events) {
    if (
      (ANSWER_TYPES as readonly string[]).includes(e.type) &&
      !(e.flags & (FLAG.bot | UNCOUNTED)) &&
      answerText(e.props)
    )
      answers.push(e.id)
    if (e.type === 'identify' && e.name && !(e.flags & FLAG.unverified)) identities.push([e.name, e.ts])
    const from = e.type === 'consent' ? e.props?.from : undefined
    if (typeof from === 'string' && from && from !== b.visitor) aliases.push(from)
  }
  if (identities.length) m.identities = identities
  if (aliases.length) m.aliases = aliases
  if (answers.length) m.answers = answers
  if (loss && (loss.evicted || loss.dropped || loss.rejected)) m.loss = loss
  return m
}

/** A batch in parts of at most 50 KB each; the last carries the loss. */
export function messages(
  b: { site: string; visitor: string; session: string },
  now: number,
  events: PreparedEvent[],
  loss: Loss,
): IngestBatch[] {
  const out: IngestBatch[] = []
  let part: PreparedEvent[] = []
  let chars = 0
  for (const e of events) {
    // Most events are small: measure exactly only those that could matter.
    const bound = sizeBound(e)
    const n = bound <= 5_000 ? bound : encoder.encode(JSON.stringify(e)).length
    if (part.length && chars + n > PART_BYTES) {
      out.push(message(b, now, part))
      part = []
      chars = 0
    }
    part.push(e)
    chars += n
  }
  out.push(message(b, now, part, 0, loss))
  return out
}
