/**
 * @module webhook-target: where a site's webhook may point. Pure.
 *
 * The worker POSTs alerts to the webhook on its own. Pointed at the worker's own network
 * (loopback, private ranges, a cloud's metadata service), it would make the worker a probe of
 * that network for anyone who may change a site. So a webhook is https, to a public address or
 * name; the hosts of `allow` (ALERTS_ALLOW_HOSTS, set for development only: a test receiver on
 * 127.0.0.1) may be reached anyway, over http too. Checked when a site is saved, and again
 * before every request of a delivery, redirects included.
 *
 * Addresses are judged after WHATWG URL parsing, which already writes every IPv4 spelling
 * (`2130706433`, `0x7f.1`, `0177.0.0.1`, `127.1`) as dotted decimal and every IPv6 one as hex
 * groups. A public name whose DNS answers a private address cannot be seen here (a Worker has no
 * resolver); Cloudflare's network does not reach private addresses from a deployed Worker.
 */

/** The hosts `ALERTS_ALLOW_HOSTS` names (comma or space separated), lower case. */
export const allowedHosts = (raw: string | undefined): string[] =>
  (raw ?? '')
    .toLowerCase()
    .split(/[\s,]+/)
    .filter(Boolean)

export const NOT_HTTPS = 'must be an https URL'
export const NOT_PUBLIC = 'must point at a public host (not a loopback, private, link-local or internal address)'

/** Why the worker must not POST to `url` (a message to follow the field's name), or null. */
export function webhookTargetProblem(url: string, allow: readonly string[] = []): string | null {
  let u: URL
  try {
    u = new URL(url)
  } catch {
    return NOT_HTTPS
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return NOT_HTTPS
  const host = u.hostname.toLowerCase().replace(/\.+$/, '')
  if (allow.includes(host)) return null
  if (u.protocol !== 'https:') return NOT_HTTPS
  if (host.startsWith('[')) {
    const groups = ipv6(host.slice(1, -1))
    return !groups || privateV6(groups) ? NOT_PUBLIC : null
  }
  const v4 = ipv4(host)
  if (v4 !== null) return privateV4(v4) ? NOT_PUBLIC : null
  return internalName(host) ? NOT_PUBLIC : null
}

/** A webhook URL as shown to those who may not see it whole: its origin only (no path, query or user). */
export function maskedUrl(url: string): string {
  try {
    return `${new URL(url).origin}/…`
  } catch {
    return '…'
  }
}

/**
 * A site as a save sends it, with the stored webhook URL back where the save sent its mask (a
 * site read without the right to see the URL, changed, and written back keeps its webhook).
 */
export function unmasked<T>(body: T, stored: string | undefined): T {
  const alerts = (body as { settings?: { alerts?: { url?: unknown } } } | null)?.settings?.alerts
  if (!stored || typeof alerts !== 'object' || !alerts || alerts.url !== maskedUrl(stored)) return body
  const b = body as { settings: { alerts: object } }
  return { ...b, settings: { ...b.settings, alerts: { ...b.settings.alerts, url: stored } } } as T
}

/** Names that only mean something inside a network (a single label, or an internal suffix). */
const INTERNAL = ['localhost', 'local', 'internal', 'localdomain', 'home.arpa', 'lan', 'intranet']
function internalName(host: string): boolean {
  if (!host.includes('.')) return true
  return INTERNAL.some((s) => host === s || host.endsWith('.' + s))
}

/** Dotted-decimal IPv4 (as the URL parser writes it) as a number, or null for a name. */
function ipv4(host: string): number | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host)
  if (!m) return null
  const parts = m.slice(1).map(Number)
  if (parts.some((p) => p > 255)) return null
  return ((parts[0]! << 24) | (parts[1]! << 16) | (parts[2]! << 8) | parts[3]!) >>> 0
}

/** IPv4 ranges that are not the public internet: [first address, prefix length]. */
const V4_BLOCKED: [string, number][] = [
  ['0.0.0.0', 8], // "this network", the unspecified address
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, cloud metadata (169.254.169.254)
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
]
const V4_RANGES = V4_BLOCKED.map(([a, bits]) => [ipv4(a)!, bits] as const)
const privateV4 = (n: number) => V4_RANGES.some(([base, bits]) => (n ^ base) >>> (32 - bits) === 0)

/** An IPv6 address (without brackets) as its eight 16-bit groups, or null. */
function ipv6(s: string): number[] | null {
  const dotted = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(s)
  if (dotted) {
    const n = ipv4(dotted[2]!)
    if (n === null) return null
    s = `${dotted[1]}${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`
  }
  const halves = s.split('::')
  if (halves.length > 2) return null
  const [head, tail] = halves.map((h) => (h ? h.split(':') : []))
  const missing = 8 - head!.length - (tail?.length ?? 0)
  if (tail ? missing < 1 : missing !== 0) return null
  const all = [...head!, ...Array<string>(tail ? missing : 0).fill('0'), ...(tail ?? [])]
  if (!all.every((g) => /^[0-9a-f]{1,4}$/i.test(g))) return null
  return all.map((g) => parseInt(g, 16))
}

/**
 * Only global unicast (2000::/3) is public, less the blocks in it that are not: IETF protocol
 * assignments and Teredo (2001::/23), documentation (2001:db8::/32, 3fff::/20) and 6to4
 * (2002::/16, which carries an IPv4 address). Outside it: the unspecified and loopback addresses,
 * IPv4-mapped and -compatible ones (::/80), NAT64 (64:ff9b::/96), unique local (fc00::/7, with
 * AWS's metadata fd00:ec2::254), link-local (fe80::/10) and multicast.
 */
function privateV6(g: number[]): boolean {
  const [a, b] = g as [number, number]
  if ((a & 0xe000) !== 0x2000) return true
  if (a === 0x2001 && (b < 0x200 || b === 0xdb8)) return true
  if (a === 0x2002) return true
  if (a === 0x3fff && b < 0x1000) return true
  return false
}
