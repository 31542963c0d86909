/**
 * @module routes/admin: managing sites, their API keys and secret, and reading raw events.
 * Behind teamAuth (index.ts); each route says what the caller must be allowed to do.
 */
import { Hono } from 'hono'
import * as v from 'valibot'
import type { App, Scope } from '../env'
import { createMiddleware } from 'hono/factory'
import { jsonBody, queryOf, refuse, textParam, wholeParam } from '../http'
import { completeSite, SiteInputSchema, siteProblem, validateSite, type Settings } from '../domain/site'
import { allowedHosts, maskedUrl, unmasked } from '../domain/webhook-target'
import { webhookSecret } from '../domain/identity'
import { getSite, getVersion, listSites, listVersions, putSite, rotateSecret, siteSecret } from '../store/sites'
import { mergePatch } from '../domain/merge-patch'
import type { Caller } from '../env'
import { refsProblem, RuleOrSegment } from '../domain/segments'
import { membersOf } from '../domain/personalisation'
import { periodOf } from '../domain/spans'
import { keysPath } from '../domain/issues'
import { withScores } from '../domain/propensity'
import { siteModels, usesPropensity } from '../models'
import { periodProfiles, SEGMENT_SAMPLE } from '../store/insights/period'
import { countEvents, listEvents } from '../store/visitors'
import { createKey, listKeys, revokeKey } from '../store/keys'
import { usageSince } from '../store/usage'
import { allow } from '../middleware/auth'
import { namedSite } from '../middleware/site'
import { forgetSite } from '../cache'
import { listAlerts } from '../store/surveys'
import { deliveryProblem } from '../jobs/webhook'
import type { AlertAnswer } from '../domain/alerts'
import type { Result } from '../domain/batch'

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

/** Who saved a version: the admin token, or which API key. */
export const byWhom = (who: Caller) => (who.kind === 'admin' ? 'admin' : `key:${who.id}`)

/** The fields of a site a save writes (what GET answers, less the read-only ones). */
const editable = (s: { name: string; origins: string[]; config: unknown; settings: unknown }) => ({
  name: s.name,
  origins: s.origins,
  config: s.config,
  settings: s.settings,
})

/** A JSON Merge Patch of a site: any object (the merged site is what gets checked). */
const Patch = v.custom<{ [key: string]: unknown }>(
  (x) => typeof x === 'object' && x !== null && !Array.isArray(x),
  'body must be a JSON object (a JSON Merge Patch of the site)',
)
/** A segment rule to count visitors for. */
const CountInput = v.object({ rule: RuleOrSegment }, 'body must be a JSON object')
const EventsQuery = v.object({
  limit: wholeParam('limit', 100, 1, 1000),
  type: textParam('type'),
  visitor: textParam('visitor'),
})
const UsageQuery = v.object({ days: wholeParam('days', 30, 1, 365) })
const CountQuery = UsageQuery
const AlertsQuery = v.object({ days: wholeParam('days', 30, 1, 365), limit: wholeParam('limit', 100, 1, 1000) })

/** A site as saved, or a 400 naming what is wrong (`prefix` before the message, e.g. for an old version). */
const checked = <T>(r: Result<T>, prefix = ''): T => {
  if (!r.ok) refuse(400, prefix + r.error, { path: r.path })
  return r.value
}

/** PUT writes the site named in the path: the admin token, or a key of that site that may manage it. */
const mayChange = createMiddleware<App>(async (c, next) => {
  const key = c.req.param('key')!
  const who = c.get('caller')
  if (who.kind === 'key' && (who.site !== key || !who.scopes.includes('manage')))
    refuse(403, `this API key may not change site '${key}'`)
  await next()
})

/** The tag a site owner pastes into their pages' <head>. */
const tagFor = (origin: string, key: string) =>
  `<script>window.ciel=window.ciel||function(){(ciel.q=ciel.q||[]).push(arguments)}</script>\n<script async src="${origin}/s.js" data-site="${key}"></script>`

/** The hosts a webhook may point at although not public (development only: ALERTS_ALLOW_HOSTS). */
const hooks = (c: { env: App['Bindings'] }) => allowedHosts(c.env.ALERTS_ALLOW_HOSTS)

/**
 * A webhook URL is a credential (it may carry a token): a caller that may not manage the site
 * sees only its origin (`https://hooks.example/…`).
 */
const seen = <T extends { settings: Settings }>(s: T, who: Caller): T => {
  const alerts = s.settings.alerts
  if (!alerts || who.kind === 'admin' || who.scopes.includes('manage')) return s
  return { ...s, settings: { ...s.settings, alerts: { ...alerts, url: maskedUrl(alerts.url) } } }
}

/** A version number from the path, or null (no such version). */
const versionOf = (raw: string) => {
  const n = Number(raw)
  return Number.isSafeInteger(n) && n >= 1 ? n : null
}

/** Creating sites: the admin token only. */
const onlyAdmin = createMiddleware<App>(async (c, next) => {
  if (c.get('caller').kind !== 'admin') refuse(403, 'only the admin token creates sites')
  await next()
})

export const admin = new Hono<App>()
  .get('/sites', async (c) => {
    const who = c.get('caller')
    const sites = await listSites(c.env.DB)
    return c.json({ sites: who.kind === 'admin' ? sites : sites.filter((s) => s.key === who.site) })
  })
  .get('/sites/:key', namedSite(), allow('read'), (c) => c.json(seen(c.get('site'), c.get('caller'))))
  .put('/sites/:key', mayChange, jsonBody(SiteInputSchema, siteProblem), async (c) => {
    const key = c.req.param('key')
    const stored = (await getSite(c.env.DB, key))?.settings.alerts?.url
    const site = checked(completeSite(key, unmasked(c.req.valid('json'), stored), hooks(c)))
    await putSite(c.env.DB, site, Date.now(), byWhom(c.get('caller')))
    forgetSite(key)
    return c.json(await getSite(c.env.DB, key))
  })
  // A partial change (JSON Merge Patch): objects merge, null deletes, arrays replace.
  .patch('/sites/:key', namedSite(), allow('manage'), jsonBody(Patch), async (c) => {
    const current = c.get('site')
    const merged = unmasked(mergePatch(editable(current), c.req.valid('json')), current.settings.alerts?.url)
    const site = checked(validateSite(current.key, merged, hooks(c)))
    await putSite(c.env.DB, site, Date.now(), byWhom(c.get('caller')))
    forgetSite(current.key)
    return c.json(await getSite(c.env.DB, current.key))
  })
  // A new site: its key (given, or made from the name), and the tag to paste.
  .post('/sites', onlyAdmin, jsonBody(SiteInputSchema, siteProblem), async (c) => {
    const { key: given, ...rest } = c.req.valid('json')
    const slug = (rest.name ?? '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 40)
    const key = given ?? `${slug || 'site'}-${crypto.randomUUID().slice(0, 6)}`
    const site = checked(completeSite(key, rest, hooks(c)))
    if (await getSite(c.env.DB, key)) refuse(409, `site '${key}' exists already: change it with PATCH or PUT`)
    await putSite(c.env.DB, site, Date.now(), 'admin')
    const origin = new URL(c.req.url).origin
    return c.json({ ...(await getSite(c.env.DB, key))!, tag: tagFor(origin, key) }, 201)
  })
  // How many of a period's visitors (the insights' period: the last `days` UTC days, today
  // included) a segment rule matches at its end (now), for an editor's live count.
  .post(
    '/sites/:key/segments/count',
    namedSite(),
    allow('read'),
    queryOf(CountQuery),
    jsonBody(CountInput),
    async (c) => {
      const site = c.get('site')
      const { rule } = c.req.valid('json')
      const { days } = c.req.valid('query')
      const known = new Set((site.config.segments ?? []).map((s) => s.id))
      const funnels = new Set((site.config.funnels ?? []).map((f) => f.id))
      const problem = refsProblem(rule, known, funnels)
      if (problem) {
        const path = keysPath(problem.at, 'rule')
        refuse(400, `${path} ${problem.message}`, { path })
      }
      const now = Date.now()
      const [period, models] = await Promise.all([
        periodProfiles(c.env.DB, site.key, { ...periodOf(days, now), filter: {} }, SEGMENT_SAMPLE),
        // Rules over propensity scores count with the site's models (segments named by it too).
        JSON.stringify(rule).includes('propensity.') || usesPropensity(site.config)
          ? siteModels(c.env, site.key, now)
          : [],
      ])
      const profiles = period.profiles.map((r) => ({
        id: r.id,
        profile: r.profile && withScores(r.profile, models, now),
      }))
      const visitors = membersOf(site.config.segments, rule, profiles, now).length
      // `counted`: the period's visitors (the overview's); sizes judge the most recent SEGMENT_SAMPLE.
      return c.json({ days, visitors, counted: period.visitors, capped: profiles.length < period.visitors })
    },
  )
  .get('/sites/:key/versions', namedSite(), allow('read'), async (c) =>
    c.json({ versions: await listVersions(c.env.DB, c.get('site').key) }),
  )
  .get('/sites/:key/versions/:version', namedSite(), allow('read'), async (c) => {
    const n = versionOf(c.req.param('version'))
    const found = n === null ? null : await getVersion(c.env.DB, c.get('site').key, n)
    if (!found) refuse(404, `site '${c.get('site').key}' keeps no version ${c.req.param('version')}`)
    return c.json(seen(found, c.get('caller')))
  })
  // Restoring writes the old version as the newest one (the history keeps the change).
  .post('/sites/:key/versions/:version/restore', namedSite(), allow('manage'), async (c) => {
    const key = c.get('site').key
    const n = versionOf(c.req.param('version'))
    const found = n === null ? null : await getVersion(c.env.DB, key, n)
    if (!found) refuse(404, `site '${key}' keeps no version ${c.req.param('version')}`)
    // Validated again: the schema may have grown stricter since it was saved.
    const site = checked(validateSite(key, editable(found), hooks(c)), `version ${n} no longer validates: `)
    await putSite(c.env.DB, site, Date.now(), byWhom(c.get('caller')))
    forgetSite(key)
    return c.json(await getSite(c.env.DB, key))
  })
  .get('/sites/:key/events', namedSite(), allow('read'), queryOf(EventsQuery), async (c) => {
    const { limit, type, visitor } = c.req.valid('query')
    const filter = { type, visitor }
    const key = c.get('site').key
    const [events, total] = await Promise.all([
      listEvents(c.env.DB, key, { ...filter, limit }),
      countEvents(c.env.DB, key, filter),
    ])
    return c.json({ total, events })
  })
  .get('/sites/:key/usage', namedSite(), allow('read'), queryOf(UsageQuery), async (c) => {
    const { days } = c.req.valid('query')
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
    if (beyond.length) refuse(403, `this API key may not create a key with ${beyond.join(', ')}`)
    const created = await createKey(c.env.DB, c.get('site').key, input.name, [...new Set(input.scopes)], Date.now())
    return c.json({ ...created.key, token: created.token, note: 'the token is shown this once; store it now' }, 201)
  })
  .delete('/sites/:key/keys/:id', namedSite(), allow('manage'), async (c) => {
    const ok = await revokeKey(c.env.DB, c.get('site').key, c.req.param('id'), Date.now())
    if (!ok) refuse(404, `site '${c.get('site').key}' has no key '${c.req.param('id')}'`)
    return c.json({ revoked: c.req.param('id') })
  })
  // The secret (identity hashes) and the key webhook bodies are signed with, derived from it.
  .get('/sites/:key/secret', namedSite(), allow('manage'), async (c) => {
    const secret = await siteSecret(c.env.DB, c.get('site').key)
    return c.json({ secret, webhookSecret: secret ? await webhookSecret(secret) : null })
  })
  .post('/sites/:key/secret', namedSite(), allow('manage'), async (c) => {
    const secret = await rotateSecret(c.env.DB, c.get('site').key, Date.now())
    forgetSite(c.get('site').key)
    return c.json({ secret, webhookSecret: await webhookSecret(secret) })
  })
  // The delivery log of survey alerts: delivered, retrying (with the next try), failed.
  .get('/sites/:key/alerts', namedSite(), allow('read'), queryOf(AlertsQuery), async (c) => {
    const { days, limit } = c.req.valid('query')
    const site = seen(c.get('site'), c.get('caller'))
    const alerts = await listAlerts(c.env.DB, site.key, Date.now() - days * 86_400_000, limit)
    return c.json({
      webhook: site.settings.alerts?.url ?? null,
      alerts: alerts.map((a) => ({ ...a, lastProblem: deliveryProblem(a) })),
    })
  })
  // Sends a made-up negative answer to the webhook, through the same queue, signing and log.
  .post('/sites/:key/alerts/test', namedSite(), allow('manage'), async (c) => {
    const site = c.get('site')
    if (!site.settings.alerts) refuse(400, `site '${site.key}' has no webhook: set settings.alerts.url first`)
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
