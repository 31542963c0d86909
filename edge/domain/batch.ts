/**
 * @module batch: the schemas of what pages send (`POST /v1/events`, `POST /v1/decide`), as
 * valibot schemas whose output types are the wire types of snippet/contract/wire.ts. Pure.
 *
 * The envelope is all or nothing (a bad site key or visitor id refuses the request); events
 * are checked one by one, so one bad event is answered as `rejected` and the rest are stored.
 */
import * as v from 'valibot'
import type { Batch, DecideRequest, Json, WireEvent } from '../../snippet/contract/wire'
import { LIMITS } from '../../snippet/contract/limits'
import { describe, type Problem } from './issues'
import { PAST_DAYS, PAST_MS } from './ingest'

export { LIMITS }

const TYPE = new RegExp(`^[a-z][a-z0-9_]{0,${LIMITS.typeLength - 1}}$`)
/** Keys that would reach an object's prototype: dropped, never stored. */
const DANGEROUS = new Set(['__proto__', 'constructor', 'prototype'])
const TIME = 'must be a time in milliseconds since the Unix epoch'

const encoder = new TextEncoder()
/** UTF-8 length of a string (what a body limit counts), measured only when it could matter. */
export const utf8Bytes = (s: string, limit = 0) => (s.length * 3 <= limit ? s.length : encoder.encode(s).length)

// Each field is one type check and one test: this runs for every event of every batch, and a
// valibot pipe costs per step (a CPU profile of ingest had it at 8% with the longer pipes).
const ID_MSG = `must be 1 to ${LIMITS.idLength} letters, digits, '-' or '_'`
const ID_RE = new RegExp(`^[A-Za-z0-9_-]{1,${LIMITS.idLength}}$`)
export const Id = v.pipe(v.string(ID_MSG), v.regex(ID_RE, ID_MSG))
const str = (max: number) => v.pipe(v.string('must be a string'), v.maxLength(max, `is longer than ${max} characters`))
const Time = v.pipe(
  v.number(TIME),
  v.check((t) => t >= 1 && t <= 8.64e15, TIME),
  v.transform(Math.round),
)
const Loss = v.optional(
  v.pipe(
    v.number(`must be a whole number from 0 to ${LIMITS.lossPerBatch}`),
    v.integer(`must be a whole number from 0 to ${LIMITS.lossPerBatch}`),
    v.minValue(0, `must be a whole number from 0 to ${LIMITS.lossPerBatch}`),
    v.maxValue(LIMITS.lossPerBatch, `must be a whole number from 0 to ${LIMITS.lossPerBatch}`),
  ),
)

/** A problem deep inside props: where (keys and indexes below props) and what. */
class Invalid extends Error {
  constructor(
    readonly at: (string | number)[],
    message: string,
  ) {
    super(message)
  }
}

/**
 * An upper bound of the UTF-8 size of the props last walked (6 bytes a character covers any
 * escape), so that an event's size is measured exactly only when it could be near the limit.
 */
let walked = 0
const bounds = new WeakMap<object, number>()

/**
 * Free-form props: JSON with bounded depth, keys, items and lengths; prototype keys dropped.
 * `at` is the path so far, one stack shared by the whole walk (copied only for an error): this
 * runs for every event of every batch.
 */
function json(value: unknown, at: (string | number)[]): Json {
  walked += 30
  if (value === null || typeof value === 'boolean') return value
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Invalid([...at], 'must be a finite number')
    return value
  }
  if (typeof value === 'string') {
    if (value.length > LIMITS.stringLength)
      throw new Invalid([...at], `is longer than ${LIMITS.stringLength} characters`)
    walked += 6 * value.length
    return value
  }
  if (typeof value !== 'object') throw new Invalid([...at], 'must be JSON')
  if (at.length >= LIMITS.depth) throw new Invalid([...at], `is nested deeper than ${LIMITS.depth} levels`)
  if (Array.isArray(value)) {
    if (value.length > LIMITS.arrayLength) throw new Invalid([...at], `has more than ${LIMITS.arrayLength} items`)
    const out: Json[] = new Array(value.length)
    for (let i = 0; i < value.length; i++) {
      at.push(i)
      out[i] = json(value[i], at)
      at.pop()
    }
    return out
  }
  let n = 0
  const out: { [k: string]: Json } = {}
  for (const k in value) {
    if (!Object.prototype.hasOwnProperty.call(value, k)) continue
    if (++n > LIMITS.keysPerObject) throw new Invalid([...at], `has more than ${LIMITS.keysPerObject} keys`)
    if (DANGEROUS.has(k)) continue
    if (k.length > LIMITS.keyLength) throw new Invalid([...at], `has a key longer than ${LIMITS.keyLength} characters`)
    walked += 6 * k.length
    at.push(k)
    out[k] = json((value as Record<string, unknown>)[k], at)
    at.pop()
  }
  return out
}

const Props = v.pipe(
  v.unknown(),
  v.check((p) => typeof p === 'object' && p !== null && !Array.isArray(p), 'must be an object'),
  v.rawTransform(({ dataset, addIssue, NEVER }) => {
    try {
      walked = 0
      const out = json(dataset.value, []) as { [k: string]: Json }
      bounds.set(out, walked)
      return out
    } catch (e) {
      // A RangeError from absurd nesting is still the sender's fault.
      const at = e instanceof Invalid ? e.at : []
      const path = at.map(
        (key) => ({ type: 'unknown', origin: 'value', input: dataset.value, key, value: undefined }) as const,
      )
      addIssue({
        message: e instanceof Invalid ? e.message : 'could not be read',
        ...(path.length ? { path: path as [(typeof path)[0], ...typeof path] } : {}),
      })
      return NEVER
    }
  }),
)

/** An upper bound of an event's size as UTF-8 JSON, without serialising it (props as checked above). */
export function sizeBound(e: { id: string; type: string; url: string; name?: string; hash?: string; props?: object }) {
  const chars = e.id.length + e.type.length + e.url.length + (e.name?.length ?? 0) + (e.hash?.length ?? 0)
  return 150 + 6 * chars + (e.props ? (bounds.get(e.props) ?? Infinity) : 0)
}

export const EventSchema = v.pipe(
  v.object(
    {
      id: Id,
      type: v.pipe(
        v.string('must be a string'),
        v.regex(TYPE, `must be 1 to ${LIMITS.typeLength} lower-case letters, digits and '_', starting with a letter`),
      ),
      ts: Time,
      url: str(LIMITS.urlLength),
      name: v.nullish(str(LIMITS.nameLength)),
      props: v.nullish(Props),
      hash: v.nullish(str(128)),
    },
    'must be an object',
  ),
  v.transform((e): WireEvent => {
    const out: WireEvent = { id: e.id, type: e.type, ts: e.ts, url: e.url }
    if (e.name != null) out.name = e.name
    if (e.props != null) out.props = e.props
    // identify: the site's hash of the user id; survey events: the worker's signed offer.
    if (e.hash != null && (e.type === 'identify' || e.type.startsWith('survey_'))) out.hash = e.hash
    return out
  }),
  v.check(
    (e) => sizeBound(e) <= LIMITS.eventBytes || utf8Bytes(JSON.stringify(e), LIMITS.eventBytes) <= LIMITS.eventBytes,
    `is larger than ${LIMITS.eventBytes} bytes`,
  ),
)

/** Everything of a batch but its events, which are checked one by one. */
export const EnvelopeSchema = v.object(
  {
    site: Id,
    visitor: Id,
    session: Id,
    sentAt: Time,
    events: v.pipe(
      v.array(v.unknown(), 'must be an array'),
      v.maxLength(LIMITS.eventsPerBatch, `holds more than ${LIMITS.eventsPerBatch} events; send smaller batches`),
    ),
    evicted: Loss,
    dropped: Loss,
    automation: v.optional(v.boolean('must be true or false')),
  },
  'body must be a JSON object',
)

export const DecideSchema = v.object(
  {
    site: Id,
    visitor: Id,
    session: v.optional(Id),
    url: str(LIMITS.urlLength),
    referrer: v.optional(str(LIMITS.urlLength)),
  },
  'body must be a JSON object',
)

/** An event the worker refused: its place in the batch, its id when it had a usable one, and why. */
export interface Rejected {
  index: number
  id?: string
  error: string
}

/** A value, or what is wrong with it (and in which field). */
export type Result<T> = { ok: true; value: T } | ({ ok: false } & Problem)

/** A body that must be a JSON object: an array is refused in the same words as a string. */
const objectBody = <S extends v.GenericSchema>(schema: S) =>
  v.pipe(
    v.unknown(),
    v.check((x) => !Array.isArray(x), 'body must be a JSON object'),
    schema,
  )

/**
 * `POST /v1/events`: a batch whose envelope is valid (or the request is refused); `rejected`
 * lists its events that are not, the others are kept.
 */
export const BatchSchema = v.pipe(
  objectBody(EnvelopeSchema),
  v.transform((envelope): Batch & { rejected: Rejected[] } => {
    const { events: list, evicted, dropped, automation, ...rest } = envelope
    const events: WireEvent[] = []
    const rejected: Rejected[] = []
    list.forEach((raw, index) => {
      const e = v.safeParse(EventSchema, raw)
      if (e.success && rest.sentAt - e.output.ts > PAST_MS)
        return void rejected.push({
          index,
          id: e.output.id,
          error: `events[${index}].ts is more than ${PAST_DAYS} days before the batch's sentAt; events that old are not stored`,
        })
      if (e.success) return void events.push(e.output)
      const id = (raw as { id?: unknown } | null)?.id
      const r: Rejected = { index, error: describe(e.issues, `events[${index}]`) }
      if (v.is(Id, id)) r.id = id
      rejected.push(r)
    })
    const batch: Batch & { rejected: Rejected[] } = { ...rest, events, rejected }
    if (evicted) batch.evicted = evicted
    if (dropped) batch.dropped = dropped
    if (automation) batch.automation = true
    return batch
  }),
)

/** `POST /v1/decide`. */
export const DecideBody: v.GenericSchema<unknown, DecideRequest> = objectBody(DecideSchema)

/** Parses JSON text, turning a syntax error into a message. */
export function parseJson(text: string): Result<unknown> {
  try {
    return { ok: true, value: JSON.parse(text) }
  } catch {
    return { ok: false, error: 'body is not valid JSON' }
  }
}
