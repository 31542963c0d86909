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

/** A new random secret, hex (for identity verification and signed offers). */
export function newSecret(bytes = 32): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(bytes)), (b) => b.toString(16).padStart(2, '0')).join('')
}
