/** `GET /v1/export`: a site's raw events as NDJSON, streamed a page at a time. */
import { beforeEach, describe, expect, it } from 'vitest'
import { SELF, env, createExecutionContext } from 'cloudflare:test'
import { app } from '../../edge/index'
import { EXPORT_PAGE } from '../../edge/routes/export'
import { ADMIN, emptyDb, givenSite } from './helpers'

const T0 = Date.parse('2026-05-01T00:00:00Z')

/** `n` events of site `site` from T0, two per millisecond (so the order needs the id too). */
async function seed(n: number, site = 'acme') {
  const rows = Array.from({ length: n }, (_, i) => ({
    id: `e${String(n - i).padStart(5, '0')}`,
    ts: T0 + Math.floor(i / 2),
    type: i % 3 ? 'click' : 'pageview',
  }))
  for (let i = 0; i < rows.length; i += 1000)
    await env.DB.prepare(
      `INSERT INTO events (site, id, visitor, session, type, url, ts, client_ts, received_at, props, flags)
       SELECT ?1, value ->> 'id', 'v1', 's1', value ->> 'type', 'https://shop.example/', value ->> 'ts', value ->> 'ts',
              value ->> 'ts', '{"k":1}', 0 FROM json_each(?2)`,
    )
      .bind(site, JSON.stringify(rows.slice(i, i + 1000)))
      .run()
  return rows
}

const exportOf = (query: string, headers: Record<string, string> = ADMIN) =>
  SELF.fetch(`https://edge.example/v1/export?${query}`, { headers })
const lines = (text: string) =>
  text
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l))

beforeEach(async () => {
  await emptyDb()
  await givenSite('acme')
  await givenSite('other')
})

describe('GET /v1/export', () => {
  it('streams every event of the range once, in time order, as NDJSON', async () => {
    const rows = await seed(2 * EXPORT_PAGE + 500)
    await seed(10, 'other')
    const r = await exportOf('site=acme&from=2026-05-01&to=2026-05-02')
    expect(r.status).toBe(200)
    expect(r.headers.get('content-type')).toBe('application/x-ndjson; charset=utf-8')
    expect(r.headers.get('content-disposition')).toBe('attachment; filename="ciel-acme-2026-05-01-2026-05-02.ndjson"')
    const got = lines(await r.text())
    expect(got.length).toBe(rows.length)
    expect(new Set(got.map((e) => e.id)).size).toBe(rows.length)
    expect(got.every((e) => e.site === 'acme')).toBe(true)
    const order = [...got].sort((a, b) => a.ts - b.ts || (a.id < b.id ? -1 : 1))
    expect(got.map((e) => e.id)).toEqual(order.map((e) => e.id))
    // Two events at T0: e02500 (a pageview) and e02499 (a click), in id order.
    expect(got[0]).toEqual({
      site: 'acme',
      id: 'e02499',
      visitor: 'v1',
      session: 's1',
      type: 'click',
      name: null,
      url: 'https://shop.example/',
      ts: T0,
      clientTs: T0,
      receivedAt: T0,
      props: { k: 1 },
      flags: 0,
    })
  })

  it('takes from as inclusive and to as exclusive, as days, ISO times or milliseconds', async () => {
    await seed(10) // ts T0 … T0 + 4, two events each
    const ids = async (q: string) => lines(await (await exportOf(`site=acme&${q}`)).text()).map((e) => e.ts - T0)
    expect(await ids(`from=${T0 + 1}&to=${T0 + 3}`)).toEqual([1, 1, 2, 2])
    expect(await ids('from=2026-05-01T00:00:00.004Z')).toEqual([4, 4])
    expect(await ids('from=2026-04-30&to=2026-05-01')).toEqual([])
  })

  it('reads one page of rows at a time, however long the range', async () => {
    await seed(2 * EXPORT_PAGE + 500)
    const r = await app.request(
      'https://edge.example/v1/export?site=acme&from=2026-05-01',
      { headers: ADMIN },
      env,
      createExecutionContext(),
    )
    const reader = r.body!.getReader()
    const chunks: number[] = []
    for (let c = await reader.read(); !c.done; c = await reader.read())
      chunks.push(new TextDecoder().decode(c.value).split('\n').filter(Boolean).length)
    expect(chunks).toEqual([EXPORT_PAGE, EXPORT_PAGE, 500])
  })

  it('is for the team only, and refuses a bad range saying which parameter is wrong', async () => {
    expect((await exportOf('site=acme&from=2026-05-01', {})).status).toBe(401)
    expect((await exportOf('site=acme&from=2026-05-01', { authorization: 'Bearer nope' })).status).toBe(403)
    const refused = async (q: string) => {
      const r = await exportOf(q)
      return { status: r.status, body: await r.json() }
    }
    expect(await refused('from=2026-05-01')).toEqual({
      status: 400,
      body: { error: 'missing ?site=KEY', path: 'site' },
    })
    expect((await refused('site=ghost&from=2026-05-01')).status).toBe(404)
    const forms = 'a day (2026-05-01), an ISO time (2026-05-01T12:00:00Z) or milliseconds since 1970'
    expect(await refused('site=acme')).toEqual({
      status: 400,
      body: { error: `?from is required: ${forms}`, path: 'from' },
    })
    expect(await refused('site=acme&from=yesterday')).toEqual({
      status: 400,
      body: { error: `?from must be ${forms}`, path: 'from' },
    })
    expect(await refused('site=acme&from=2026-05-01&to=2026-13-45')).toEqual({
      status: 400,
      body: { error: `?to must be ${forms}`, path: 'to' },
    })
    expect(await refused('site=acme&from=2026-05-02&to=2026-05-01')).toEqual({
      status: 400,
      body: { error: '?to must come after ?from', path: 'to' },
    })
  })
})
