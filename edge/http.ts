/** @module http: the one shape of an error answer, and the JSON body reader every route uses. */
import type { Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { parseJson } from './domain/validate'

/** `{"error": "..."}` with a 4xx (or, for our own faults, 5xx) status. */
export const fail = (c: Context, status: ContentfulStatusCode, error: string) => c.json({ error }, status)

/**
 * Reads the body as JSON whatever its content type: the snippet sends text/plain so that a
 * cross-origin POST needs no CORS preflight.
 */
export async function readJson(c: Context): Promise<{ ok: true; value: unknown } | { ok: false; error: string }> {
  let text: string
  try {
    text = await c.req.text()
  } catch {
    return { ok: false, error: 'body could not be read' }
  }
  if (!text) return { ok: false, error: 'body is empty; expected a JSON object' }
  return parseJson(text)
}
