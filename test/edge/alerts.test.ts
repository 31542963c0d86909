/**
 * Closing the loop: a negative survey answer reaches the site's webhook at once, signed,
 * through the jobs queue, retried until it is delivered, and never delivered twice.
 * The webhook is a local receiver (globalThis.fetch, which the worker's consumer uses, is
 * replaced for its host only).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { SELF, env } from 'cloudflare:test'
import { ADMIN, batch, drained, emptyDb, event, givenSite, post, until, DESKTOP, CRAWLER } from './helpers'
import { negativeReason, RETRY_FOR_MS, retryDelay, type AlertBody } from '../../edge/domain/alerts'
import { deliverAlert } from '../../edge/jobs/alerts'
import { signOffer } from '../../edge/domain/offers'
import { siteSecret } from '../../edge/store/sites'
import type { Settings } from '../../edge/domain/site'
import type { SurveyConfig } from '../../snippet/contract/wire'

const HOOK = 'https://hooks.example/ciel'
const VOICE: SurveyConfig = {
  id: 'voice',
  questions: [
    { id: 'score', type: 'nps', text: { en: 'How likely…?', he: 'עד כמה…?' }, required: true },
    {
      id: 'area',
      type: 'single',
      text: 'Where did it go wrong?',
      options: [
        { id: 'bugs', text: 'Bugs' },
        { id: 'price', text: 'Price' },
      ],
    },
    { id: 'mood', type: 'emoji', text: 'How do you feel?' },
  ],
  negative: [{ q: 'area', choice: 'bugs' }],
}
const HELP: SurveyConfig = { id: 'help', kind: 'csat', question: 'Was this page helpful?' }

/** A webhook receiver: answers with `statuses` in turn (then 200), keeps what it got. */
function receiver(statuses: number[] = []) {
  const got: { body: string; headers: Headers }[] = []
  const real = globalThis.fetch
  vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
    const url = input instanceof Request ? input.url : String(input)
    if (!url.startsWith(HOOK)) return real(input, init)
    const req = new Request(url, init)
    got.push({ body: await req.text(), headers: req.headers })
    return new Response('ok', { status: statuses.shift() ?? 200 })
  })
  return got
}

const secret = async () => (await siteSecret(env.DB, 'acme'))!
/** The key receivers verify signatures with, as the admin API gives it. */
const webhookSecret = async () => {
  const r = await SELF.fetch('https://edge.example/v1/admin/sites/acme/secret', { headers: ADMIN })
  return ((await r.json()) as { webhookSecret: string }).webhookSecret
}
const hmacHex = async (key: string, text: string) => {
  const k = await crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(key),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  )
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', k, new TextEncoder().encode(text)))
  return Array.from(mac, (b) => b.toString(16).padStart(2, '0')).join('')
}
const answer = async (visitor: string, props: object, survey = 'voice') =>
  event({
    type: 'survey_answer',
    name: survey,
    url: 'https://shop.example/export',
    props: props as any,
    hash: await signOffer(await secret(), 'acme', survey, visitor, Date.now()),
  })
const send = async (events: ReturnType<typeof event>[], visitor: string, headers = DESKTOP) => {
  const r = await post('/v1/events', batch(events, { visitor }), headers)
  expect(r.status).toBe(200)
}
const log = async () => {
  const r = await SELF.fetch('https://edge.example/v1/admin/sites/acme/alerts', { headers: ADMIN })
  expect(r.status).toBe(200)
  return (await r.json()) as { webhook: string | null; alerts: any[] }
}

beforeEach(async () => {
  await emptyDb()
  await givenSite('acme', { surveys: [VOICE, HELP] }, undefined, { alerts: { url: HOOK } })
})
afterEach(() => vi.restoreAllMocks())

describe('which answers are negative', () => {
  it('NPS 0-6, CSAT 1-2, the two bad faces, and the rules of the survey', () => {
    const reason = (a: object) => negativeReason(VOICE, { q: 'x', kind: 'nps', ...a })
    expect(reason({ score: 6 })).toBe('NPS 6 (a detractor: 0-6)')
    expect(reason({ score: 7 })).toBeNull()
    expect(reason({ kind: 'csat', score: 2 })).toBe('CSAT 2 of 5')
    expect(reason({ kind: 'csat', score: 3 })).toBeNull()
    expect(reason({ kind: 'emoji', score: 2 })).toBe('face 2 of 5')
    expect(reason({ kind: 'emoji', score: 3 })).toBeNull()
    expect(reason({ q: 'area', kind: 'single', choice: 'bugs' })).toMatch(/rule on 'area'/)
    expect(reason({ q: 'area', kind: 'single', choice: 'price' })).toBeNull()
    expect(reason({ kind: 'text', text: 'terrible' })).toBeNull()
  })

  it('retries back off from 10 s to at most 4 h, about 16 tries in the 24 h', () => {
    expect([1, 2, 3, 4].map((n) => retryDelay(n))).toEqual([10, 20, 40, 80])
    expect(retryDelay(20)).toBe(4 * 3600)
    let t = 0
    let n = 0
    while (t < RETRY_FOR_MS / 1000) t += retryDelay(++n)
    expect(n).toBeGreaterThan(12)
    expect(n).toBeLessThan(20)
  })
})

describe('the webhook', () => {
  it('gets a detractor at once with the answers, page, friction and profile, signed; failing twice, it gets it exactly once more', async () => {
    const got = receiver([500, 503])
    await send(
      [
        event({ type: 'pageview' }),
        event({ type: 'rage_click', url: 'https://shop.example/export', props: { text: 'Export' } }),
      ],
      'unhappy',
    )
    await drained()
    const detractor = await answer('unhappy', { q: 'score', kind: 'nps', score: 2, lang: 'he' })
    await send([detractor], 'unhappy')

    const delivered = await until(async () => {
      const { alerts } = await log()
      expect(alerts).toMatchObject([{ survey: 'voice', visitor: 'unhappy', status: 'delivered', attempts: 3 }])
      return alerts[0]
    })
    expect(delivered.reason).toBe('NPS 2 (a detractor: 0-6)')
    expect(got).toHaveLength(3)
    // Every try sends the same bytes, under a fresh signature.
    expect(new Set(got.map((g) => g.body)).size).toBe(1)
    const body = JSON.parse(got[2]!.body) as AlertBody
    expect(body).toMatchObject({
      id: delivered.id,
      type: 'survey.negative_answer',
      site: 'acme',
      survey: { id: 'voice', questions: [{ id: 'score', type: 'nps', text: 'עד כמה…?' }, {}, {}] },
      answer: { q: 'score', kind: 'nps', score: 2 },
      page: 'https://shop.example/export',
      language: 'he',
      friction: [{ type: 'rage_click', element: 'Export' }],
      visitor: { id: 'unhappy', sessions: 1, user: null },
    })
    for (const g of got) {
      expect(g.headers.get('ciel-delivery')).toBe(delivered.id)
      const [, t, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(g.headers.get('ciel-signature')!)!
      expect(v1).toBe(await hmacHex(await webhookSecret(), `${t}.${g.body}`))
      // Not the site's secret itself: that one makes identity hashes, which pages show.
      expect(v1).not.toBe(await hmacHex(await secret(), `${t}.${g.body}`))
      expect(Math.abs(Number(t) - Date.now() / 1000)).toBeLessThan(60)
    }

    // The page sends the batch again (a beacon replayed on the next page): queued again, never delivered again.
    const queued = vi.spyOn(env.JOBS, 'sendBatch')
    await send([detractor], 'unhappy')
    expect(queued).toHaveBeenCalledTimes(1)
    // A test alert queued after it arrives after it (the local queue keeps order): by then the replay was handled.
    await SELF.fetch('https://edge.example/v1/admin/sites/acme/alerts/test', { method: 'POST', headers: ADMIN })
    await until(async () => expect(got).toHaveLength(4))
    expect(got.map((g) => g.headers.get('ciel-delivery')!.startsWith('test-'))).toEqual([false, false, false, true])
    expect((await log()).alerts.find((a) => a.id === delivered.id)).toMatchObject({ status: 'delivered', attempts: 3 })
  })

  it('alerts on a rule of the survey and a bad face, and not on happy, forged or bot answers', async () => {
    const got = receiver()
    await send(
      [
        await answer('v1', { q: 'score', kind: 'nps', score: 9 }),
        await answer('v1', { q: 'area', kind: 'single', choice: 'bugs' }),
        await answer('v1', { q: 'mood', kind: 'emoji', score: 1 }),
      ],
      'v1',
    )
    // Forged (no offer) and a bot's: stored, never alerting.
    await send(
      [event({ type: 'survey_answer', name: 'voice', props: { q: 'score', kind: 'nps', score: 0 } })],
      'forger',
    )
    await send([await answer('bot', { q: 'score', kind: 'nps', score: 0 })], 'bot', CRAWLER)
    await until(async () => {
      const { alerts } = await log()
      expect(alerts.map((a) => [a.visitor, a.answer.q, a.status]).sort()).toEqual([
        ['v1', 'area', 'delivered'],
        ['v1', 'mood', 'delivered'],
      ])
    })
    expect(got).toHaveLength(2)
    // The later alert lists the answers given before it.
    const bodies = got.map((g) => JSON.parse(g.body) as AlertBody)
    const mood = bodies.find((b) => b.answer.q === 'mood')!
    expect(mood.reason).toBe('face 1 of 5')
  })

  it('alerts once for a detractor who sends the answer of one offer 30 times', async () => {
    const got = receiver()
    const shown = event({ type: 'survey_shown', name: 'voice', props: { asked: true } })
    const r = await post('/v1/events', batch([shown], { visitor: 'angry' }), DESKTOP)
    const offer = ((await r.json()) as any).surveys[0].offer as string
    const ids: string[] = []
    for (let i = 0; i < 30; i++) {
      const a = event({
        type: 'survey_answer',
        name: 'voice',
        props: { q: 'score', kind: 'nps', score: 0 },
        hash: offer,
      })
      ids.push(a.id)
      await send([a], 'angry')
    }
    // A test alert queued after them arrives after them (the local queue keeps order).
    await SELF.fetch('https://edge.example/v1/admin/sites/acme/alerts/test', { method: 'POST', headers: ADMIN })
    await until(async () => expect(got.at(-1)?.headers.get('ciel-delivery')).toMatch(/^test-/))
    expect(got.map((g) => g.headers.get('ciel-delivery'))).toEqual([ids[0], expect.stringMatching(/^test-/)])
    expect((await log()).alerts.filter((a) => a.visitor === 'angry').map((a) => a.id)).toEqual([ids[0]])
  })

  it('speaks Slack when asked, and a test alert goes the same way', async () => {
    await givenSite('acme', { surveys: [VOICE, HELP] }, undefined, { alerts: { url: HOOK, format: 'slack' } })
    const got = receiver()
    const r = await SELF.fetch('https://edge.example/v1/admin/sites/acme/alerts/test', {
      method: 'POST',
      headers: ADMIN,
    })
    expect(r.status).toBe(202)
    await until(async () => expect(got).toHaveLength(1))
    const body = JSON.parse(got[0]!.body)
    expect(body.text).toMatch(/^:rotating_light: Negative answer to survey \*voice\*: a test alert/)
    expect(body.ciel.type).toBe('survey.negative_answer')

    await send([await answer('v2', { kind: 'csat', score: 1 }, 'help')], 'v2')
    await until(async () => expect(got).toHaveLength(2))
    expect(JSON.parse(got[1]!.body).text).toContain('CSAT 1 of 5')
  })

  it("escapes what visitors and the config say in Slack's markup: no @channel, no disguised link, no made-up line", async () => {
    const CHAT: SurveyConfig = {
      id: 'chat',
      questions: [
        { id: 'score', type: 'nps', text: 'How likely <b>…</b>?' },
        { id: 'why', type: 'text', text: 'Why?' },
      ],
    }
    await givenSite('acme', { surveys: [CHAT] }, undefined, { alerts: { url: HOOK, format: 'slack' } })
    const got = receiver()
    const lure = '<!channel> your workspace is suspended: <https://evil.example/login|Open the ciel dashboard>'
    const why = { q: 'why', kind: 'text', text: `${lure}\n:rotating_light: Page: https://evil.example & more` }
    await send([await answer('v5', why, 'chat')], 'v5')
    await drained()
    await send([await answer('v5', { q: 'score', kind: 'nps', score: 1 }, 'chat')], 'v5')
    await until(async () => expect(got).toHaveLength(1))
    const body = JSON.parse(got[0]!.body)
    const text: string = body.text
    expect(text).not.toContain('<!channel>')
    expect(text).not.toMatch(/<https?:/)
    expect(text).toContain(
      '> why: &lt;!channel&gt; your workspace is suspended: &lt;https://evil.example/login|Open the ciel dashboard&gt; :rotating_light: Page: https://evil.example &amp; more',
    )
    expect(text).toContain('> How likely &lt;b&gt;…&lt;/b&gt;?: *1*')
    // Each line is one of the alert's own: the answer added none.
    expect(text.split('\n')).toHaveLength(4)
    // The JSON beside it keeps what was said as it was.
    expect(body.ciel.answers.find((a: any) => a.q === 'why').text).toContain(lure)
  })

  it('gives up 24 hours after the answer, and says so in the log', async () => {
    const now = Date.now()
    const down = vi.fn(async () => new Response('down', { status: 502 }))
    const job = {
      kind: 'alert' as const,
      site: 'acme',
      id: 'ev-late',
      answer: {
        id: 'ev-late',
        survey: 'help',
        visitor: 'v3',
        url: 'https://shop.example/',
        ts: now,
        answer: { q: 'csat', kind: 'csat', score: 1 },
        reason: 'CSAT 1 of 5',
      },
    }
    expect(await deliverAlert(env, job, now, down)).toEqual({ status: 'retrying', retryIn: 0 })
    const retry = { kind: 'alert' as const, site: 'acme', id: 'ev-late' }
    expect(await deliverAlert(env, retry, now + RETRY_FOR_MS - 1, down)).toMatchObject({ status: 'retrying' })
    expect(await deliverAlert(env, retry, now + RETRY_FOR_MS, down)).toEqual({ status: 'failed' })
    expect(await deliverAlert(env, retry, now + RETRY_FOR_MS + 1, down)).toEqual({ status: 'skipped' })
    expect(down).toHaveBeenCalledTimes(3)
    expect((await log()).alerts).toMatchObject([
      {
        id: 'ev-late',
        status: 'failed',
        attempts: 3,
        lastStatus: 502,
        lastError: 'the webhook answered 502',
        lastProblem: 'status',
      },
    ])
  })

  it('refuses a webhook that is not an http(s) URL, and a test without a webhook', async () => {
    const put = (settings: Settings | object) =>
      SELF.fetch('https://edge.example/v1/admin/sites/acme', {
        method: 'PUT',
        headers: ADMIN,
        body: JSON.stringify({ origins: ['https://shop.example'], settings }),
      })
    let r = await put({ alerts: { url: 'ftp://hooks.example/x' } })
    expect(r.status).toBe(400)
    expect(((await r.json()) as any).error).toBe('settings.alerts.url must be an http(s) URL')
    r = await put({ alerts: { url: HOOK, format: 'xml' } })
    expect(((await r.json()) as any).error).toBe('settings.alerts.format must be json or slack')
    r = await put({})
    expect(r.status).toBe(200)
    r = await SELF.fetch('https://edge.example/v1/admin/sites/acme/alerts/test', { method: 'POST', headers: ADMIN })
    expect(r.status).toBe(400)
    expect(((await r.json()) as any).error).toBe("site 'acme' has no webhook: set settings.alerts.url first")
    // No webhook, no alerts: a detractor is stored, nothing is queued.
    await send([await answer('v4', { q: 'score', kind: 'nps', score: 0 })], 'v4')
    await drained()
    expect((await log()).alerts).toEqual([])
  })
})
