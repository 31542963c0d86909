/**
 * Saved views per site (issue #27): a team names what the dashboard shows and finds it again;
 * each site sees only its own; bad input is refused whole, naming the field.
 */
import { beforeEach, describe, expect, it } from 'vitest'
import { SELF, env } from 'cloudflare:test'
import { emptyDb, givenSite } from './helpers'
import { MAX_VIEWS } from '../../edge/domain/saved-views'

const call = async (method: string, path: string, body?: unknown, token = env.ADMIN_TOKEN) => {
  const r = await SELF.fetch(`https://edge.example${path}`, {
    method,
    headers: { authorization: `Bearer ${token}` },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  })
  return { status: r.status, body: (await r.json()) as any }
}
const views = async (site = 'acme') => (await call('GET', `/v1/admin/sites/${site}/views`)).body.views as any[]
const count = async () => (await env.DB.prepare('SELECT count(*) AS n FROM saved_views').first<{ n: number }>())!.n

const MOBILE_SIGNUPS = {
  days: 7,
  segment: { device: 'mobile' },
  breakdown: { event: 'track:signup', by: 'prop:plan', top: 5 },
  retention: { event: 'track:login', weeks: 12 },
  steps: 'page:/pricing,track:signup',
  window: '14',
}

beforeEach(async () => {
  await emptyDb()
  await givenSite('acme')
  await givenSite('other')
})

describe('saved views', () => {
  it('saves a named view, lists it with what it shows, and deletes it', async () => {
    const saved = await call('POST', '/v1/admin/sites/acme/views', { name: '  Mobile signups ', state: MOBILE_SIGNUPS })
    expect(saved.status).toBe(201)
    expect(saved.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{12}$/),
      name: 'Mobile signups',
      state: MOBILE_SIGNUPS,
      by: 'admin',
      createdAt: expect.any(Number),
    })
    await call('POST', '/v1/admin/sites/acme/views', { name: 'all visitors', state: {} })
    expect((await views()).map((v) => v.name)).toEqual(['all visitors', 'Mobile signups'])
    expect((await call('GET', `/v1/admin/sites/acme/views/${saved.body.id}`)).body).toEqual(saved.body)

    expect(await call('DELETE', `/v1/admin/sites/acme/views/${saved.body.id}`)).toEqual({
      status: 200,
      body: { deleted: saved.body.id },
    })
    expect((await views()).map((v) => v.name)).toEqual(['all visitors'])
    const again = await call('DELETE', `/v1/admin/sites/acme/views/${saved.body.id}`)
    expect(again).toEqual({ status: 404, body: { error: `site 'acme' has no saved view '${saved.body.id}'` } })
    expect((await call('GET', `/v1/admin/sites/acme/views/${saved.body.id}`)).status).toBe(404)
  })

  it("shows a site's views to that site only: another site cannot list, read or delete them", async () => {
    const saved = (await call('POST', '/v1/admin/sites/acme/views', { name: 'Mine', state: MOBILE_SIGNUPS })).body
    expect(await views('other')).toEqual([])
    expect((await call('GET', `/v1/admin/sites/other/views/${saved.id}`)).status).toBe(404)
    expect((await call('DELETE', `/v1/admin/sites/other/views/${saved.id}`)).status).toBe(404)
    // The same name is free on another site.
    expect((await call('POST', '/v1/admin/sites/other/views', { name: 'Mine', state: {} })).status).toBe(201)
    expect((await views()).map((v) => v.id)).toEqual([saved.id])

    // A key of one site reaches no other's; a read key lists but cannot save or delete.
    const key = await call('POST', '/v1/admin/sites/other/keys', { name: 'reader', scopes: ['read'] })
    const reader = key.body.token as string
    expect((await call('GET', '/v1/admin/sites/acme/views', undefined, reader)).status).toBe(403)
    expect((await call('GET', '/v1/admin/sites/other/views', undefined, reader)).body.views).toHaveLength(1)
    const write = await call('POST', '/v1/admin/sites/other/views', { name: 'x', state: {} }, reader)
    expect(write).toEqual({ status: 403, body: { error: "this API key may not change site 'other'" } })
    expect((await call('GET', '/v1/admin/sites/nowhere/views')).status).toBe(404)
    expect((await call('GET', '/v1/admin/sites/acme/views', undefined, 'wrong')).status).toBe(403)
  })

  it('refuses a bad name or state with 400 naming the field, and writes nothing', async () => {
    const refused = async (body: unknown, error: string, path?: string) => {
      const r = await call('POST', '/v1/admin/sites/acme/views', body)
      expect(r).toEqual({ status: 400, body: path ? { error, path } : { error } })
    }
    await refused({ name: '   ', state: {} }, 'name must not be empty', 'name')
    await refused({ name: 'x'.repeat(81), state: {} }, 'name is longer than 80 characters', 'name')
    await refused({ name: 7, state: {} }, 'name must be a string', 'name')
    await refused({ name: 'No state' }, 'state is missing', 'state')
    await refused({ name: 'x', state: { days: 14 } }, 'state.days must be 1, 7, 30 or 90', 'state.days')
    await refused(
      { name: 'x', state: { segment: { device: 'fridge' } } },
      'state.segment.device must be mobile, tablet or desktop',
      'state.segment.device',
    )
    await refused(
      { name: 'x', state: { breakdown: { event: 'track:signup', by: 'colour', top: 5 } } },
      'state.breakdown.by must be page, source, device, country, language, segment or prop:NAME',
      'state.breakdown.by',
    )
    await refused(
      { name: 'x', state: { breakdown: { event: 'pageview', by: 'page', top: 0 } } },
      'state.breakdown.top must be a whole number from 1 to 50',
      'state.breakdown.top',
    )
    await refused(
      { name: 'x', state: { retention: { event: 'any', weeks: 5 } } },
      'state.retention.weeks must be 4, 8, 12 or 26',
      'state.retention.weeks',
    )
    await refused(
      { name: 'x', state: { steps: 'page:/pricing,track:signup', window: 'week' } },
      'state.window must be a number of days',
      'state.window',
    )
    // A visitor is not kept in a view (an erasure must leave nothing behind).
    await refused(
      { name: 'x', state: { open: 'visitor-1' } },
      'state.open is not a known field (check its spelling)',
      'state.open',
    )
    await refused({ name: 'x', state: {}, extra: 1 }, 'extra is not a known field (check its spelling)', 'extra')
    await refused('{"name": "x", ', expect.stringContaining('JSON') as unknown as string)
    expect(await count()).toBe(0)
  })

  it('keeps a name once per site: a second view of that name is refused (409) and the first stays as it was', async () => {
    await call('POST', '/v1/admin/sites/acme/views', { name: 'Weekly', state: { days: 7 } })
    const twice = await call('POST', '/v1/admin/sites/acme/views', { name: 'Weekly', state: { days: 90 } })
    expect(twice).toEqual({
      status: 409,
      body: {
        error: "site 'acme' has a view named 'Weekly' already: choose another name, or delete that one first",
        path: 'name',
      },
    })
    expect((await views()).map((v) => v.state)).toEqual([{ days: 7 }])
  })

  it('keeps at most MAX_VIEWS views a site: past them a save is refused (409) until one is deleted', async () => {
    const insert = env.DB.prepare(
      "INSERT INTO saved_views (site, id, name, state, by, created_at) VALUES ('acme', ?, ?, '{}', 'admin', 0)",
    )
    await env.DB.batch(Array.from({ length: MAX_VIEWS - 1 }, (_, i) => insert.bind(`v${i}`, `view ${i}`)))
    expect((await call('POST', '/v1/admin/sites/acme/views', { name: 'last one', state: {} })).status).toBe(201)
    const over = await call('POST', '/v1/admin/sites/acme/views', { name: 'one more', state: {} })
    expect(over).toEqual({
      status: 409,
      body: { error: `site 'acme' keeps ${MAX_VIEWS} saved views already: delete one first` },
    })
    expect(await count()).toBe(MAX_VIEWS)
    await call('DELETE', '/v1/admin/sites/acme/views/v0')
    expect((await call('POST', '/v1/admin/sites/acme/views', { name: 'one more', state: {} })).status).toBe(201)
  })
})
