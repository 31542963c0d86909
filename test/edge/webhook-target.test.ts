/**
 * A site's webhook cannot make the worker a probe of its own network: https to a public host
 * only, checked when the site is saved, again at delivery and after every redirect; the
 * delivery log says nothing of the connection. (The edge tests run as production does: no
 * ALERTS_ALLOW_HOSTS.)
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { SELF, env } from 'cloudflare:test'
import { ADMIN, emptyDb, givenSite, until } from './helpers'
import { allowedHosts, maskedUrl, NOT_HTTPS, NOT_PUBLIC, webhookTargetProblem } from '../../edge/domain/webhook-target'
import { deliverAlert } from '../../edge/jobs/alerts'

const HOOK = 'https://hooks.example/ciel'

describe('where a webhook may point', () => {
  it('refuses loopback, private, link-local, CGNAT, metadata and internal targets however they are spelled', () => {
    const refused = [
      'https://127.0.0.1:2375/',
      'https://localhost/',
      'https://LOCALHOST./x',
      'https://app.localhost/',
      'https://2130706433/', // 127.0.0.1 as one number
      'https://0x7f.1/', // hex, short
      'https://127.1/',
      'https://0177.0.0.1/', // octal
      'https://0x7f000001/',
      'https://%31%32%37.0.0.1/',
      'https://127.0.0.1./',
      'https://0/',
      'https://0.0.0.0/',
      'https://10.1.2.3/',
      'https://172.16.0.1/',
      'https://172.31.255.255/',
      'https://192.168.1.1/',
      'https://100.64.0.1/', // carrier-grade NAT
      'https://169.254.169.254/latest/meta-data/',
      'https://metadata.google.internal/computeMetadata/v1/',
      'https://[fd00:ec2::254]/',
      'https://[::1]/',
      'https://[::]/',
      'https://[::ffff:127.0.0.1]/', // IPv4-mapped
      'https://[::ffff:a9fe:a9fe]/', // 169.254.169.254, mapped
      'https://[::127.0.0.1]/', // IPv4-compatible
      'https://[64:ff9b::7f00:1]/', // NAT64
      'https://[2002:7f00:1::]/', // 6to4
      'https://[fe80::1]/',
      'https://[fc00::1]/',
      'https://printer.local/',
      'https://db.internal/',
      'https://router.home.arpa/',
      'https://intranet/',
    ]
    for (const url of refused) expect([url, webhookTargetProblem(url)]).toEqual([url, NOT_PUBLIC])
    const allowed = [
      'https://hooks.slack.com/services/T000/B000/XXXX',
      'https://hooks.example:8443/ciel?secret=abc',
      'https://8.8.8.8/',
      'https://172.32.0.1/',
      'https://100.128.0.1/',
      'https://[2606:4700:4700::1111]/',
    ]
    for (const url of allowed) expect([url, webhookTargetProblem(url)]).toEqual([url, null])
    expect(webhookTargetProblem('http://hooks.example/ciel')).toBe(NOT_HTTPS)
    expect(webhookTargetProblem('ftp://hooks.example/ciel')).toBe(NOT_HTTPS)
    expect(webhookTargetProblem('not a url')).toBe(NOT_HTTPS)
  })

  it('lets the hosts of ALERTS_ALLOW_HOSTS through, over http too, and no others', () => {
    const allow = allowedHosts(' 127.0.0.1, localhost ')
    expect(allow).toEqual(['127.0.0.1', 'localhost'])
    expect(webhookTargetProblem('http://127.0.0.1:9999/hook', allow)).toBeNull()
    expect(webhookTargetProblem('http://2130706433:9999/hook', allow)).toBeNull() // the same address
    expect(webhookTargetProblem('http://localhost:9999/hook', allow)).toBeNull()
    expect(webhookTargetProblem('https://127.0.0.2/', allow)).toBe(NOT_PUBLIC)
    expect(webhookTargetProblem('https://169.254.169.254/', allow)).toBe(NOT_PUBLIC)
    expect(allowedHosts(undefined)).toEqual([])
  })

  it('masks a URL to its origin', () => {
    expect(maskedUrl('https://user:pw@hooks.example:8443/ciel?secret=abc')).toBe('https://hooks.example:8443/…')
  })
})

/**
 * The network as the worker's fetch sees it: `hosts` answer with their handler; any other
 * address refuses the connection (as a closed port does). Redirects are followed as fetch does,
 * unless the caller asks for `redirect: 'manual'`. Every request is kept.
 */
function network(hosts: Record<string, (req: Request) => Response>) {
  const asked: string[] = []
  const real = globalThis.fetch
  const mine = (url: URL) => url.host in hosts || url.hostname !== 'edge.example'
  const fake = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const req = new Request(input, init)
    const url = new URL(req.url)
    if (!mine(url)) return real(input, init)
    asked.push(req.url)
    const handler = hosts[url.host]
    if (!handler) throw new TypeError(`Network connection lost: connect ECONNREFUSED ${url.host}`)
    const r = handler(req)
    const location = r.headers.get('location')
    if (location && init?.redirect !== 'manual') return fake(new URL(location, req.url).href, init)
    return r
  }
  vi.spyOn(globalThis, 'fetch').mockImplementation(fake)
  return asked
}

const put = (settings: object) =>
  SELF.fetch('https://edge.example/v1/admin/sites/acme', {
    method: 'PUT',
    headers: ADMIN,
    body: JSON.stringify({ origins: ['https://shop.example'], settings }),
  })
const log = async () => {
  const r = await SELF.fetch('https://edge.example/v1/admin/sites/acme/alerts', { headers: ADMIN })
  return ((await r.json()) as { alerts: any[] }).alerts
}
const testAlert = async () => {
  const r = await SELF.fetch('https://edge.example/v1/admin/sites/acme/alerts/test', { method: 'POST', headers: ADMIN })
  expect(r.status).toBe(202)
  return ((await r.json()) as { id: string }).id
}

beforeEach(async () => {
  await emptyDb()
  await givenSite('acme', {}, undefined, { alerts: { url: HOOK } })
})
afterEach(() => vi.restoreAllMocks())

describe('a webhook through the worker', () => {
  it('is refused when saved pointing at the worker’s own network or over http: 400 naming the field, nothing saved', async () => {
    for (const url of [
      'https://127.0.0.1:2375/',
      'https://localhost:8787/v1/admin/sites',
      'https://2130706433:6379/',
      'https://0x7f.1/',
      'https://169.254.169.254/latest/meta-data/',
      'https://metadata.google.internal/',
      'https://[fd00:ec2::254]/',
      'https://[::ffff:127.0.0.1]/',
    ]) {
      const r = await put({ alerts: { url } })
      expect([url, r.status, await r.json()]).toEqual([
        url,
        400,
        { error: `settings.alerts.url ${NOT_PUBLIC}`, path: 'settings.alerts.url' },
      ])
    }
    const http = await put({ alerts: { url: 'http://hooks.example/ciel' } })
    expect(await http.json()).toEqual({
      error: 'settings.alerts.url must be an https URL',
      path: 'settings.alerts.url',
    })
    const patch = await SELF.fetch('https://edge.example/v1/admin/sites/acme', {
      method: 'PATCH',
      headers: ADMIN,
      body: JSON.stringify({ settings: { alerts: { url: 'https://127.1/' } } }),
    })
    expect(patch.status).toBe(400)
    const site = (await (
      await SELF.fetch('https://edge.example/v1/admin/sites/acme', { headers: ADMIN })
    ).json()) as any
    expect(site.settings.alerts.url).toBe(HOOK)
  })

  it('is not asked when the stored URL points inside (saved before the rule): failed at once, "refused: target not allowed"', async () => {
    await givenSite('acme', {}, undefined, { alerts: { url: 'http://127.0.0.1:2375/containers/json' } })
    const asked = network({})
    const id = await testAlert()
    const [alert] = await until(async () => {
      const alerts = await log()
      expect(alerts).toMatchObject([{ id, status: 'failed' }])
      return alerts
    })
    // In English, and as a word the dashboard says in the team's language.
    expect(alert).toMatchObject({
      attempts: 1,
      lastStatus: 0,
      lastError: 'refused: target not allowed',
      lastProblem: 'refused',
    })
    expect(asked).toEqual([])
  })

  it('follows a redirect only to a public https target, checked before it is asked', async () => {
    const got: { url: string; signature: string | null }[] = []
    const asked = network({
      'hooks.example': (req) =>
        new Response(null, {
          status: 307,
          headers: { location: new URL(req.url).pathname === '/ciel' ? 'http://127.0.0.1:6379/' : '/moved' },
        }),
      'relay.example': (req) => (
        got.push({ url: req.url, signature: req.headers.get('ciel-signature') }),
        new Response('ok')
      ),
    })
    const id = await testAlert()
    await until(async () => expect(await log()).toMatchObject([{ id, status: 'failed' }]))
    expect((await log())[0]).toMatchObject({ attempts: 1, lastError: 'refused: target not allowed' })
    expect(asked).toEqual([HOOK])

    // A public URL that moved to another public one: followed, the body signed as before.
    await givenSite('acme', {}, undefined, { alerts: { url: 'https://relay.example/start' } })
    const hosts = network({
      'relay.example': (req) =>
        new URL(req.url).pathname === '/start'
          ? new Response(null, { status: 308, headers: { location: 'https://relay.example/hook' } })
          : (got.push({ url: req.url, signature: req.headers.get('ciel-signature') }), new Response('ok')),
    })
    const second = await testAlert()
    await until(async () =>
      expect((await log()).find((a) => a.id === second)).toMatchObject({ status: 'delivered', attempts: 1 }),
    )
    expect(hosts).toEqual(['https://relay.example/start', 'https://relay.example/hook'])
    expect(got).toEqual([{ url: 'https://relay.example/hook', signature: expect.stringMatching(/^t=\d+,v1=/) }])
  })

  it('logs "no answer" for a connection that fails, whatever the network said (no port scanner)', async () => {
    const refusing = vi.fn(async () => {
      throw new TypeError('Network connection lost: connect ECONNREFUSED 203.0.113.9:2375')
    })
    const now = Date.now()
    const job = {
      kind: 'alert' as const,
      site: 'acme',
      id: 'ev-down',
      answer: {
        id: 'ev-down',
        survey: 'help',
        visitor: 'v1',
        url: 'https://shop.example/',
        ts: now,
        answer: { q: 'csat', kind: 'csat', score: 1 },
        reason: 'CSAT 1 of 5',
      },
    }
    expect(await deliverAlert(env, job, now, refusing as typeof fetch)).toMatchObject({ status: 'retrying' })
    expect(refusing).toHaveBeenCalledTimes(1)
    expect(await log()).toMatchObject([
      { id: 'ev-down', status: 'retrying', lastStatus: 0, lastError: 'no answer', lastProblem: 'noAnswer' },
    ])
  })
})
