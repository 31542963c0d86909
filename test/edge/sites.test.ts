import { SELF } from 'cloudflare:test'
import { beforeEach, describe, expect, it } from 'vitest'
import { ADMIN, ORIGIN, emptyDb, givenSite } from './helpers'
import { mergePatch } from '../../edge/domain/merge-patch'

const call = (method: string, path: string, body?: unknown, headers: Record<string, string> = ADMIN) =>
  SELF.fetch(`https://edge.example${path}`, {
    method,
    headers: { ...headers, 'content-type': 'application/json' },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  })
const json = async (r: Response | Promise<Response>) => (await (await r).json()) as any

const CONFIG = {
  funnels: [{ id: 'onboarding', steps: [{ id: 'account' }, { id: 'done' }] }],
  slots: [{ id: 'hero', byInterest: { pricing: 'pricing' } }],
  surveys: [{ id: 'nps', kind: 'nps', question: 'How likely are you to recommend us?' }],
  capture: { clicks: true, vitals: true },
}

beforeEach(async () => {
  await emptyDb()
  await givenSite('acme', CONFIG as never)
})

describe('JSON Merge Patch', () => {
  it('merges objects, deletes with null and replaces arrays (RFC 7386)', () => {
    expect(mergePatch({ a: { b: 1, c: 2 }, d: [1, 2] }, { a: { c: null, e: 3 }, d: [3] })).toEqual({
      a: { b: 1, e: 3 },
      d: [3],
    })
    expect(mergePatch({ a: 1 }, 'x')).toBe('x')
    expect(mergePatch({ a: 1 }, { ['__proto__']: { polluted: true } })).toEqual({ a: 1 })
    expect(({} as any).polluted).toBeUndefined()
  })
})

describe('PATCH /v1/admin/sites/:key', () => {
  it('changes only what it names and answers the whole site', async () => {
    const r = await call('PATCH', '/v1/admin/sites/acme', { config: { consent: 'opt-in', capture: { vitals: false } } })
    expect(r.status).toBe(200)
    const site = await r.json<any>()
    expect(site.config.consent).toBe('opt-in')
    expect(site.config.capture).toEqual({ clicks: true, vitals: false })
    // What the README's one-line PUT used to wipe is still there.
    expect(site.config.funnels).toEqual(CONFIG.funnels)
    expect(site.config.slots).toEqual(CONFIG.slots)
    expect(site.config.surveys).toEqual(CONFIG.surveys)
    expect(site.origins).toEqual([ORIGIN])
  })

  it('refuses a change that breaks the site, naming the field, and keeps the site as it was', async () => {
    const r = await call('PATCH', '/v1/admin/sites/acme', { config: { funnels: [{ id: 'x' }] } })
    expect(r.status).toBe(400)
    expect((await r.json<any>()).error).toBe('config.funnels[0].steps is missing')
    expect((await json(call('GET', '/v1/admin/sites/acme'))).config.funnels).toEqual(CONFIG.funnels)
    expect((await call('PATCH', '/v1/admin/sites/acme', '[1]')).status).toBe(400)
    expect((await call('PATCH', '/v1/admin/sites/nope', { name: 'x' })).status).toBe(404)
  })
})

describe('versions', () => {
  it('keeps the newest 20 saves with who and when, and restores any of them as a new version', async () => {
    for (let i = 1; i <= 22; i++) await call('PATCH', '/v1/admin/sites/acme', { name: `Acme ${i}` })
    const { versions } = await json(call('GET', '/v1/admin/sites/acme/versions'))
    expect(versions).toHaveLength(20)
    expect(versions[0]).toMatchObject({ version: 23, name: 'Acme 22', by: 'admin' })
    expect(versions.at(-1).version).toBe(4)
    const v10 = await json(call('GET', '/v1/admin/sites/acme/versions/10'))
    expect(v10).toMatchObject({ version: 10, name: 'Acme 9', config: CONFIG })

    const restored = await json(call('POST', '/v1/admin/sites/acme/versions/10/restore'))
    expect(restored).toMatchObject({ name: 'Acme 9', version: 24 })
    expect((await json(call('GET', '/v1/admin/sites/acme/versions'))).versions[0]).toMatchObject({
      version: 24,
      name: 'Acme 9',
    })
    const gone = await call('POST', '/v1/admin/sites/acme/versions/2/restore')
    expect(gone.status).toBe(404)
    expect((await gone.json<any>()).error).toBe("site 'acme' keeps no version 2")
  })

  it('records which API key made a change', async () => {
    const key = await json(call('POST', '/v1/admin/sites/acme/keys', { name: 'editor', scopes: ['manage'] }))
    await call('PATCH', '/v1/admin/sites/acme', { name: 'By key' }, { authorization: `Bearer ${key.token}` })
    const { versions } = await json(call('GET', '/v1/admin/sites/acme/versions'))
    expect(versions[0]).toMatchObject({ name: 'By key', by: `key:${key.id}` })
    const reader = await json(call('POST', '/v1/admin/sites/acme/keys', { name: 'reader', scopes: ['read'] }))
    const refused = await call(
      'PATCH',
      '/v1/admin/sites/acme',
      { name: 'x' },
      { authorization: `Bearer ${reader.token}` },
    )
    expect(refused.status).toBe(403)
  })
})

describe('POST /v1/admin/sites', () => {
  it('creates a site with a key made from its name, and answers the tag to paste', async () => {
    const r = await call('POST', '/v1/admin/sites', { name: 'Tandem Docs', origins: ['https://docs.tandem.example'] })
    expect(r.status).toBe(201)
    const site = await r.json<any>()
    expect(site.key).toMatch(/^tandem-docs-[0-9a-f]{6}$/)
    expect(site.tag).toContain(`<script async src="https://edge.example/s.js" data-site="${site.key}"></script>`)
    expect(site.origins).toEqual(['https://docs.tandem.example'])
    expect((await call('GET', `/v1/admin/sites/${site.key}`)).status).toBe(200)
  })

  it('refuses a key that exists, a bad key, a bad site, and anyone but the admin', async () => {
    expect((await call('POST', '/v1/admin/sites', { key: 'acme' })).status).toBe(409)
    const bad = await call('POST', '/v1/admin/sites', { key: 'no spaces' })
    expect(bad.status).toBe(400)
    expect((await bad.json<any>()).error).toMatch(/site key may only contain/)
    const origins = await call('POST', '/v1/admin/sites', { name: 'x', origins: ['not an origin'] })
    expect(origins.status).toBe(400)
    expect((await origins.json<any>()).error).toBe('origins[0] must be an origin like https://example.com')
    const key = await json(call('POST', '/v1/admin/sites/acme/keys', { name: 'm', scopes: ['manage'] }))
    expect(
      (await call('POST', '/v1/admin/sites', { name: 'x' }, { authorization: `Bearer ${key.token}` })).status,
    ).toBe(403)
  })
})
