/**
 * What a site keeps secret stays so: a read key sees the webhook's origin only and never the
 * site's secret; a save that sends the masked URL back keeps the real one; and the secret signs
 * identity hashes only, so a hash a site writes into its pages is no survey offer.
 */
import { beforeEach, describe, expect, it } from 'vitest'
import { SELF, env } from 'cloudflare:test'
import { batch, emptyDb, event, givenSite, post, storedEvents, DESKTOP } from './helpers'
import { identityHash } from '../../edge/domain/identity'
import { FLAG } from '../../edge/domain/flags'
import { siteSecret } from '../../edge/store/sites'

const HOOK = 'https://hooks.example/ciel/T0001?secret=s3cr3t-token'
const MASKED = 'https://hooks.example/…'

const call = async (method: string, path: string, token: string, body?: unknown) => {
  const r = await SELF.fetch(`https://edge.example${path}`, {
    method,
    headers: { authorization: `Bearer ${token}` },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  return { status: r.status, body: (await r.json()) as any }
}
const admin = env.ADMIN_TOKEN
const newKey = async (scopes: string[]) =>
  (await call('POST', '/v1/admin/sites/acme/keys', admin, { name: scopes.join('+'), scopes })).body.token as string
const stored = async () => (await call('GET', '/v1/admin/sites/acme', admin)).body.settings.alerts

beforeEach(async () => {
  await emptyDb()
  await givenSite('acme', {}, undefined, { alerts: { url: HOOK, format: 'slack' } })
})

describe('the webhook URL and the secret', () => {
  it('a read key sees the webhook as its origin only, in the site, its versions and the alerts log, and never the secret', async () => {
    const reader = await newKey(['read'])
    const site = await call('GET', '/v1/admin/sites/acme', reader)
    expect(site).toMatchObject({ status: 200, body: { settings: { alerts: { url: MASKED, format: 'slack' } } } })
    const version = await call('GET', '/v1/admin/sites/acme/versions/1', reader)
    expect(version).toMatchObject({ status: 200, body: { settings: { alerts: { url: MASKED } } } })
    const log = await call('GET', '/v1/admin/sites/acme/alerts', reader)
    expect(log).toMatchObject({ status: 200, body: { webhook: MASKED } })
    for (const answer of [site, version, log]) expect(JSON.stringify(answer.body)).not.toContain('s3cr3t')

    const secret = await call('GET', '/v1/admin/sites/acme/secret', reader)
    expect(secret).toEqual({ status: 403, body: { error: "this API key may not change site 'acme'" } })
    expect((await call('POST', '/v1/admin/sites/acme/secret', reader)).status).toBe(403)
    // Nor can it write anything back.
    expect((await call('PUT', '/v1/admin/sites/acme', reader, site.body)).status).toBe(403)
    expect((await call('PATCH', '/v1/admin/sites/acme', reader, { name: 'x' })).status).toBe(403)
    expect(await stored()).toEqual({ url: HOOK, format: 'slack' })

    // Those who may manage the site see it whole (they may set it anyway).
    const manager = await newKey(['read', 'manage'])
    expect((await call('GET', '/v1/admin/sites/acme', manager)).body.settings.alerts.url).toBe(HOOK)
  })

  it('a save that sends the masked URL back keeps the real one; a new URL replaces it', async () => {
    const reader = await newKey(['read'])
    const manager = await newKey(['read', 'manage'])
    // A tool reads with the read key, changes the name, and saves with the manage key.
    const { body: seen } = await call('GET', '/v1/admin/sites/acme', reader)
    const put = await call('PUT', '/v1/admin/sites/acme', manager, { ...seen, name: 'Acme shop' })
    expect(put).toMatchObject({ status: 200, body: { name: 'Acme shop', settings: { alerts: { url: HOOK } } } })
    const patch = await call('PATCH', '/v1/admin/sites/acme', manager, {
      settings: { alerts: { url: MASKED, format: 'json' } },
    })
    expect(patch).toMatchObject({ status: 200, body: { settings: { alerts: { url: HOOK, format: 'json' } } } })
    expect(await stored()).toEqual({ url: HOOK, format: 'json' })

    const other = 'https://hooks.example/other'
    await call('PATCH', '/v1/admin/sites/acme', manager, { settings: { alerts: { url: other } } })
    expect((await stored()).url).toBe(other)
  })
})

describe('one key per purpose', () => {
  it('an identity hash the site computed for a user id spelled like an offer is not an offer: the answer is flagged, not counted', async () => {
    await givenSite('acme', { surveys: [{ id: 'nps', kind: 'nps', question: 'How likely…?' }] })
    const secret = (await siteSecret(env.DB, 'acme'))!
    const at = Date.now()
    // What a site with user-chosen ids writes into a page for the "user" named so.
    const hash = await identityHash(secret, `ciel-offer\nacme\nnps\nmallory\n${at}`)
    const forged = event({
      type: 'survey_answer',
      name: 'nps',
      props: { kind: 'nps', score: 0 },
      hash: `${at.toString(36)}.${hash.slice(0, 32)}`,
    })
    const r = await post('/v1/events', batch([forged], { visitor: 'mallory' }), DESKTOP)
    expect(r.status).toBe(200)
    const { events } = await storedEvents('acme', '&type=survey_answer')
    expect(events.map((e) => e.flags & FLAG.unsigned)).toEqual([FLAG.unsigned])
  })
})
