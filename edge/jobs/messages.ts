/** @module jobs/messages: what travels through the worker's queues. */
import type { PreparedEvent } from '../domain/ingest'
import type { Profile } from '../domain/profile'

/** An accepted batch (or part of one: a queue message holds at most 128 KB) on its way to D1. */
export interface IngestMessage {
  site: string
  visitor: string
  session: string
  receivedAt: number
  /** Every event of the batch, new or retried: D1's primary key stores each once. */
  events: PreparedEvent[]
  /** Events the visitor's state had not seen before (what the daily quota counts). */
  fresh: number
  /** Loss the snippet reported, and events the worker refused one by one. */
  loss?: { evicted: number; dropped: number; rejected: number }
  /** The visitor's profile after this batch (on the batch's last message only). */
  profile?: Profile
}

/** Daily upkeep of one site: export finished days to R2, roll them up, apply retention. */
export interface JobMessage {
  kind: 'maintain'
  site: string
}
