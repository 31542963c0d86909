/**
 * @module routes/events: `POST /v1/events`, the ingest path.
 *
 * One batch costs one call to the Durable Object holding its visitor's state (state/visitors.ts):
 * which events are new, the profile brought up to date, and the batch kept there until it goes
 * to the ingest queue (and D1) with others. The page is answered once that call returns: what
 * it sent is then durable, and its outbox may delete it. The site comes from the isolate's
 * cache; rate limits count across isolates (middleware/rate.ts).
 */
import { Hono, type Context } from 'hono'
import type { App } from '../env'
import type { BatchAnswer, SurveyDue, WireEvent } from '../../snippet/contract/wire'
import { jsonBody, refuse } from '../http'
import { BatchSchema } from '../domain/batch'
import { dayOf, prepareEvents } from '../domain/ingest'
import { profileEvent } from '../domain/profile'
import { deviceFlags, isBot } from '../domain/bots'
import { decide, type Decisions } from '../domain/decide'
import { askedSurveys, dueSurveys } from '../domain/surveys'
import { offerValid, signOffer } from '../domain/offers'
import { alertsFor } from '../domain/alerts'
import { FLAG, UNCOUNTED } from '../domain/flags'
import { answerClaims } from '../domain/answers'
import { userSurveysShown } from '../store/surveys'
import type { Profile } from '../domain/profile'
import { matcher } from '../domain/segments'
import { verifyIdentity } from '../domain/identity'
import { originAllowed } from '../middleware/cors'
import { RATE_WINDOW_SEC, withinRate } from '../middleware/rate'
import { cachedSite, experimentStats, noteStored, type CachedSite } from '../cache'
import { requestContext } from '../http'
import { countRefused } from '../store/usage'
import { messages } from '../jobs/messages'
import { shardOfVisitor } from '../state/visitors'
import { scored } from '../models'

export const events = new Hono<App>().post('/', jsonBody(BatchSchema), async (c) => {
  const batch = c.req.valid('json')
  const now = Date.now()
  const site = await cachedSite(c.env, batch.site, now)
  if (!site) {
    // Junk keys are rate limited too (by address), so guessing costs the guesser.
    if (!(await withinRate(c, '?'))) tooMany('too many requests for unknown sites from this address')
    refuse(404, `unknown site key '${batch.site}'`)
  }
  const origin = c.req.header('origin')
  if (!originAllowed(site.origins, origin)) refuse(403, `origin ${origin} is not allowed for site '${site.key}'`)
  if (!(await withinRate(c, site.key))) refused(c, site, now, 'too many requests for this site from this address')
  if (site.storedToday >= site.settings.eventsPerDay)
    refused(
      c,
      site,
      now,
      `site '${site.key}' has stored its ${site.settings.eventsPerDay} events for today`,
      untilMidnight(now),
    )

  const unverified = new Set<string>()
  if (site.settings.verifyIdentity)
    for (const e of batch.events)
      if (e.type === 'identify' && !(e.name && (await verifyIdentity(site.secret, e.name, e.hash))))
        unverified.add(e.id)
  // Survey answers carry the worker's signed offer; without a valid one they are stored flagged.
  const unsigned = new Set<string>()
  for (const e of batch.events)
    if (
      (e.type === 'survey_answer' || e.type === 'survey_comment') &&
      !(e.name && (await offerValid(site.secret, site.key, e.name, batch.visitor, e.hash, now)))
    )
      unsigned.add(e.id)
  const agent = c.req.header('user-agent')
  const bot = isBot(agent, batch.automation)
  const shard = shardOfVisitor(c.env, site.key, batch.visitor)
  // Of the signed answers, one per offer and question counts (domain/answers.ts): the visitor's
  // shard says which do not. Bots' answers count nowhere anyway.
  const extra = new Set<string>()
  const { claims, stray } = bot
    ? { claims: [], stray: [] }
    : answerClaims(site.config.surveys, batch.events, (e) => !unsigned.has(e.id))
  for (const id of stray) extra.add(id)
  if (claims.length) for (const id of await shard.claimAnswers(batch.visitor, claims)) extra.add(id)
  const prepared = prepareEvents(batch, now, bot, unverified, unsigned, deviceFlags(agent), extra)
  const loss = { evicted: batch.evicted ?? 0, dropped: batch.dropped ?? 0, rejected: batch.rejected.length }
  // An empty batch creates no visitor; only the loss it reports is kept.
  const outgoing =
    prepared.length || loss.evicted || loss.dropped || loss.rejected ? messages(batch, now, prepared, loss) : []
  // Every event goes out, new or not: D1's primary key stores each once.
  const [r, stats] = await Promise.all([
    shard.ingest(
      site.key,
      batch.visitor,
      batch.session,
      prepared.map(profileEvent),
      now,
      outgoing,
      site.spec,
      requestContext(c),
    ),
    experimentStats(c.env, site, now),
  ])
  // An erased visitor's replay: acknowledged (the outbox may let go of it), never stored.
  if (r.erased) return c.json(answer(prepared.length, 0, undefined, [], batch.rejected))
  // Negative answers that count alert the site's webhook, through the jobs queue. Retried
  // batches send their alerts again (the delivery log keeps one per answer): an alert is never
  // lost to a queue that failed once, and never delivered twice.
  if (site.settings.alerts) {
    const human = prepared.filter((e) => !(e.flags & (FLAG.bot | UNCOUNTED)))
    const alerts = alertsFor(site.config.surveys, batch.visitor, human)
    if (alerts.length)
      try {
        await c.env.JOBS.sendBatch(
          alerts.map((a) => ({ body: { kind: 'alert', site: site.key, id: a.id, answer: a } })),
        )
      } catch (e) {
        console.error('ciel: could not queue survey alerts', e)
        refuse(503, 'could not queue the alert of a negative answer; send the batch again')
      }
  }
  const fresh = new Set(r.fresh)
  noteStored(site.key, fresh.size)
  const news = fresh.size ? batch.events.filter((e) => fresh.has(e.id)) : []
  // Segments may read propensity scores: the profile gets them here, never in storage.
  const view = r.profile && (await scored(c.env, site, r.profile, now))
  const surveys = view && news.length ? await surveysNow(c, site, batch.visitor, news, view, now) : []
  const d = view ? decide(site.config, view, batch.visitor, now, stats) : undefined
  return c.json(answer(fresh.size, prepared.length - fresh.size, d, surveys, batch.rejected))
})

/**
 * The survey to show now, signed: the one the page just showed itself (`ciel('survey', id)`),
 * else the one due. A visitor identified as a user is capped across all their devices.
 */
async function surveysNow(
  c: Context<App>,
  site: CachedSite,
  visitor: string,
  news: WireEvent[],
  view: Profile,
  now: number,
): Promise<SurveyDue[]> {
  const all = site.config.surveys
  let due = askedSurveys(all, news)
  if (!due.length) {
    const who = { visitor, sessions: view.sessions, inSegment: matcher(site.config.segments, view, now) }
    due = dueSurveys(all, news, view.surveys, now, who)
    if (due.length && view.user) {
      const elsewhere = await userSurveysShown(c.env.DB, site.key, view.user.id)
      for (const [id, at] of Object.entries(view.surveys)) elsewhere[id] = Math.max(elsewhere[id] ?? 0, at)
      due = dueSurveys(all, news, elsewhere, now, who)
    }
  }
  if (!site.secret) return due
  return Promise.all(
    due.map(async (s) => ({ ...s, offer: await signOffer(site.secret, site.key, s.id, visitor, now) })),
  )
}

function answer(
  accepted: number,
  duplicates: number,
  d: Decisions | undefined,
  surveys: BatchAnswer['surveys'],
  rejected: NonNullable<BatchAnswer['rejected']>,
): BatchAnswer {
  const a: BatchAnswer = { accepted, duplicates, decisions: d?.decisions ?? {}, surveys }
  if (d && Object.keys(d.experiments).length) a.experiments = d.experiments
  if (rejected.length) a.rejected = rejected
  return a
}

const untilMidnight = (now: number) => Math.ceil((Date.parse(dayOf(now + 86_400_000)) - now) / 1000)

function tooMany(error: string, retryAfter = RATE_WINDOW_SEC): never {
  refuse(429, `${error}; retry in ${retryAfter} s`, { headers: { 'retry-after': String(retryAfter) } })
}

/** 429 with Retry-After, counted against the site (batched per isolate: one write a second at most). */
function refused(c: Context<App>, site: CachedSite, now: number, error: string, retryAfter = RATE_WINDOW_SEC): never {
  const n = (pendingRefusals.get(site.key) ?? 0) + 1
  pendingRefusals.set(site.key, n)
  if (n === 1)
    c.executionCtx.waitUntil(
      new Promise((r) => setTimeout(r, 1000)).then(async () => {
        const count = pendingRefusals.get(site.key) ?? 0
        pendingRefusals.delete(site.key)
        if (count) await countRefused(c.env.DB, site.key, now, count).catch(() => {})
      }),
    )
  tooMany(error, retryAfter)
}
const pendingRefusals = new Map<string, number>()
