/**
 * @module http: the one way a request is refused, and how bodies and queries are read.
 * A refusal is an HTTPException (`refuse`) that the one `onError` (index.ts) answers as
 * `{"error": "...", "path": "..."}` with a 4xx status: `path` names the field (`config.surveys[4].trigger.path`,
 * or a query parameter), absent when the error is not about one. Bodies and queries are checked
 * by valibot schemas through Hono's validator (`jsonBody`, `queryOf`).
 */
import type { Context, MiddlewareHandler } from 'hono'
import { HTTPException } from 'hono/http-exception'
import { validator, type InferInput } from 'hono/validator'
import { createMiddleware } from 'hono/factory'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import * as v from 'valibot'
import { pathOf, problemOf, type Problem } from './domain/issues'
import { parseJson } from './domain/batch'
import { deviceOf, type RequestContext } from './domain/profile'

/** A request refused: what onError (index.ts) answers, `{error, path?}` with `status`. */
export class Refusal extends HTTPException {
  constructor(
    status: ContentfulStatusCode,
    readonly problem: Problem,
    readonly headers?: Record<string, string>,
  ) {
    super(status, { message: problem.error })
  }
}

/** Stops the request with `{error, path?}` and `status` (a 4xx for anything the caller can fix). */
export function refuse(
  status: ContentfulStatusCode,
  error: string,
  more: { path?: string; headers?: Record<string, string> } = {},
): never {
  throw new Refusal(status, more.path ? { error, path: more.path } : { error }, more.headers)
}

export type BodyResult = { ok: true; text: string } | { ok: false; status: 400 | 413; error: string }

/**
 * Reads the request body as UTF-8 text, at most `maxBytes` of it.
 *
 * Over the limit it answers 413, but first reads the rest of the body and throws it away (up to
 * `drainBytes` more), so the answer never leaves while the client is still uploading. A worker
 * that answers with part of the body unread gets its connection reset by workerd; under
 * `wrangler dev` that poisons the dev proxy's pooled connection, and the next request from any
 * client hangs or gets a 503 (hono's bodyLimit stops reading and leaves exactly that). Reading
 * after the answer is not possible: workerd cuts the body off once the response is sent.
 * A declared Content-Length over the limit is refused without reading anything.
 */
export async function readBody(c: Context, maxBytes: number, drainBytes = 4 * 1024 * 1024): Promise<BodyResult> {
  const tooLarge = { ok: false, status: 413, error: `body is larger than ${maxBytes} bytes; send less` } as const
  const body = c.req.raw.body
  if (!body) return { ok: true, text: '' }
  const declared = c.req.header('content-length')
  if (declared !== undefined && !c.req.header('transfer-encoding')) {
    if (Number(declared) > maxBytes) return tooLarge
    // A declared length within the limit: the runtime reads exactly that much (the usual case).
    try {
      return { ok: true, text: await c.req.raw.text() }
    } catch {
      return { ok: false, status: 400, error: 'body could not be read' }
    }
  }
  const reader = body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      size += value.byteLength
      if (size > maxBytes) {
        while (size <= maxBytes + drainBytes) {
          const next = await reader.read()
          if (next.done) return tooLarge
          size += next.value.byteLength
        }
        await reader.cancel().catch(() => {})
        return tooLarge
      }
      chunks.push(value)
    }
  } catch {
    return { ok: false, status: 400, error: 'body could not be read' }
  }
  const bytes = new Uint8Array(size)
  let at = 0
  for (const chunk of chunks) {
    bytes.set(chunk, at)
    at += chunk.byteLength
  }
  return { ok: true, text: new TextDecoder().decode(bytes) }
}

/**
 * Reads the body once, capped at `maxBytes` (413 above, 400 when unreadable), and keeps its
 * text where `c.req.text()`, `c.req.json()` and hono's validator find it: nothing later reads
 * the stream uncapped. It runs before any parsing.
 */
export const capBody = (maxBytes: number) =>
  createMiddleware(async (c, next) => {
    const cache = c.req.bodyCache as { text?: Promise<string> }
    if (!cache.text && c.req.method !== 'GET' && c.req.method !== 'HEAD' && c.req.method !== 'OPTIONS') {
      const body = await readBody(c, maxBytes)
      if (!body.ok) refuse(body.status, body.error)
      // Hono keeps body promises here (its type says values).
      cache.text = Promise.resolve(body.text)
    }
    await next()
  })

/**
 * The (capped) body as JSON whatever its content type (the snippet sends text/plain: no CORS
 * preflight), parsed once and kept where `c.req.json()` finds it.
 */
async function readJson(c: Context): Promise<unknown> {
  const cache = c.req.bodyCache as { json?: Promise<unknown> }
  if (cache.json) return cache.json
  const text = await c.req.text()
  if (!text) refuse(400, 'body is empty; expected a JSON object')
  const parsed = parseJson(text)
  if (!parsed.ok) refuse(400, parsed.error)
  cache.json = Promise.resolve(parsed.value)
  return parsed.value
}

/** How a schema's issues are said: the first one, naming its field (issues.ts), unless a schema says it its own way. */
type Describe = (issues: readonly v.BaseIssue<unknown>[]) => Problem

/** The schema's output for `input`, or a 400 naming the first wrong field. */
function valid<S extends v.GenericSchema>(schema: S, input: unknown, describe: Describe = problemOf): v.InferOutput<S> {
  const r = v.safeParse(schema, input)
  if (!r.success) {
    const p = describe(r.issues)
    refuse(400, p.error, { path: p.path })
  }
  return r.output
}

/** A validator's type as Hono's RPC client reads it: the schema's input in, its output out (as @hono/valibot-validator types it). */
type Validated<T extends 'json' | 'query', S extends v.GenericSchema> = MiddlewareHandler<
  // The routes' own Env: the middleware reads none of it.
  any,
  string,
  {
    in: { [K in T]: K extends 'json' ? v.InferInput<S> : InferInput<v.InferInput<S>, K> }
    out: { [K in T]: v.InferOutput<S> }
  }
>

/**
 * Hono's validator for a JSON body checked by a valibot schema: a 400 naming the field, or the
 * typed value as `c.req.valid('json')` (which the dashboard's typed client also sees). The body
 * is parsed first by readJson, so that a malformed one gets the same answer whatever its
 * content type (Hono's validator parses only application/json, in its own words).
 */
export const jsonBody = <S extends v.GenericSchema>(schema: S, describe?: Describe): Validated<'json', S> => {
  const check = validator('json', async (_value, c) => valid(schema, await readJson(c), describe)) as MiddlewareHandler
  const handler: MiddlewareHandler = async (c, next) => {
    await readJson(c)
    return check(c, next)
  }
  return handler as Validated<'json', S>
}

/**
 * Hono's validator for the query string, checked by a valibot schema whose messages name their
 * parameter (`days must be…`, `?device must be…`): a 400 with `path` the parameter's name.
 */
export const queryOf = <S extends v.GenericSchema>(schema: S) =>
  validator('query', (value) => {
    // A parameter given twice reads as its first value, as `c.req.query(name)` does.
    const first = Object.fromEntries(Object.entries(value).map(([k, x]) => [k, Array.isArray(x) ? x[0] : x]))
    const r = v.safeParse(schema, first)
    if (!r.success) {
      refuse(400, r.issues[0].message, { path: pathOf(r.issues[0].path) || undefined })
    }
    return r.output
  }) as MiddlewareHandler as Validated<'query', S>

/** `?name=`: a whole number from `min` to `max`, `fallback` when absent (as text, the query's type). */
export const wholeParam = (name: string, fallback: number, min: number, max: number) => {
  const message = `${name} must be a whole number from ${min} to ${max}`
  return v.optional(
    v.pipe(
      v.string(message),
      v.transform(Number),
      v.integer(message),
      v.minValue(min, message),
      v.maxValue(max, message),
    ),
    String(fallback),
  )
}

/** A query parameter taken as it is, when given once. */
export const textParam = (name: string) => v.optional(v.string(`?${name} must be given once`))

/**
 * What the request says of the visitor: a coarse device class, the country Cloudflare saw, and
 * the browser's first language (its primary subtag: `pl` for `pl-PL,pl;q=0.9`).
 */
export function requestContext(c: Context): RequestContext {
  const out: RequestContext = { device: deviceOf(c.req.header('user-agent')) }
  const country = (c.req.raw.cf as { country?: unknown } | undefined)?.country ?? c.req.header('cf-ipcountry')
  if (typeof country === 'string' && /^[A-Z]{2}$/.test(country)) out.country = country
  const language = /^\s*([a-z]{2,3})\b/i.exec(c.req.header('accept-language') ?? '')?.[1]
  if (language) out.language = language.toLowerCase()
  return out
}
