/**
 * @module store/personal-data: every table and store that can hold something of a visitor, and
 * what an erasure does to it. Erasure walks this list (store/erasure.ts for D1, the visitor
 * shard's `erase` for its own tables); a test reads the schema of D1 and of a visitor shard and
 * fails when a table with a visitor or user column is not named here, so a new table cannot
 * slip past an erasure unnoticed.
 */

/** What an erasure does to a holding. */
export type Erasure =
  /** Their rows are deleted, a page of events per call (the answer's `remaining`). */
  | 'paged'
  /** Their rows are deleted (once their events are gone). */
  | 'deleted'
  /** Their rows are deleted; the coarse rollups of those days are counted again without them. */
  | 'rollup'
  /** Counts with no id in them, counted again from the rollup rows that remain. */
  | 'recounted'
  /** Kept on purpose (the note says why). */
  | 'kept'
  /** Not deletable where it is; its consumer drops what belongs to an erased visitor. */
  | 'dropped'
  /** Not rewritten: copies outside this worker's reach (the note says what to do). */
  | 'not rewritten'

export interface Holding {
  store: 'd1' | 'shard' | 'queue' | 'r2'
  /** The table (D1, shard), queue or object key pattern. */
  name: string
  /** Columns holding a visitor id: the rows matching them are theirs. */
  visitor: string[]
  /** Columns holding a user id (an erasure by user finds their visitors through these). */
  user?: string[]
  erasure: Erasure
  /** What it holds of them. */
  note: string
}

export const PERSONAL_DATA: readonly Holding[] = [
  // D1, the system of record.
  { store: 'd1', name: 'events', visitor: ['visitor'], erasure: 'paged', note: 'their events, props and traits' },
  {
    store: 'd1',
    name: 'visitors',
    visitor: ['id'],
    user: ['user_id'],
    erasure: 'deleted',
    note: 'their profile as the team lists it: user id, traits, interests',
  },
  {
    store: 'd1',
    name: 'identities',
    visitor: ['visitor'],
    user: ['user_id'],
    erasure: 'deleted',
    note: 'every user a visitor was identified as',
  },
  {
    store: 'd1',
    name: 'links',
    visitor: ['visitor', 'alias'],
    erasure: 'deleted',
    note: 'cookieless page ids linked to a visitor',
  },
  {
    store: 'd1',
    name: 'alerts',
    visitor: ['visitor'],
    erasure: 'deleted',
    note: 'alerts of their negative answers: page, answer, and the body sent (their traits); a delivery still queued finds the tombstone and is not sent',
  },
  {
    store: 'd1',
    name: 'answer_analysis',
    visitor: ['visitor'],
    erasure: 'deleted',
    note: 'what their written survey answers say: language, sentiment, topics, themes (words of their text)',
  },
  ...['roll_sessions', 'roll_pages', 'roll_steps', 'roll_tracks', 'roll_hits', 'roll_page_days', 'roll_entries'].map(
    (name): Holding => ({
      store: 'd1',
      name,
      visitor: ['visitor'],
      erasure: 'rollup',
      note: 'daily rollup rows that name the visitor',
    }),
  ),
  ...['roll_totals', 'roll_paths', 'roll_funnel_days'].map((name): Holding => ({
    store: 'd1',
    name,
    visitor: [],
    erasure: 'recounted',
    note: 'day totals that count them without naming them',
  })),
  {
    store: 'd1',
    name: 'erased',
    visitor: ['visitor'],
    erasure: 'kept',
    note: 'the tombstone: the erased id and when, so that nothing of theirs is stored again',
  },
  {
    store: 'd1',
    name: 'roll_props',
    visitor: [],
    erasure: 'kept',
    note: "custom events' prop values per day, with no id or session: nothing ties a value to a visitor",
  },
  // The visitor shard (state/visitors.ts): a Durable Object per 1/16 of a site's visitors.
  { store: 'shard', name: 'profiles', visitor: ['visitor'], erasure: 'deleted', note: 'their profile' },
  { store: 'shard', name: 'seen', visitor: ['visitor'], erasure: 'deleted', note: 'ids of their recent events' },
  {
    store: 'shard',
    name: 'outbox',
    visitor: ['visitor'],
    erasure: 'deleted',
    note: 'their batches not yet sent to D1 (counted in the answer as erased)',
  },
  {
    store: 'shard',
    name: 'answered',
    visitor: ['visitor'],
    erasure: 'deleted',
    note: 'which offer their counted answer to each survey question came with',
  },
  {
    store: 'shard',
    name: 'loss',
    visitor: ['visitor'],
    erasure: 'deleted',
    note: 'how many lost events they reported per day (the cap on loss reports)',
  },
  { store: 'shard', name: 'erased', visitor: ['visitor'], erasure: 'kept', note: 'the tombstone, as in D1' },
  // Queues: messages in flight cannot be taken back; each consumer checks the tombstones.
  {
    store: 'queue',
    name: 'ciel-ingest',
    visitor: ['visitor'],
    erasure: 'dropped',
    note: 'accepted batches on their way to D1 (and its dead-letter queue): never written for an erased visitor',
  },
  {
    store: 'queue',
    name: 'ciel-jobs',
    visitor: ['answer.visitor'],
    erasure: 'dropped',
    note: 'alert deliveries (first tries and retries): an erased visitor’s is not sent',
  },
  // R2.
  {
    store: 'r2',
    name: 'events/site=KEY/day=YYYY-MM-DD/part-NNNN.ndjson.gz',
    visitor: ['visitor'],
    erasure: 'not rewritten',
    note: 'exports of days received before the erasure (the `exports` table lists them) are archives for warehouses and are not rewritten: erase them there too, or keep retention shorter than the erasure deadline',
  },
]

/** The holdings of one store erased in one way. */
export const holdings = (store: Holding['store'], erasure: Erasure) =>
  PERSONAL_DATA.filter((h) => h.store === store && h.erasure === erasure)
