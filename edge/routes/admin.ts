/**
 * @module routes/admin: managing sites, their API keys and secret, and reading raw events.
 * Behind teamAuth (index.ts); each route says what the caller must be allowed to do.
 */
import { Hono } from 'hono'
import * as v from 'valibot'
import type { App, Scope } from '../env'
import { fail, jsonBody, readJson } from '../http'
import { validateSite } from '../domain/site'
import { getSite, listSites, putSite, rotateSecret, siteSecret } from '../store/sites'
import { countEvents, listEvents } from '../store/visitors'
import { createKey, listKeys, revokeKey } from '../store/keys'
import { usageSince } from '../store/usage'
import { allow } from '../middleware/auth'
import { namedSite } from '../middleware/site'
import { forgetSite } from '../cache'
import { listAlerts } from '../store/surveys'
import type { AlertAnswer } from '../domain/alerts'

const SCOPES = ['read', 'manage', 'erase'] as const satisfies readonly Scope[]
const KeyInput = v.strictObject(
  {
    name: v.pipe(
      v.string('must be a string'),
      v.trim(),
      v.nonEmpty('must not be empty'),
      v.maxLength(100, 'is longer than 100 characters'),
    ),
    scopes: v.pipe(
      v.array(v.picklist(SCOPES, 'must be read, manage or erase'), 'must be a list of scopes'),
      v.nonEmpty('must list at least one scope'),
    ),
  },
  'body must be a JSON object',
)

const whole = (raw: string | undefined, fallback: number, min: number, max: number) => {
  const n = Number(raw ?? fallback)
  return Number.isInteger(n) && n >= min && n <= max ? n : null
}

export const admin = new Hono<App>()
  .get('/sites', async (c) => {
    const who = c.get('caller')
    const sites = await listSites(c.env.DB)
    return c.json({ sites: who.kind === 'admin' ? sites : sites.filter((s) => s.key === who.site) })
  })
  .get('/sites/:key', namedSite(), allow('read'), (c) => c.json(c.get('site')))
  .put('/sites/:key', async (c) => {
    const key = c.req.param('key')
    const who = c.get('caller')
    if (who.kind === 'key' && (who.site !== key || !who.scopes.includes('manage')))
      return fail(c, 403, `this API key may not change site '${key}'`)
    const site = validateSite(key, await readJson(c))
    if (!site.ok) return fail(c, 400, site.error)
    await putSite(c.env.DB, site.value, Date.now())
    forgetSite(key)
    return c.json(await getSite(c.env.DB, key))
  })
  .get('/sites/:key/events', namedSite(), allow('read'), async (c) => {
    const limit = whole(c.req.query('limit'), 100, 1, 1000)
    if (limit === null) return fail(c, 400, 'limit must be a whole number from 1 to 1000')
    const filter = { type: c.req.query('type'), visitor: c.req.query('visitor') }
    const key = c.get('site').key
    const [events, total] = await Promise.all([
      listEvents(c.env.DB, key, { ...filter, limit }),
      countEvents(c.env.DB, key, filter),
    ])
    return c.json({ total, events })
  })
  .get('/sites/:key/usage', namedSite(), allow('read'), async (c) => {
    const days = whole(c.req.query('days'), 30, 1, 365)
    if (days === null) return fail(c, 400, 'days must be a whole number from 1 to 365')
    const site = c.get('site')
    return c.json({
      eventsPerDay: site.settings.eventsPerDay,
      days: await usageSince(c.env.DB, site.key, Date.now() - (days - 1) * 86_400_000),
    })
  })
  .get('/sites/:key/keys', namedSite(), allow('manage'), async (c) =>
    c.json({ keys: await listKeys(c.env.DB, c.get('site').key) }),
  )
  .post('/sites/:key/keys', namedSite(), allow('manage'), jsonBody(KeyInput), async (c) => {
    const input = c.req.valid('json')
    const who = c.get('caller')
    // A key cannot hand out what it may not do itself.
    const beyond = who.kind === 'key' ? input.scopes.filter((s) => !who.scopes.includes(s)) : []
    if (beyond.length) return fail(c, 403, `this API key may not create a key with ${beyond.join(', ')}`)
    const created = await createKey(c.env.DB, c.get('site').key, input.name, [...new Set(input.scopes)], Date.now())
    return c.json({ ...created.key, token: created.token, note: 'the token is shown this once; store it now' }, 201)
  })
  .delete('/sites/:key/keys/:id', namedSite(), allow('manage'), async (c) => {
    const ok = await revokeKey(c.env.DB, c.get('site').key, c.req.param('id'), Date.now())
    return ok
      ? c.json({ revoked: c.req.param('id') })
      : fail(c, 404, `site '${c.get('site').key}' has no key '${c.req.param('id')}'`)
  })
  .get('/sites/:key/secret', namedSite(), allow('manage'), async (c) =>
    c.json({ secret: await siteSecret(c.env.DB, c.get('site').key) }),
  )
  .post('/sites/:key/secret', namedSite(), allow('manage'), async (c) => {
    const secret = await rotateSecret(c.env.DB, c.get('site').key, Date.now())
    forgetSite(c.get('site').key)
    return c.json({ secret })
  })
  // The delivery log of survey alerts: delivered, retrying (with the next try), failed.
  .get('/sites/:key/alerts', namedSite(), allow('read'), async (c) => {
    const days = whole(c.req.query('days'), 30, 1, 365)
    if (days === null) return fail(c, 400, 'days must be a whole number from 1 to 365')
    const limit = whole(c.req.query('limit'), 100, 1, 1000)
    if (limit === null) return fail(c, 400, 'limit must be a whole number from 1 to 1000')
    const site = c.get('site')
    const alerts = await listAlerts(c.env.DB, site.key, Date.now() - days * 86_400_000, limit)
    return c.json({ webhook: site.settings.alerts?.url ?? null, alerts })
  })
  // Sends a made-up negative answer to the webhook, through the same queue, signing and log.
  .post('/sites/:key/alerts/test', namedSite(), allow('manage'), async (c) => {
    const site = c.get('site')
    if (!site.settings.alerts) return fail(c, 400, `site '${site.key}' has no webhook: set settings.alerts.url first`)
    const now = Date.now()
    const id = `test-${now.toString(36)}-${Math.random().toString(36).slice(2, 8)}`
    const answer: AlertAnswer = {
      id,
      survey: site.config.surveys?.[0]?.id ?? 'test',
      visitor: 'test-visitor',
      url: 'https://example.com/a-test-alert',
      ts: now,
      answer: { q: 'test', kind: 'nps', score: 3 },
      reason: 'a test alert, sent from the API (no visitor answered)',
    }
    await c.env.JOBS.send({ kind: 'alert', site: site.key, id, answer })
    return c.json({ id, webhook: site.settings.alerts.url }, 202)
  })
