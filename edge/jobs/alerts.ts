/**
 * @module jobs/alerts: delivers the alerts of negative survey answers to the site's webhook,
 * off the request path, through the jobs queue (Cloudflare Queues: `wrangler dev` runs it too).
 *
 * The ingest route sends one message per negative answer the moment it arrives. Here: the
 * answer gets its row in the delivery log (once: the answer's id is the key), its body is
 * built once (the visitor's other answers, the friction before it, their profile) and kept,
 * then POSTed, signed (jobs/webhook.ts: only to a public https target, redirects checked too).
 * A failure (no answer in 10 s, a non-2xx) sends the message again to the queue with a growing
 * delay (10 s, 20 s, … at most 4 h) for 24 h; then the alert is `failed`. A target that is not
 * allowed fails at once.
 * A delivered alert is never sent again: a repeated message finds it `delivered` and stops.
 * (A receiver that answers 2xx after the worker gave up waiting may see a body twice: the
 * `ciel-delivery` header and the body's `id` name the answer.)
 */
import type { Env } from '../env'
import type { AlertJob } from './messages'
import {
  alertBody,
  answerOf,
  RETRY_FOR_MS,
  retryDelay,
  signature,
  slackBody,
  type AlertAnswer,
  type ProfileSummary,
} from '../domain/alerts'
import { topInterests } from '../domain/visitors'
import { webhookSecret } from '../domain/identity'
import { allowedHosts } from '../domain/webhook-target'
import { getSite, siteSecret } from '../store/sites'
import { answersSince, frictionBetween, getAlert, keepAlertBody, noteAttempt, openAlert } from '../store/surveys'
import { shardOfVisitor } from '../state/visitors'
import { isErased } from '../store/erasure'
import { NO_WEBHOOK, postWebhook } from './webhook'

const TIMEOUT_MS = 10_000
const HOUR = 3_600_000

export interface Delivery {
  status: 'delivered' | 'retrying' | 'failed' | 'skipped'
  /** Seconds until the next try (retrying only). */
  retryIn?: number
}

/** The visitor as the alert describes them (their Durable Object has the latest profile). */
async function profileOf(env: Env, site: string, visitor: string, now: number): Promise<ProfileSummary> {
  const { profile: p } = await shardOfVisitor(env, site, visitor).read(visitor)
  return {
    user: p?.user ? { id: p.user.id, traits: p.user.traits } : null,
    firstSeen: p?.firstSeen ?? null,
    lastSeen: p?.lastSeen ?? null,
    sessions: p?.sessions ?? 0,
    events: p?.events ?? 0,
    interests: topInterests(p?.interests ?? null, now, 3),
  }
}

/** The body of an alert, built from D1 and the visitor's state. */
async function buildBody(env: Env, siteKey: string, a: AlertAnswer, now: number): Promise<string | null> {
  const site = await getSite(env.DB, siteKey)
  if (!site) return null
  const survey = site.config.surveys?.find((s) => s.id === a.survey)
  const earlier = await answersSince(env.DB, siteKey, a.visitor, a.survey, a.ts - HOUR)
  const answers = earlier
    .filter((e) => e.id !== a.id)
    .map((e) => {
      const x = answerOf(e.props)
      // A one-question survey's follow-up is a comment: the text of its open question.
      if (x && e.type === 'survey_comment') ((x.q = 'followUp'), (x.kind = 'text'), delete x.score)
      return x && { ...x, at: e.ts }
    })
    .filter((x) => x !== null)
  answers.push({ ...a.answer, at: a.ts })
  answers.sort((x, y) => x.at - y.at)
  const friction = await frictionBetween(env.DB, siteKey, a.visitor, a.ts - HOUR / 2, a.ts)
  const body = alertBody(
    siteKey,
    survey,
    a,
    answers,
    friction,
    await profileOf(env, siteKey, a.visitor, now),
    site.config.language ?? 'en',
  )
  return JSON.stringify(site.settings.alerts?.format === 'slack' ? { ...slackBody(body), ciel: body } : body)
}

/**
 * One delivery attempt of an alert. `send` is the network (tests give a receiver). Answers
 * what happened; the caller sends the message again when it says `retrying`.
 */
export async function deliverAlert(
  env: Env,
  job: AlertJob,
  now: number,
  send: typeof fetch = fetch,
): Promise<Delivery> {
  const row = job.answer
    ? await openAlert(env.DB, job.site, { ...job.answer, answer: job.answer.answer }, now)
    : await getAlert(env.DB, job.site, job.id)
  if (!row || row.status === 'delivered' || row.status === 'failed') return { status: 'skipped' }
  const site = await getSite(env.DB, job.site)
  const url = site?.settings.alerts?.url
  const fail = async (httpStatus: number, error: string, final = false): Promise<Delivery> => {
    const attempts = row.attempts + 1
    const give = final || now - row.createdAt >= RETRY_FOR_MS || !url
    const delay = retryDelay(attempts, Number(env.ALERT_RETRY_BASE_S ?? 10))
    await noteAttempt(env.DB, job.site, job.id, {
      status: give ? 'failed' : 'retrying',
      httpStatus,
      error,
      nextAt: give ? null : now + delay * 1000,
      now,
    })
    return give ? { status: 'failed' } : { status: 'retrying', retryIn: delay }
  }
  if (!url) return fail(0, NO_WEBHOOK)

  let body = row.body
  if (!body) {
    const a: AlertAnswer = job.answer ?? {
      id: row.id,
      survey: row.survey,
      visitor: row.visitor,
      url: row.url,
      ts: row.at,
      answer: row.answer as AlertAnswer['answer'],
      reason: row.reason,
    }
    body = await buildBody(env, job.site, a, now)
    if (!body) return fail(0, 'the site no longer exists')
    await keepAlertBody(env.DB, job.site, job.id, body)
    body = (await getAlert(env.DB, job.site, job.id))?.body ?? body
  }
  // Erased since it was queued (erasure deletes the row; a first try finds none): never sent.
  if (await isErased(env.DB, job.site, row.visitor)) return { status: 'skipped' }
  const t = Math.floor(now / 1000)
  const key = await webhookSecret((await siteSecret(env.DB, job.site)) ?? '')
  const posted = await postWebhook(
    url,
    {
      headers: {
        'content-type': 'application/json',
        'user-agent': 'ciel-alerts/1',
        'ciel-delivery': job.id,
        'ciel-signature': await signature(key, t, body),
      },
      body,
    },
    { allow: allowedHosts(env.ALERTS_ALLOW_HOSTS), send, timeoutMs: TIMEOUT_MS },
  )
  if (!posted.ok) return fail(posted.status, posted.error, posted.final)
  await noteAttempt(env.DB, job.site, job.id, { status: 'delivered', httpStatus: 200, error: null, nextAt: null, now })
  return { status: 'delivered' }
}

/** The jobs queue's consumer for alerts: one attempt, and the next one queued with its delay. */
export async function consumeAlert(m: Message<AlertJob>, env: Env): Promise<void> {
  try {
    const d = await deliverAlert(env, m.body, Date.now())
    if (d.status === 'retrying')
      await env.JOBS.send({ kind: 'alert', site: m.body.site, id: m.body.id }, { delaySeconds: d.retryIn })
    m.ack()
  } catch (e) {
    // D1 or the queue failed (not the webhook): the queue tries the message again.
    console.error(`ciel: alert ${m.body.id} of site '${m.body.site}' could not be handled (attempt ${m.attempts})`, e)
    m.retry({ delaySeconds: 30 })
  }
}
