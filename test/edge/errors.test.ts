/**
 * Every refusal has one shape, `{error, path?}` with a 4xx: `path` names the field or query
 * parameter at fault, so a client (the dashboard's editors) can point at it without reading
 * the sentence.
 */
import { SELF, env } from 'cloudflare:test'
import { beforeEach, describe, expect, it } from 'vitest'
import { ADMIN, batch, drained, emptyDb, event, givenSite, post } from './helpers'

const at = (path: string, init: RequestInit = {}) => SELF.fetch(`https://edge.example${path}`, init)
const send = (method: string, path: string, body: string | undefined, headers: Record<string, string> = {}) =>
  at(path, { method, headers: { ...ADMIN, ...headers }, body })
const JSON_TYPE = { 'content-type': 'application/json' }

/** The answer as a client sees it: status, content type, and the body parsed (or as text when it is not JSON). */
async function answer(r: Response) {
  const text = await r.text()
  let body: unknown = text
  try {
    body = JSON.parse(text)
  } catch {}
  return { status: r.status, json: r.headers.get('content-type')?.startsWith('application/json') ?? false, body }
}

const CONFIG = {
  funnels: [{ id: 'onboarding', steps: [{ id: 'account' }, { id: 'done' }] }],
  segments: [{ id: 'returning', rule: { field: 'returning', op: 'eq', value: true } }],
  surveys: [{ id: 'nps', kind: 'nps', question: 'How likely are you to recommend us?' }],
}

beforeEach(async () => {
  await emptyDb()
  await givenSite('acme', CONFIG as never)
})

describe('a bad field of a site', () => {
  it('answers 400 with the sentence and the field apart, and saves nothing', async () => {
    const surveys = [
      { id: 'nps', kind: 'nps', question: 'How likely?' },
      { id: 'help', kind: 'text', question: 'What is missing?', trigger: { path: 'pricing' } },
    ]
    const r = await answer(await send('PUT', '/v1/admin/sites/acme', JSON.stringify({ config: { surveys } })))
    expect(r).toEqual({
      status: 400,
      json: true,
      body: {
        error: 'config.surveys[1].trigger.path must be a URL path starting with /',
        path: 'config.surveys[1].trigger.path',
      },
    })
    const patched = await answer(
      await send('PATCH', '/v1/admin/sites/acme', JSON.stringify({ settings: { retentionDays: 0 } }), JSON_TYPE),
    )
    expect(patched.body).toEqual({
      error: 'settings.retentionDays must be a whole number from 1 to 3650',
      path: 'settings.retentionDays',
    })
    const site = (await (await send('GET', '/v1/admin/sites/acme', undefined)).json()) as any
    expect(site.config.surveys).toEqual(CONFIG.surveys)
    expect(site.settings.retentionDays).toBe(90)
  })

  it('points inside a nested segment rule, naming the segment, and answers the same for a live count', async () => {
    const rule = { all: ['returning', { not: { any: [{ field: 'sessions', op: 'more', value: 2 }] } }] }
    const r = await answer(
      await send('PATCH', '/v1/admin/sites/acme', JSON.stringify({ config: { segments: [{ id: 'fans', rule }] } })),
    )
    expect(r).toEqual({
      status: 400,
      json: true,
      body: {
        error:
          "config segments[0] 'fans': rule.all[1].not.any[0].op must be one of eq, ne, gt, gte, lt, lte, in, exists, within, contains",
        path: 'config.segments[0].rule.all[1].not.any[0].op',
      },
    })
    const count = await answer(await send('POST', '/v1/admin/sites/acme/segments/count', JSON.stringify({ rule })))
    expect(count.body).toEqual({
      error: 'rule.all[1].not.any[0].op must be one of eq, ne, gt, gte, lt, lte, in, exists, within, contains',
      path: 'rule.all[1].not.any[0].op',
    })
    const unknown = await answer(
      await send(
        'POST',
        '/v1/admin/sites/acme/segments/count',
        JSON.stringify({ rule: { any: ['returning', 'vip'] } }),
      ),
    )
    expect(unknown).toMatchObject({
      status: 400,
      body: { error: "rule.any[1] names the unknown segment 'vip'", path: 'rule.any[1]' },
    })
  })

  it('refuses a rule nested past what the worker evaluates with a 400, however deep the body nests it', async () => {
    let rule: unknown = { field: 'sessions', op: 'gt', value: 1 }
    for (let i = 0; i < 20_000; i++) rule = { not: rule }
    const r = await answer(
      await send('PATCH', '/v1/admin/sites/acme', JSON.stringify({ config: { segments: [{ id: 'deep', rule }] } })),
    )
    expect(r).toEqual({
      status: 400,
      json: true,
      body: { error: "config segments[0] 'deep': rule nests more than 8 levels", path: 'config.segments[0].rule' },
    })
  })
})

describe('a bad query parameter', () => {
  it.each([
    ['/v1/insights/overview?site=acme&days=0', 'days must be a whole number from 1 to 365', 'days'],
    ['/v1/insights/funnels?site=acme&vs.device=phone', '?vs.device must be mobile, tablet or desktop', 'vs.device'],
    ['/v1/insights/visitors?site=acme&limit=501', 'limit must be a whole number from 1 to 500', 'limit'],
    [
      '/v1/insights/journeys?site=acme&from=pricing',
      '?from must be a page path starting with / (as the Pages table names it)',
      'from',
    ],
    ['/v1/admin/sites/acme/events?limit=lots', 'limit must be a whole number from 1 to 1000', 'limit'],
    ['/v1/admin/sites/acme/usage?days=366', 'days must be a whole number from 1 to 365', 'days'],
    ['/v1/admin/sites/acme/alerts?days=1&limit=0', 'limit must be a whole number from 1 to 1000', 'limit'],
    ['/v1/config?site=a%20b', "site key may only contain letters, digits, '-' and '_'", 'site'],
  ])('%s answers 400 naming the parameter', async (url, error, path) => {
    expect(await answer(await send('GET', url, undefined))).toEqual({ status: 400, json: true, body: { error, path } })
  })

  it('reads a parameter given twice as its first value, as before the schemas (a client appending its own)', async () => {
    expect((await post('/v1/events', batch([event(), event()]))).status).toBe(200)
    await drained()
    const twice = await answer(
      await send('GET', '/v1/admin/sites/acme/events?limit=1000&type=pageview&limit=1', undefined),
    )
    expect(twice.status).toBe(200)
    expect((twice.body as { events: unknown[] }).events).toHaveLength(2)
  })
})

describe('a body that is not JSON, or not the JSON asked for', () => {
  it('answers 400 in the same words on every route that takes one, whatever the content type says', async () => {
    const routes: [string, string, Record<string, string>][] = [
      ['PUT', '/v1/admin/sites/acme', ADMIN],
      ['PATCH', '/v1/admin/sites/acme', ADMIN],
      ['POST', '/v1/admin/sites', ADMIN],
      ['POST', '/v1/admin/sites/acme/keys', ADMIN],
      ['POST', '/v1/admin/sites/acme/segments/count', ADMIN],
      ['POST', '/v1/events', { origin: 'https://shop.example' }],
      ['POST', '/v1/decide', { origin: 'https://shop.example' }],
    ]
    const bodies: [string, string, string][] = [
      ['{"name": ', 'application/json', 'body is not valid JSON'],
      ['{"name": ', 'text/plain', 'body is not valid JSON'],
      ['name=x&scopes=read', 'application/x-www-form-urlencoded', 'body is not valid JSON'],
      ['', 'application/json', 'body is empty; expected a JSON object'],
    ]
    for (const [method, path, auth] of routes)
      for (const [body, type, error] of bodies) {
        const r = await answer(await at(path, { method, headers: { ...auth, 'content-type': type }, body }))
        expect([method, path, type, body, r]).toEqual([
          method,
          path,
          type,
          body,
          { status: 400, json: true, body: { error } },
        ])
      }
    // A JSON array where an object belongs: the whole body is refused, no field named.
    for (const path of ['/v1/events', '/v1/decide'])
      expect((await answer(await post(path, '[]'))).body).toEqual({ error: 'body must be a JSON object' })
    const patch = await answer(await send('PATCH', '/v1/admin/sites/acme', '[1]', JSON_TYPE))
    expect(patch.body).toEqual({ error: 'body must be a JSON object (a JSON Merge Patch of the site)' })
  })
})

describe('every refusal', () => {
  it('is JSON with a string error, and a path only where a field is at fault: no bare strings', async () => {
    const key = (await (
      await send('POST', '/v1/admin/sites/acme/keys', JSON.stringify({ name: 'reader', scopes: ['read'] }))
    ).json()) as { token: string }
    const reader = { authorization: `Bearer ${key.token}` }
    const big = JSON.stringify(batch([event({ props: { blob: 'x'.repeat(600_000) } })]))
    const cases: [string, Promise<Response>, number, string | undefined][] = [
      ['unknown endpoint', at('/v1/nope'), 404, undefined],
      ['no token', at('/v1/insights/overview?site=acme'), 401, undefined],
      [
        'a wrong token',
        at('/v1/insights/overview?site=acme', { headers: { authorization: 'Bearer nope' } }),
        403,
        undefined,
      ],
      [
        'a malformed Authorization',
        at('/v1/insights/overview?site=acme', { headers: { authorization: 'Basic x' } }),
        401,
        undefined,
      ],
      ['a bad site key in the query', send('GET', '/v1/insights/overview?site=a%20b', undefined), 400, 'site'],
      ['no site', send('GET', '/v1/insights/overview', undefined), 400, 'site'],
      ['an unknown site', send('GET', '/v1/insights/overview?site=ghost', undefined), 404, undefined],
      ['a key beyond its scope', send('PATCH', '/v1/admin/sites/acme', '{}', reader), 403, undefined],
      ['a key creating a site', send('POST', '/v1/admin/sites', '{}', reader), 403, undefined],
      ['a site that exists', send('POST', '/v1/admin/sites', JSON.stringify({ key: 'acme' })), 409, undefined],
      ['a bad key for a new site', send('POST', '/v1/admin/sites', JSON.stringify({ key: 'a b' })), 400, 'key'],
      ['a version never saved', send('GET', '/v1/admin/sites/acme/versions/9', undefined), 404, undefined],
      ['an API key that is not there', send('DELETE', '/v1/admin/sites/acme/keys/nope', undefined), 404, undefined],
      [
        'a bad scope',
        send('POST', '/v1/admin/sites/acme/keys', JSON.stringify({ name: 'x', scopes: ['all'] })),
        400,
        'scopes[0]',
      ],
      ['a test alert with no webhook', send('POST', '/v1/admin/sites/acme/alerts/test', undefined), 400, undefined],
      ['an erasure naming nobody', send('DELETE', '/v1/visitors?site=acme', undefined), 400, 'user'],
      ['an unknown visitor', send('GET', '/v1/visitors/nobody?site=acme', undefined), 404, undefined],
      ['an export with no range', send('GET', '/v1/export?site=acme', undefined), 400, 'from'],
      ['a batch with a bad visitor', post('/v1/events', batch([], { visitor: 'a b' })), 400, 'visitor'],
      ['a batch for no site', post('/v1/events', batch([], { site: 'ghost' })), 404, undefined],
      [
        'a batch from another origin',
        post('/v1/events', batch([]), { origin: 'https://evil.example' }),
        403,
        undefined,
      ],
      ['a batch too large', post('/v1/events', big), 413, undefined],
      ['a decide without a url', post('/v1/decide', { site: 'acme', visitor: 'v' }), 400, 'url'],
      ['a config for no site', at('/v1/config'), 400, 'site'],
    ]
    for (const [what, request, status, path] of cases) {
      const r = await answer(await request)
      expect([what, r.status, r.json]).toEqual([what, status, true])
      const body = r.body as { error: unknown; path?: unknown }
      expect([what, typeof body.error, Object.keys(body).sort()]).toEqual([
        what,
        'string',
        path === undefined ? ['error'] : ['error', 'path'],
      ])
      expect([what, body.path]).toEqual([what, path])
    }
    expect(await env.DB.prepare('SELECT count(*) AS n FROM sites').first('n')).toBe(1)
  })
})
