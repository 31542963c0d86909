import { beforeEach, describe, expect, it } from 'vitest'
import { SELF } from 'cloudflare:test'
import { ADMIN, emptyDb, givenSite } from './helpers'

beforeEach(emptyDb)

const get = (path: string, headers: Record<string, string> = {}) =>
  SELF.fetch(`https://edge.example${path}`, { headers })

describe('GET /v1/config', () => {
  it('serves the public config with an ETag and answers 304 when it has not changed', async () => {
    await givenSite('acme', { consent: 'opt-in', slots: [{ id: 'hero' }] })
    const r = await get('/v1/config?site=acme')
    expect(r.status).toBe(200)
    // A slot nothing decides: its page shows the default at once on a first visit (no rule to wait for).
    expect(await r.json()).toEqual({ consent: 'opt-in', slots: [{ id: 'hero', first: [] }] })
    const etag = r.headers.get('etag')!
    expect(etag).toMatch(/^".+"$/)
    const again = await get('/v1/config?site=acme', { 'if-none-match': etag })
    expect(again.status).toBe(304)
  })

  it('changes the ETag when the team changes the config through the admin API', async () => {
    await givenSite('acme', { consent: 'opt-out' })
    const before = (await get('/v1/config?site=acme')).headers.get('etag')
    const put = await SELF.fetch('https://edge.example/v1/admin/sites/acme', {
      method: 'PUT',
      headers: ADMIN,
      body: JSON.stringify({ origins: ['https://shop.example'], config: { consent: 'cookieless' } }),
    })
    expect(put.status).toBe(200)
    const after = await get('/v1/config?site=acme')
    expect(after.headers.get('etag')).not.toBe(before)
    expect(await after.json()).toEqual({ consent: 'cookieless' })
  })

  it('answers 404 for an unknown site and 400 without a site', async () => {
    expect((await get('/v1/config?site=ghost')).status).toBe(404)
    const r = await get('/v1/config')
    expect(r.status).toBe(400)
    expect(await r.json()).toEqual({ error: 'missing ?site=KEY', path: 'site' })
  })
})

describe('admin API', () => {
  it('refuses requests without the admin token, or with a wrong one', async () => {
    await givenSite()
    const none = await get('/v1/admin/sites/acme')
    expect(none.status).toBe(401)
    const wrong = await get('/v1/admin/sites/acme', { authorization: 'Bearer nope' })
    expect(wrong.status).toBe(403)
    expect(((await wrong.json()) as any).error).toBe('token is not valid')
  })

  it('refuses a site definition with a bad origin, and keeps the old one', async () => {
    await givenSite('acme', { consent: 'opt-out' })
    const r = await SELF.fetch('https://edge.example/v1/admin/sites/acme', {
      method: 'PUT',
      headers: ADMIN,
      body: JSON.stringify({ origins: ['not a url'], config: { consent: 'opt-in' } }),
    })
    expect(r.status).toBe(400)
    expect(((await r.json()) as any).error).toBe('origins[0] must be an origin like https://example.com')
    expect(await (await get('/v1/config?site=acme')).json()).toEqual({ consent: 'opt-out' })
  })

  it('refuses an outbox bound that makes no sense', async () => {
    await givenSite('acme')
    const r = await SELF.fetch('https://edge.example/v1/admin/sites/acme', {
      method: 'PUT',
      headers: ADMIN,
      body: JSON.stringify({ config: { outboxMax: 0 } }),
    })
    expect(r.status).toBe(400)
    expect(((await r.json()) as any).error).toBe('config.outboxMax must be a whole number from 3 to 100000')
  })

  it.each([
    ['a funnel without steps', { funnels: [{ id: 'onboarding' }] }, 'config.funnels[0].steps is missing'],
    [
      'steps that are not a list',
      { funnels: [{ id: 'f', steps: 'account' }] },
      'config.funnels[0].steps must be an array',
    ],
    [
      'a step without an id',
      { funnels: [{ id: 'f', steps: [{ maxSeconds: 5 }] }] },
      'config.funnels[0].steps[0].id is missing',
    ],
    ['a typo in a known field', { captur: {} }, 'config.captur is not a known field (check its spelling)'],
    [
      'a slot variant that is not a name',
      { slots: [{ id: 'hero', byInterest: { pricing: 42 } }] },
      'config.slots[0].byInterest.pricing must name a variant',
    ],
    [
      'two funnels with one id',
      {
        funnels: [
          { id: 'f', steps: [{ id: 'a' }] },
          { id: 'f', steps: [{ id: 'b' }] },
        ],
      },
      "config.funnels[1] uses the id 'f' twice",
    ],
    [
      'a click selector browsers cannot parse (no click would be recorded)',
      { capture: { clicks: ['button.buy', 'a['] } },
      "config.capture.clicks[1] must be a valid CSS selector like 'button.buy' or '[data-track]' (expected an attribute name at character 3)",
    ],
    [
      'a click selector with a pseudo-class browsers do not know',
      { capture: { clicks: ['a:hovr'] } },
      "config.capture.clicks[0] must be a valid CSS selector like 'button.buy' or '[data-track]' (unknown pseudo-class ':hovr' at character 7)",
    ],
  ])('refuses %s when the site is saved, naming the field, and keeps the old config', async (_, config, error) => {
    await givenSite('acme', { consent: 'opt-out' })
    const r = await SELF.fetch('https://edge.example/v1/admin/sites/acme', {
      method: 'PUT',
      headers: ADMIN,
      body: JSON.stringify({ origins: [], config }),
    })
    expect(r.status).toBe(400)
    expect(await r.json()).toEqual({ error, path: error.split(' ')[0] })
    expect(await (await get('/v1/config?site=acme')).json()).toEqual({ consent: 'opt-out' })
  })

  it('saves click selectors browsers parse, lists, combinators and pseudo-classes included', async () => {
    await givenSite('acme')
    const clicks = ['button.buy', '[data-track]', 'a[href$=".pdf" i]', 'nav > a:not(.muted), li:nth-child(2n+1) a']
    const r = await SELF.fetch('https://edge.example/v1/admin/sites/acme', {
      method: 'PUT',
      headers: ADMIN,
      body: JSON.stringify({ config: { capture: { clicks } } }),
    })
    expect(r.status).toBe(200)
    expect(await (await get('/v1/config?site=acme')).json()).toEqual({ capture: { clicks } })
  })

  it('publishes the JSON Schema of a site for editors, from the same schema the worker checks', async () => {
    const r = await get('/v1/schema/site')
    expect(r.status).toBe(200)
    const schema = (await r.json()) as any
    expect(schema.$schema).toMatch(/json-schema/)
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(['name', 'origins', 'config', 'settings']))
    expect(schema.properties.config.properties.consent.enum).toEqual(['opt-out', 'opt-in', 'cookieless'])
  })

  it('accepts a DELETE with an empty body as browsers and proxies send it', async () => {
    await givenSite('acme')
    const r = await SELF.fetch('https://edge.example/v1/visitors/nobody?site=acme', {
      method: 'DELETE',
      headers: ADMIN,
      body: '',
    })
    expect(r.status).toBe(200)
  })

  it('answers unknown API paths with a JSON 404', async () => {
    const r = await get('/v1/nothing-here')
    expect(r.status).toBe(404)
    expect(((await r.json()) as any).error).toMatch(/no such endpoint/)
  })
})
