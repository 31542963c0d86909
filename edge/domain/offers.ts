/**
 * @module offers: signed survey offers. The worker signs each survey it offers (HMAC-SHA256
 * with the site's offer key, derived from its secret; bound to the survey, the visitor and the
 * time); the survey's events carry the signature back as their `hash`. An answer without a valid
 * one (forged by a script posting to /v1/events) is stored, flagged `FLAG.unsigned`, and left out
 * of NPS and CSAT; of the answers with one, those beyond the first per offer and question are
 * too (answers.ts).
 *
 * The worker signs an offer only in its answer to that visitor's own batch: a survey due by
 * its trigger and targeting, or one the page reports it showed on request (`ciel('survey', id)`,
 * any survey switched on). The signature binds it to that visitor id (checked at ingest: an
 * offer sent under another visitor id is invalid) and to its time: 7 days, for a survey left
 * open in a tab and answered later, and never from the future.
 */
import { identityHash, purposeKey } from './identity'

/** How long an offer stays good for its answers (a survey left open in a tab, answered later). */
export const OFFER_TTL_MS = 7 * 86_400_000
/** Clock slack for offers "from the future" (another isolate's clock). */
const SLACK_MS = 60_000

const message = (site: string, survey: string, visitor: string, at: number) =>
  `ciel-offer\n${site}\n${survey}\n${visitor}\n${at}`

/** `<time base 36>.<32 hex of the HMAC>`: what the snippet carries back. */
export async function signOffer(secret: string, site: string, survey: string, visitor: string, at: number) {
  const mac = await identityHash(await purposeKey(secret, 'ciel-offer-v1'), message(site, survey, visitor, at))
  return `${at.toString(36)}.${mac.slice(0, 32)}`
}

/** When an offer (valid: checked by offerValid) was made, by the worker's clock. */
export const offerTime = (offer: string) => parseInt(offer.slice(0, offer.indexOf('.')), 36)

/** Is `offer` the worker's signature of this survey, for this visitor, made within OFFER_TTL_MS of `now`? */
export async function offerValid(
  secret: string,
  site: string,
  survey: string,
  visitor: string,
  offer: string | undefined,
  now: number,
): Promise<boolean> {
  const m = /^([0-9a-z]{1,11})\.([0-9a-f]{32})$/.exec(offer ?? '')
  if (!m || !secret) return false
  const at = parseInt(m[1]!, 36)
  if (at > now + SLACK_MS || now - at > OFFER_TTL_MS) return false
  const want = (
    await identityHash(await purposeKey(secret, 'ciel-offer-v1'), message(site, survey, visitor, at))
  ).slice(0, 32)
  let diff = 0
  for (let i = 0; i < 32; i++) diff |= want.charCodeAt(i) ^ m[2]!.charCodeAt(i)
  return diff === 0
}
