/**
 * @module validate: turns an untrusted request body into a typed batch, or a clear error.
 * Pure: no I/O. Unknown fields are dropped; prototype keys never reach an object.
 */
import type { Batch, DecideRequest, Json, WireEvent } from '../../snippet/core/wire'
import { LIMITS } from '../../snippet/core/limits'

export { LIMITS }

export type Result<T> = { ok: true; value: T } | { ok: false; error: string }

const ID = /^[A-Za-z0-9_-]+$/
const TYPE = /^[a-z][a-z0-9_]*$/
const DANGEROUS = new Set(['__proto__', 'constructor', 'prototype'])

class Invalid extends Error {}
const fail = (msg: string): never => {
  throw new Invalid(msg)
}

/** A plain JSON object (not null, not an array). */
export const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v)

function id(v: unknown, path: string): string {
  if (typeof v !== 'string' || !v) fail(`${path} must be a non-empty string`)
  const s = v as string
  if (s.length > LIMITS.idLength) fail(`${path} is longer than ${LIMITS.idLength} characters`)
  if (!ID.test(s)) fail(`${path} may only contain letters, digits, '-' and '_'`)
  return s
}

function str(v: unknown, path: string, max: number): string {
  if (typeof v !== 'string') fail(`${path} must be a string`)
  if ((v as string).length > max) fail(`${path} is longer than ${max} characters`)
  return v as string
}

function time(v: unknown, path: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0 || v > 8.64e15)
    fail(`${path} must be a time in milliseconds since the Unix epoch`)
  return Math.round(v as number)
}

function count(v: unknown, path: string): number | undefined {
  if (v === undefined) return undefined
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 1e9)
    fail(`${path} must be a non-negative whole number`)
  return v as number
}

/** A JSON value with bounded depth, sizes and lengths; dangerous keys are dropped. */
function json(v: unknown, path: string, depth: number): Json {
  if (v === null || typeof v === 'boolean') return v
  if (typeof v === 'number') return Number.isFinite(v) ? v : fail(`${path} must be a finite number`)
  if (typeof v === 'string') return str(v, path, LIMITS.stringLength)
  if (depth >= LIMITS.depth) fail(`${path} is nested deeper than ${LIMITS.depth} levels`)
  if (Array.isArray(v)) {
    if (v.length > LIMITS.arrayLength) fail(`${path} has more than ${LIMITS.arrayLength} items`)
    return v.map((x, i) => json(x, `${path}[${i}]`, depth + 1))
  }
  if (isObject(v)) return props(v, path, depth + 1)
  return fail(`${path} must be JSON`)
}

function props(v: unknown, path: string, depth = 1): { [k: string]: Json } {
  if (!isObject(v)) fail(`${path} must be an object`)
  const keys = Object.keys(v as object)
  if (keys.length > LIMITS.keysPerObject) fail(`${path} has more than ${LIMITS.keysPerObject} keys`)
  const out: { [k: string]: Json } = {}
  for (const k of keys) {
    if (DANGEROUS.has(k)) continue
    if (k.length > LIMITS.keyLength) fail(`${path} has a key longer than ${LIMITS.keyLength} characters`)
    Object.defineProperty(out, k, {
      value: json((v as Record<string, unknown>)[k], `${path}.${k}`, depth),
      enumerable: true,
      writable: true,
      configurable: true,
    })
  }
  return out
}

function event(v: unknown, path: string): WireEvent {
  if (!isObject(v)) fail(`${path} must be an object`)
  const e = v as Record<string, unknown>
  const type = str(e.type, `${path}.type`, LIMITS.typeLength)
  if (!TYPE.test(type)) fail(`${path}.type must be lower-case letters, digits and '_'`)
  const out: WireEvent = {
    id: id(e.id, `${path}.id`),
    type,
    ts: time(e.ts, `${path}.ts`),
    url: str(e.url, `${path}.url`, LIMITS.urlLength),
  }
  if (e.name !== undefined && e.name !== null) out.name = str(e.name, `${path}.name`, LIMITS.nameLength)
  if (e.props !== undefined && e.props !== null) out.props = props(e.props, `${path}.props`)
  if (JSON.stringify(out).length > LIMITS.eventBytes) fail(`${path} is larger than ${LIMITS.eventBytes} bytes`)
  return out
}

function guard<T>(fn: () => T): Result<T> {
  try {
    return { ok: true, value: fn() }
  } catch (e) {
    if (e instanceof Invalid) return { ok: false, error: e.message }
    // RangeError from absurd nesting and the like is still the client's fault.
    return { ok: false, error: 'body could not be read as a batch' }
  }
}

/** Parses JSON text, turning a syntax error into a message. */
export function parseJson(text: string): Result<unknown> {
  try {
    return { ok: true, value: JSON.parse(text) }
  } catch {
    return { ok: false, error: 'body is not valid JSON' }
  }
}

/** Validates a `POST /v1/events` body. */
export function validateBatch(body: unknown): Result<Batch> {
  return guard(() => {
    if (!isObject(body)) fail('body must be a JSON object')
    const b = body as Record<string, unknown>
    if (!Array.isArray(b.events)) fail('events must be an array')
    const list = b.events as unknown[]
    if (list.length > LIMITS.eventsPerBatch)
      fail(`a batch holds at most ${LIMITS.eventsPerBatch} events; this one has ${list.length}`)
    const batch: Batch = {
      site: id(b.site, 'site'),
      visitor: id(b.visitor, 'visitor'),
      session: id(b.session, 'session'),
      sentAt: time(b.sentAt, 'sentAt'),
      events: list.map((e, i) => event(e, `events[${i}]`)),
    }
    const evicted = count(b.evicted, 'evicted')
    const dropped = count(b.dropped, 'dropped')
    if (evicted) batch.evicted = evicted
    if (dropped) batch.dropped = dropped
    if (b.automation !== undefined && typeof b.automation !== 'boolean') fail('automation must be true or false')
    if (b.automation) batch.automation = true
    return batch
  })
}

/** Validates a `POST /v1/decide` body. */
export function validateDecide(body: unknown): Result<DecideRequest> {
  return guard(() => {
    if (!isObject(body)) fail('body must be a JSON object')
    const b = body as Record<string, unknown>
    return {
      site: id(b.site, 'site'),
      visitor: id(b.visitor, 'visitor'),
      session: id(b.session, 'session'),
      url: str(b.url, 'url', LIMITS.urlLength),
    }
  })
}
