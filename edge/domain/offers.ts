/**
 * @module offers: signed survey offers. The worker signs each survey it offers (HMAC-SHA256
 * with the site's offer key, derived from its secret; bound to the survey, the visitor and the
 * time); the survey's events carry the signature back as their `hash`. An answer without a valid one (forged by a script
 * posting to /v1/events) is stored, flagged `FLAG.unsigned`, and left out of NPS and CSAT.
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
