/**
 * @module http: the one shape of an error answer, and the body reader every route uses.
 * Errors are `{"error": "..."}` with a 4xx status, thrown as HTTPException for the one
 * `onError` (index.ts) to answer.
 */
import type { Context } from 'hono'
import { HTTPException } from 'hono/http-exception'
import { validator } from 'hono/validator'
import { createMiddleware } from 'hono/factory'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import * as v from 'valibot'
import { describe } from './domain/issues'
import { parseJson } from './domain/batch'
import { deviceOf, type RequestContext } from './domain/profile'

/** `{"error": "..."}` with a 4xx (or, for our own faults, 5xx) status. */
export const fail = <S extends ContentfulStatusCode>(
  c: Context,
  status: S,
  error: string,
  headers?: Record<string, string>,
) => c.json({ error }, status, headers)

/** Stops the request with `{"error": message}`: for onError (index.ts) to answer. */
export function refuse(status: ContentfulStatusCode, error: string, headers?: Record<string, string>): never {
  throw new HTTPException(status, {
    res: new Response(JSON.stringify({ error }), {
      status,
      headers: { 'content-type': 'application/json; charset=UTF-8', ...headers },
    }),
  })
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
 * the stream uncapped.
 */
export const capBody = (maxBytes: number) =>
  createMiddleware(async (c, next) => {
    const cache = c.req.bodyCache as { text?: Promise<string> }
    if (!cache.text && c.req.method !== 'GET' && c.req.method !== 'HEAD' && c.req.method !== 'OPTIONS') {
      const body = await readBody(c, maxBytes)
      if (!body.ok) return fail(c, body.status, body.error)
      // Hono keeps body promises here (its type says values).
      cache.text = Promise.resolve(body.text)
    }
    await next()
  })

/** The (capped) body as JSON whatever its content type: the snippet sends text/plain (no CORS preflight). */
export async function readJson(c: Context): Promise<unknown> {
  const text = await c.req.text()
  if (!text) refuse(400, 'body is empty; expected a JSON object')
  const parsed = parseJson(text)
  if (!parsed.ok) refuse(400, parsed.error)
  return parsed.value
}

/**
 * Hono's validator for a JSON body checked by a valibot schema: a 400 naming the field, or the
 * typed value as `c.req.valid('json')` (which the dashboard's typed client also sees).
 */
export const jsonBody = <S extends v.GenericSchema>(schema: S) =>
  validator('json', async (_value, c): Promise<v.InferOutput<S>> => {
    const r = v.safeParse(schema, await readJson(c))
    if (!r.success) refuse(400, describe(r.issues))
    return r.output
  })

/** Hono's validator for the query string, checked by a valibot schema (a 400 naming the parameter). */
export const queryOf = <S extends v.GenericSchema>(schema: S) =>
  validator('query', (value): v.InferOutput<S> => {
    const r = v.safeParse(schema, value)
    if (!r.success) refuse(400, describe(r.issues).replace(/^(\w+)/, '?$1'))
    return r.output
  })

/** What the request says of the visitor: a coarse device class, and the country Cloudflare saw. */
export function requestContext(c: Context): RequestContext {
  const out: RequestContext = { device: deviceOf(c.req.header('user-agent')) }
  const country = (c.req.raw.cf as { country?: unknown } | undefined)?.country ?? c.req.header('cf-ipcountry')
  if (typeof country === 'string' && /^[A-Z]{2}$/.test(country)) out.country = country
  return out
}
