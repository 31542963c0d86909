/**
 * @module jobs/webhook: one POST to a site's webhook, its redirects followed by hand. Every
 * address is checked before it is asked (webhook-target.ts): the saved URL again (the rules or
 * the allowed hosts may have changed since it was saved) and each redirect's Location, so a
 * public URL that redirects to 127.0.0.1 is refused there. What the delivery log keeps of a
 * failure says nothing of the connection (refused, reset, timed out all read "no answer"), so
 * the log cannot be used to scan ports.
 */
import { webhookTargetProblem } from '../domain/webhook-target'

/** Redirects followed at most (then the delivery fails). */
export const MAX_REDIRECTS = 3
export const REFUSED = 'refused: target not allowed'
export const NO_ANSWER = 'no answer'
/** What the log says of an attempt made without a webhook URL (jobs/alerts.ts). */
export const NO_WEBHOOK = 'the site has no webhook URL (settings.alerts.url)'

/**
 * What an attempt's logged error was, as a word a client can say in its own language (the log's
 * `lastError` is in English): the webhook's own HTTP status, a target not allowed, no answer, no
 * URL set, or something else.
 */
export function deliveryProblem(a: { lastStatus: number | null; lastError: string | null }) {
  if (!a.lastError) return null
  if (a.lastStatus) return 'status' as const
  return a.lastError === REFUSED
    ? ('refused' as const)
    : a.lastError === NO_ANSWER
      ? ('noAnswer' as const)
      : a.lastError === NO_WEBHOOK
        ? ('noWebhook' as const)
        : ('other' as const)
}

export type Posted =
  | { ok: true; status: number }
  /** `final`: trying again cannot help (the target is not allowed). */
  | { ok: false; status: number; error: string; final?: true }

export async function postWebhook(
  url: string,
  init: { headers: Record<string, string>; body: string },
  opts: { allow: readonly string[]; send: typeof fetch; timeoutMs: number },
): Promise<Posted> {
  const send = opts.send // called as a method of opts, the runtime's fetch throws "Illegal invocation"
  const controller = new AbortController()
  const timer = setTimeout(() => controller.abort(), opts.timeoutMs)
  try {
    let target = url
    for (let hop = 0; ; hop++) {
      if (webhookTargetProblem(target, opts.allow)) return { ok: false, status: 0, error: REFUSED, final: true }
      let r: Response
      try {
        r = await send(target, { method: 'POST', ...init, redirect: 'manual', signal: controller.signal })
      } catch {
        return { ok: false, status: 0, error: NO_ANSWER }
      }
      await r.body?.cancel()
      const location = r.status >= 300 && r.status < 400 ? r.headers.get('location') : null
      if (location) {
        if (hop >= MAX_REDIRECTS) return { ok: false, status: r.status, error: 'the webhook redirected too often' }
        try {
          target = new URL(location, target).href
        } catch {
          return { ok: false, status: 0, error: REFUSED, final: true }
        }
        continue
      }
      return r.ok
        ? { ok: true, status: r.status }
        : { ok: false, status: r.status, error: `the webhook answered ${r.status}` }
    }
  } finally {
    clearTimeout(timer)
  }
}
