/**
 * @module identity: identity verification. A site that turns on `settings.verifyIdentity`
 * computes, on its own server, hex HMAC-SHA256(user id, site secret) and passes it to
 * `ciel('identify', id, traits, hash)`; an identify without a valid hash is stored but links
 * the visitor to nobody, so no one can claim another user's profile from the console.
 */
const encoder = new TextEncoder()

async function hmacHex(secret: string, message: string): Promise<string> {
  const key = await crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
  ])
  const sig = new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(message)))
  return Array.from(sig, (b) => b.toString(16).padStart(2, '0')).join('')
}

/** What the site's server computes for a user id. */
export const identityHash = hmacHex

/** True when `hash` is the site's HMAC of `userId` (compared in constant time). */
export async function verifyIdentity(secret: string, userId: string, hash: string | undefined): Promise<boolean> {
  if (!hash) return false
  const want = await hmacHex(secret, userId)
  const given = hash.toLowerCase()
  let diff = want.length ^ given.length
  for (let i = 0; i < want.length; i++) diff |= want.charCodeAt(i) ^ (given.charCodeAt(i) | 0)
  return diff === 0
}

/** What a key derived from the site's secret is for. */
export type Purpose = 'ciel-offer-v1' | 'ciel-webhook-v1'

const derived = new Map<string, Promise<string>>()

/**
 * The site's key for one purpose (signing survey offers, signing webhook bodies), hex: one key
 * per purpose, so a MAC made for one is never good for another. HKDF-SHA256 rather than
 * HMAC(secret, purpose): that would be the identity hash of a user id spelled like the purpose,
 * which a site computes for any id its users may choose. Kept per isolate (offers sign and
 * check on every batch).
 */
export function purposeKey(secret: string, purpose: Purpose): Promise<string> {
  const id = `${purpose}\n${secret}`
  let key = derived.get(id)
  if (!key) {
    if (derived.size >= 512) derived.delete(derived.keys().next().value!)
    key = crypto.subtle
      .importKey('raw', encoder.encode(secret), 'HKDF', false, ['deriveBits'])
      .then((k) =>
        crypto.subtle.deriveBits(
          { name: 'HKDF', hash: 'SHA-256', salt: encoder.encode('ciel'), info: encoder.encode(purpose) },
          k,
          256,
        ),
      )
      .then((bits) => Array.from(new Uint8Array(bits), (b) => b.toString(16).padStart(2, '0')).join(''))
    derived.set(id, key)
  }
  return key
}

/** The key webhook bodies are signed with, which receivers verify with (`webhookSecret` of `GET …/secret`). */
export const webhookSecret = (secret: string) => purposeKey(secret, 'ciel-webhook-v1')

/** A new random secret, hex (identity hashes are keyed by it; offers and webhooks by keys derived from it). */
export function newSecret(bytes = 32): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(bytes)), (b) => b.toString(16).padStart(2, '0')).join('')
}
