/**
 * Per-site API keys with scopes (issue #7): a key reads, manages or erases its own site only;
 * it is stored hashed, shown once, revocable; failed sign-ins are throttled per address and
 * logged against the site they named.
 */
import { beforeEach, describe, expect, it } from 'vitest'
import { SELF, env } from 'cloudflare:test'
import { emptyDb, givenSite, until } from './helpers'

const call = async (method: string, path: string, token?: string, body?: unknown, ip = '192.0.2.1') => {
  const headers: Record<string, string> = { 'cf-connecting-ip': ip }
  if (token) headers.authorization = `Bearer ${token}`
  const r = await SELF.fetch(`https://edge.example${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  return { status: r.status, body: (await r.json()) as any, headers: r.headers }
}
const admin = env.ADMIN_TOKEN

async function newKey(site: string, scopes: string[], token = admin) {
  const r = await call('POST', `/v1/admin/sites/${site}/keys`, token, { name: `${scopes.join('+')} key`, scopes })
  expect(r.status).toBe(201)
  return r.body as { id: string; token: string; scopes: string[] }
}

beforeEach(async () => {
  await emptyDb()
  await givenSite('acme')
  await givenSite('other')
})

describe('API keys', () => {
  it('lets a read key read its own site only: no changes, no erasure, no other site', async () => {
    const key = await newKey('acme', ['read'])
    expect(key.token).toMatch(/^ciel_[0-9a-f]{12}_[0-9a-f]{48}$/)
    expect((await call('GET', '/v1/insights/overview?site=acme', key.token)).status).toBe(200)
    expect((await call('GET', '/v1/admin/sites/acme', key.token)).status).toBe(200)
    expect((await call('GET', '/v1/admin/sites', key.token)).body).toEqual({ sites: [{ key: 'acme', name: 'acme' }] })
    const other = await call('GET', '/v1/insights/overview?site=other', key.token)
    expect(other).toMatchObject({ status: 403, body: { error: "this API key may not read site 'other'" } })
    expect((await call('PUT', '/v1/admin/sites/acme', key.token, { name: 'mine now' })).status).toBe(403)
    const erase = await call('DELETE', '/v1/visitors/v1?site=acme', key.token)
    expect(erase).toMatchObject({ status: 403, body: { error: "this API key may not erase data of site 'acme'" } })
    expect((await call('GET', '/v1/admin/sites/acme/keys', key.token)).status).toBe(403)
  })

  it('stores only a hash of the secret, answers the token once, and refuses a revoked key', async () => {
    const key = await newKey('acme', ['read', 'erase'])
    const row = await env.DB.prepare('SELECT * FROM api_keys WHERE id = ?').bind(key.id).first<Record<string, string>>()
    expect(JSON.stringify(row)).not.toContain(key.token.split('_')[2])
    const list = await call('GET', '/v1/admin/sites/acme/keys', admin)
    expect(list.body.keys).toEqual([
      expect.objectContaining({ id: key.id, scopes: ['read', 'erase'], revokedAt: null }),
    ])
    expect(JSON.stringify(list.body)).not.toContain(key.token)
    expect((await call('DELETE', `/v1/admin/sites/acme/keys/${key.id}`, admin)).body).toEqual({ revoked: key.id })
    expect((await call('GET', '/v1/insights/overview?site=acme', key.token)).status).toBe(403)
    expect((await call('DELETE', '/v1/admin/sites/acme/keys/nope', admin)).status).toBe(404)
  })

  it('lets a manage key change its site and hand out keys, but never more than it may do itself', async () => {
    const manager = await newKey('acme', ['read', 'manage'])
    const put = await call('PUT', '/v1/admin/sites/acme', manager.token, { name: 'Acme shop', origins: [] })
    expect(put).toMatchObject({ status: 200, body: { name: 'Acme shop' } })
    expect((await call('PUT', '/v1/admin/sites/brand-new', manager.token, { name: 'x' })).status).toBe(403)
    const reader = await newKey('acme', ['read'], manager.token)
    expect(reader.scopes).toEqual(['read'])
    const greedy = await call('POST', '/v1/admin/sites/acme/keys', manager.token, { name: 'x', scopes: ['erase'] })
    expect(greedy).toMatchObject({ status: 403, body: { error: 'this API key may not create a key with erase' } })
    const bad = await call('POST', '/v1/admin/sites/acme/keys', admin, { name: 'x', scopes: ['root'] })
    expect(bad).toMatchObject({ status: 400, body: { error: 'scopes[0] must be read, manage or erase' } })
  })

  it('throttles failed sign-ins per address (429 with Retry-After), and logs them against the site', async () => {
    const statuses: number[] = []
    for (let i = 0; i < 11; i++)
      statuses.push(
        (await call('GET', '/v1/insights/overview?site=acme', `guess-${i}`, undefined, '192.0.2.66')).status,
      )
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(403))
    const blocked = await call('GET', '/v1/insights/overview?site=acme', admin, undefined, '192.0.2.66')
    expect(blocked.status).toBe(429)
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0)
    expect(statuses[10]).toBe(429)
    // Another address is not affected.
    expect((await call('GET', '/v1/insights/overview?site=acme', admin, undefined, '192.0.2.67')).status).toBe(200)
    // Logged off the answer's path: wait for it.
    await until(async () => {
      const usage = await call('GET', '/v1/admin/sites/acme/usage?days=1', admin, undefined, '192.0.2.67')
      expect(usage.body.days[0].authFailures).toBeGreaterThanOrEqual(10)
    })
  })

  it('answers 400 to a site key no site can have, and logs no failed sign-in under it', async () => {
    const long = 'k'.repeat(8000)
    const error = "site key must be 1-64 letters, digits, '-' or '_'"
    for (const path of [
      `/v1/insights/overview?site=${long}`,
      `/v1/admin/sites/${long}`,
      `/v1/admin/sites/${'k'.repeat(64)}x/usage`,
      '/v1/export?site=a%20b',
    ])
      expect(await call('GET', path, 'a-wrong-token', undefined, '192.0.2.70')).toMatchObject({
        status: 400,
        body: { error },
      })
    // A failure naming a real site is still logged: once it is, nothing else was.
    expect(
      (await call('GET', '/v1/insights/overview?site=acme', 'a-wrong-token', undefined, '192.0.2.70')).status,
    ).toBe(403)
    await until(async () => {
      const rows = await env.DB.prepare('SELECT site, n FROM auth_failures').all()
      expect(rows.results).toEqual([{ site: 'acme', n: 1 }])
    })
  })
})
