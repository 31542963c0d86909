/**
 * Breakdown and retention (`GET /v1/insights/breakdown`, `/retention`) on seeded traffic: every
 * number equals a recount of the events the test sent (people only), from raw events and from
 * the rollups once the raw events of rolled-up days are gone.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { SELF, env } from 'cloudflare:test'
import {
  ADMIN,
  batch,
  drained,
  emptyDb,
  event,
  givenSite,
  post,
  random,
  rolledTo,
  runJob,
  DESKTOP,
  PHONE,
  CRAWLER,
} from './helpers'
import { normalisePath } from '../../edge/domain/paths'
import { retentionWindow, weekOf } from '../../edge/domain/retention'
import { SETTLE_MS } from '../../edge/jobs/maintain'
import type { SiteConfig } from '../../snippet/contract/wire'

const DAY = 86_400_000
const HOUR = 3_600_000
const SHOP = 'https://shop.example'
const PATHS = ['/', '/pricing', '/projects/42', '/projects/77', '/docs']
const REFS = ['https://www.google.com/', '', 'https://news.ycombinator.com/']
const COUNTRIES = ['PL', 'IL', 'US']
const LANGUAGES = ['pl-PL,pl;q=0.9', 'he', 'en-US,en;q=0.8', 'ar']
const config: SiteConfig = { segments: [{ id: 'returning', rule: { field: 'sessions', op: 'gte', value: 2 } }] }

const read = async (path: string) => {
  await drained()
  const r = await SELF.fetch(`https://edge.example/v1/insights/${path}`, { headers: ADMIN })
  return { status: r.status, body: (await r.json()) as any }
}

/** A person's (or a bot's) event as sent, with what the breakdown splits it by. */
interface Sent {
  visitor: string
  session: string
  type: string
  name?: string
  ts: number
  page: string
  device: 'mobile' | 'desktop'
  country: string
  language: string
  plan?: string
  bot: boolean
}

/** Sends one session; returns its events as sent. */
async function session(
  visitor: string,
  id: string,
  at: number,
  o: { phone?: boolean; bot?: boolean; country: string; language: string; ref: string; pages: string[]; plan?: string },
): Promise<Sent[]> {
  const sent: Sent[] = []
  const events = o.pages.map((path, i) => {
    const e = event({ type: 'pageview', url: SHOP + path, ts: at + i * 60_000, props: i === 0 ? { ref: o.ref } : {} })
    return e
  })
  events.push(event({ type: 'click', url: SHOP + o.pages[0], ts: at + 30_000, props: { path: 'a' } }))
  if (o.plan)
    events.push(
      event({ type: 'track', name: 'signup', url: SHOP + '/pricing', ts: at + 90_000, props: { plan: o.plan } }),
    )
  for (const e of events)
    sent.push({
      visitor,
      session: id,
      type: e.type,
      name: e.name,
      ts: e.ts,
      page: new URL(e.url).pathname,
      device: o.phone ? 'mobile' : 'desktop',
      country: o.country,
      language: o.language.slice(0, 2),
      plan: (e.props as any)?.plan,
      bot: !!o.bot,
    })
  const r = await post('/v1/events', batch(events, { visitor, session: id }), {
    ...(o.bot ? CRAWLER : o.phone ? PHONE : DESKTOP),
    'cf-ipcountry': o.country,
    'accept-language': o.language,
  })
  expect(r.status).toBe(200)
  return sent
}

/** The sessions' source: the host of their first pageview's referrer, or direct. */
const sourceOf = (ref: string) => (ref ? new URL(ref).hostname.replace(/^www\./, '') : 'direct')

describe('breakdown', () => {
  const sent: Sent[] = []
  const sources = new Map<string, string>()
  const now = Date.now()
  const today = Math.floor(now / DAY) * DAY

  beforeAll(async () => {
    await emptyDb()
    await givenSite('acme', config)
    const rnd = random(27)
    for (let v = 0; v < 14; v++) {
      const sessions = 1 + (v % 3)
      for (let s = 0; s < sessions; s++) {
        // Today's first hour or earlier days (13 days back at most).
        const day = (v * 5 + s * 4) % 13
        const at =
          day === 0
            ? today + Math.floor(rnd() * Math.min(HOUR, now - today - 10 * 60_000))
            : today - day * DAY + 8 * HOUR
        const pages = Array.from({ length: 1 + Math.floor(rnd() * 4) }, () => PATHS[Math.floor(rnd() * PATHS.length)]!)
        const ref = REFS[(v + s) % REFS.length]!
        sources.set(`s${v}-${s}`, sourceOf(ref))
        sent.push(
          ...(await session(`v${v}`, `s${v}-${s}`, at, {
            phone: v % 3 === 0,
            country: COUNTRIES[v % 3]!,
            language: LANGUAGES[v % 4]!,
            ref,
            pages,
            plan: (v + s) % 2 ? (v % 4 ? 'free' : 'pro') : undefined,
          })),
        )
      }
    }
    // A crawler: counted nowhere.
    sent.push(
      ...(await session('crawler', 'bot-1', today - 2 * DAY, {
        bot: true,
        country: 'US',
        language: 'en',
        ref: '',
        pages: ['/pricing', '/pricing'],
        plan: 'pro',
      })),
    )
    await drained()
  })

  /** The recount: per value, events and distinct visitors, of a person's events of the period. */
  const recount = (days: number, match: (e: Sent) => boolean, key: (e: Sent) => string) => {
    const from = today - (days - 1) * DAY
    const m = new Map<string, { events: number; visitors: Set<string> }>()
    for (const e of sent.filter((e) => !e.bot && e.ts >= from && match(e))) {
      const k = key(e)
      const x = m.get(k) ?? { events: 0, visitors: new Set() }
      x.events++
      x.visitors.add(e.visitor)
      m.set(k, x)
    }
    return new Map([...m].map(([k, x]) => [k, { events: x.events, visitors: x.visitors.size }]))
  }
  const all = (body: any) => [...body.values, ...(body.other ? [body.other] : [])]
  const counted = (body: any) =>
    new Map(body.values.map((x: any) => [x.value, { events: x.events, visitors: x.visitors }]))

  /** Each top value as recounted, the top ordered by events, "other" the rest, the series summing to each. */
  function expectBreakdown(body: any, want: Map<string, { events: number; visitors: number }>, top: number) {
    const ranked = [...want].sort((a, b) => b[1].events - a[1].events || (a[0] < b[0] ? -1 : 1))
    expect(counted(body)).toEqual(new Map(ranked.slice(0, top)))
    const rest = ranked.slice(top)
    if (rest.length) {
      expect(body.other.events).toBe(rest.reduce((n, [, x]) => n + x.events, 0))
      expect(body.other.values).toBe(rest.length)
    } else expect(body.other).toBeNull()
    const events = [...want.values()].reduce((n, x) => n + x.events, 0)
    expect(all(body).reduce((n: number, x: any) => n + x.events, 0)).toBe(events)
    expect(body.total.events).toBe(events)
    for (const x of all(body))
      expect(x.series.events.reduce((n: number, y: number | null) => n + (y ?? 0), 0)).toBe(x.events)
  }

  it('splits pageviews by page as the rules name them: the top N and other sum to the period’s pageviews', async () => {
    const { status, body } = await read('breakdown?site=acme&event=pageview&by=page&top=2&days=14')
    expect(status).toBe(200)
    const want = recount(
      14,
      (e) => e.type === 'pageview',
      (e) => normalisePath(e.page),
    )
    expect(want.size).toBeGreaterThan(2)
    expectBreakdown(body, want, 2)
    expect(body.values.map((x: any) => x.value)).not.toContain('/projects/42')
    expect(body.total.visitors).toBe(new Set(sent.filter((e) => !e.bot).map((e) => e.visitor)).size)
    // Per day: the top page's pageviews on each day of the period.
    const topPage = body.values[0].value
    for (let d = 0; d < 14; d++) {
      const from = today - 13 * DAY + d * DAY
      const n = sent.filter(
        (e) =>
          !e.bot && e.type === 'pageview' && normalisePath(e.page) === topPage && e.ts >= from && e.ts < from + DAY,
      ).length
      expect(body.values[0].series.events[d]).toBe(n)
    }
  })

  it('splits clicks by device, country and language, and track events by a prop, people only', async () => {
    for (const [by, key] of [
      ['device', (e: Sent) => e.device],
      ['country', (e: Sent) => e.country],
      ['language', (e: Sent) => e.language],
    ] as const) {
      const { body } = await read(`breakdown?site=acme&event=click&by=${by}&days=7`)
      expectBreakdown(
        body,
        recount(7, (e) => e.type === 'click', key),
        10,
      )
    }
    const { body } = await read('breakdown?site=acme&event=track:signup&by=prop:plan&days=14')
    expect(body.event).toBe('track:signup')
    expectBreakdown(
      body,
      recount(
        14,
        (e) => e.type === 'track',
        (e) => e.plan!,
      ),
      10,
    )
  })

  it('splits by a session’s source and by segment, and narrows by the filter', async () => {
    const { body } = await read('breakdown?site=acme&event=pageview&by=source&days=14')
    expectBreakdown(
      body,
      recount(
        14,
        (e) => e.type === 'pageview',
        (e) => sources.get(e.session)!,
      ),
      10,
    )
    const phone = await read('breakdown?site=acme&event=pageview&by=source&days=14&device=mobile')
    expectBreakdown(
      phone.body,
      recount(
        14,
        (e) => e.type === 'pageview' && e.device === 'mobile',
        (e) => sources.get(e.session)!,
      ),
      10,
    )
    // Segment "returning": visitors of two sessions or more; the rest in "(none)".
    const seg = await read('breakdown?site=acme&event=pageview&by=segment&days=14')
    const sessions = (v: string) => new Set(sent.filter((e) => e.visitor === v).map((e) => e.session)).size
    expectBreakdown(
      seg.body,
      recount(
        14,
        (e) => e.type === 'pageview',
        (e) => (sessions(e.visitor) >= 2 ? 'returning' : '(none)'),
      ),
      10,
    )
  })

  it('counts by the hour for a period of one day, the hours still to come left empty', async () => {
    const { body } = await read('breakdown?site=acme&event=pageview&by=device&days=1')
    expect(body.unit).toBe('hour')
    expect(body.buckets).toBe(24)
    expectBreakdown(
      body,
      recount(
        1,
        (e) => e.type === 'pageview',
        (e) => e.device,
      ),
      10,
    )
    const hour = Math.floor((now - today) / HOUR)
    for (const x of body.values) {
      expect(x.series.events.slice(0, hour + 1).every((n: number | null) => n !== null)).toBe(true)
      expect(x.series.events.slice(hour + 1).every((n: number | null) => n === null)).toBe(true)
    }
  })

  it('answers the same from the rollups once the raw events of rolled-up days are gone', async () => {
    const asks = [
      'event=pageview&by=page&top=3',
      'event=pageview&by=page&top=2&device=desktop',
      'event=click&by=device',
      'event=pageview&by=source',
      'event=track:signup&by=country',
      'event=pageview&by=language&referrer=google.com',
    ]
    const readAll = async () => {
      const out = []
      for (const q of asks) out.push(await read(`breakdown?site=acme&days=14&${q}`))
      return out
    }
    const before = await readAll()
    await runJob(now + SETTLE_MS)
    expect(await rolledTo()).toBeGreaterThanOrEqual(today / DAY)
    const gone = await env.DB.prepare('DELETE FROM events WHERE site = ? AND ts < ?').bind('acme', today).run()
    expect(gone.meta.changes).toBeGreaterThan(0)
    const after = await readAll()
    for (let i = 0; i < asks.length; i++) {
      expect(after[i]!.status).toBe(200)
      expect(after[i]!.body.total.events).toBeGreaterThan(0)
      expect(after[i]!.body, asks[i]).toEqual(before[i]!.body)
    }
  }, 180_000)
})

describe('breakdown at the period’s edges, from the rollups', () => {
  const now = Date.now()
  const today = Math.floor(now / DAY) * DAY
  // Minutes after midnight that have already passed today (the raw part of the period).
  const early = Math.min(5 * 60_000, Math.floor((now - today) / 2))
  const GOOGLE = 'https://www.google.com/'
  const HN = 'https://news.ycombinator.com/'
  const views = (at: number[], refs: Record<number, string> = {}) =>
    at.map((ts, i) =>
      event({ type: 'pageview', url: SHOP + PATHS[i % PATHS.length], ts, props: { ref: refs[i] ?? '' } }),
    )
  const send = async (visitor: string, session: string, events: ReturnType<typeof event>[], headers = DESKTOP) =>
    expect((await post('/v1/events', batch(events, { visitor, session }), headers)).status).toBe(200)

  beforeAll(async () => {
    await emptyDb()
    await givenSite('acme', config)
    // a: a session begun the evening before the period (from Google) whose first pageview in the
    // period came from Hacker News; and a later session of a from Hacker News.
    await send('a', 'a-1', views([today - 2 * DAY - 10 * 60_000, today - 2 * DAY + 10 * 60_000], { 0: GOOGLE, 1: HN }))
    await send('a', 'a-2', views([today - 2 * DAY + 12 * HOUR, today - 2 * DAY + 12 * HOUR + 60_000], { 0: HN }))
    // b, on a phone: from Google yesterday evening, on into today (its pageviews today count as Google's).
    await send('b', 'b-1', views([today - DAY / 48, today - DAY / 96, today + early], { 0: GOOGLE }), PHONE)
    // c: today only, direct. A crawler from Google: counted nowhere.
    await send('c', 'c-1', views([today + early]))
    await send('crawler', 'bot-1', views([today - DAY + HOUR, today - DAY + HOUR + 1000], { 0: GOOGLE }), CRAWLER)
    await drained()
  })

  const asks = [
    'event=pageview&by=source',
    'event=pageview&by=source&device=mobile',
    'event=pageview&by=source&device=desktop',
    'event=pageview&by=page&top=2',
    'event=pageview&by=device',
    'event=pageview&by=page&device=mobile',
  ]
  const readAll = async () => {
    const out = []
    for (const q of asks) out.push((await read(`breakdown?site=acme&days=3&${q}`)).body)
    return out
  }
  const of = (body: any) => Object.fromEntries(body.values.map((x: any) => [x.value, [x.events, x.visitors]]))

  it('gives a session the source of its first pageview in the period, raw and rolled up alike, people only', async () => {
    const raw = await readAll()
    expect(of(raw[0])).toEqual({ 'news.ycombinator.com': [3, 1], 'google.com': [3, 1], direct: [1, 1] })
    expect(raw[0].total).toEqual({ events: 7, visitors: 3 })
    expect(of(raw[1])).toEqual({ 'google.com': [3, 1] })
    expect(of(raw[2])).toEqual({ 'news.ycombinator.com': [3, 1], direct: [1, 1] })
    expect(raw[3].total).toEqual({ events: 7, visitors: 3 })
    expect(of(raw[4])).toEqual({ desktop: [4, 2], mobile: [3, 1] })
    expect(raw[5].total).toEqual({ events: 3, visitors: 1 })
    // Rolled up, the raw events of the rolled-up days gone: the same answers from the stored rows and today's raw ones.
    await runJob(now + SETTLE_MS)
    expect(await rolledTo()).toBe(today / DAY)
    const gone = await env.DB.prepare('DELETE FROM events WHERE site = ? AND ts < ?').bind('acme', today).run()
    expect(gone.meta.changes).toBeGreaterThan(0)
    const rolled = await readAll()
    for (let i = 0; i < asks.length; i++) expect(rolled[i], asks[i]).toEqual(raw[i])
  })
})

describe('breakdown by source over named days, from the rollups', () => {
  const now = Date.now()
  const today = Math.floor(now / DAY) * DAY
  const GOOGLE = 'https://www.google.com/'
  const HN = 'https://news.ycombinator.com/'
  const view = (ts: number, ref = '', path = '/') => event({ type: 'pageview', url: SHOP + path, ts, props: { ref } })
  const send = async (visitor: string, session: string, events: ReturnType<typeof event>[], headers = DESKTOP) =>
    expect((await post('/v1/events', batch(events, { visitor, session }), headers)).status).toBe(200)

  beforeAll(async () => {
    await emptyDb()
    await givenSite('acme', config)
    // Once rolled up and named, only sessions with a later row in the period (lead = 0) take
    // their source from another row (store/insights/breakdown.ts). d: across midnight inside the
    // period, from Hacker News, its second day's first pageview from Google (a row of its own).
    await send('d', 'd-1', [view(today - DAY - 10 * 60_000, HN), view(today - DAY + 10 * 60_000, GOOGLE, '/docs')])
    // e: from Google, later the same day in the same session on a phone (a row per device).
    await send('e', 'e-1', [view(today - DAY + 10 * HOUR, GOOGLE)])
    await send('e', 'e-1', [view(today - DAY + 11 * HOUR, '', '/pricing')], PHONE)
    // f: two sessions, one a row each (their own source); g: today only (raw).
    await send('f', 'f-1', [view(today - 2 * DAY + HOUR, HN), view(today - 2 * DAY + HOUR + 60_000)])
    await send('f', 'f-2', [view(today - DAY + 20 * HOUR)])
    await send('g', 'g-1', [view(today + Math.min(60_000, Math.floor((now - today) / 2)))])
    await drained()
  })

  it('gives every row of a session the source of its first pageview in the period, as raw events do', async () => {
    const asks = [
      'event=pageview&by=source',
      'event=pageview&by=source&device=desktop',
      'event=pageview&by=source&top=1',
    ]
    const readAll = async () => {
      const out = []
      for (const q of asks) out.push((await read(`breakdown?site=acme&days=3&${q}`)).body)
      return out
    }
    const of = (body: any) => Object.fromEntries(body.values.map((x: any) => [x.value, [x.events, x.visitors]]))
    const raw = await readAll()
    expect(of(raw[0])).toEqual({ 'news.ycombinator.com': [4, 2], 'google.com': [2, 1], direct: [2, 2] })
    expect(raw[0].total).toEqual({ events: 8, visitors: 4 })
    expect(of(raw[1])).toEqual({ 'news.ycombinator.com': [4, 2], 'google.com': [1, 1], direct: [2, 2] })
    await runJob(now + SETTLE_MS)
    expect(await rolledTo()).toBe(today / DAY)
    const gone = await env.DB.prepare('DELETE FROM events WHERE site = ? AND ts < ?').bind('acme', today).run()
    expect(gone.meta.changes).toBeGreaterThan(0)
    const rolled = await readAll()
    for (let i = 0; i < asks.length; i++) expect(rolled[i], asks[i]).toEqual(raw[i])
  })
})

describe('retention', () => {
  const now = Date.now()
  const weeks = 3
  const { first } = retentionWindow(weeks, now)
  const week = (k: number, hours = 10) => Math.min((first + 7 * k) * DAY + hours * HOUR, now - 60_000)
  const sent: Sent[] = []
  const visit = async (visitor: string, at: number, o: { plan?: string; bot?: boolean } = {}) =>
    sent.push(
      ...(await session(visitor, `${visitor}-${at}`, at, {
        country: 'PL',
        language: 'pl',
        ref: '',
        pages: ['/'],
        ...o,
      })),
    )

  beforeAll(async () => {
    await emptyDb()
    await givenSite('acme', config)
    await visit('a', week(0))
    await visit('a', week(1), { plan: 'free' })
    await visit('a', week(2))
    await visit('b', week(1))
    await visit('b', week(2), { plan: 'pro' })
    await visit('c', week(0) - 2 * DAY) // seen before the window: in no cohort
    await visit('c', week(1))
    await visit('d', week(2), { plan: 'free' })
    await visit('e', week(0, 20))
    await visit('crawler', week(1), { bot: true })
    await drained()
  })

  /** The recount: each visitor's cohort (week of their first person's event), and the weeks they were active in. */
  function recount(match: (e: Sent) => boolean = () => true) {
    const cohorts = Array.from({ length: weeks }, () => ({ visitors: 0, returning: Array(weeks).fill(0) as number[] }))
    for (const v of new Set(sent.filter((e) => !e.bot).map((e) => e.visitor))) {
      const mine = sent.filter((e) => e.visitor === v && !e.bot)
      const c = (weekOf(Math.floor(Math.min(...mine.map((e) => e.ts)) / DAY)) - first) / 7
      if (c < 0) continue
      cohorts[c]!.visitors++
      for (const k of new Set(mine.filter(match).map((e) => (weekOf(Math.floor(e.ts / DAY)) - first) / 7 - c)))
        cohorts[c]!.returning[k]!++
    }
    return cohorts.map((x, c) => ({ visitors: x.visitors, returning: x.returning.slice(0, weeks - c) }))
  }
  const shape = (body: any) => body.cohorts.map((x: any) => ({ visitors: x.visitors, returning: x.returning }))

  it('puts each visitor in the week of their first visit and counts who came back in each week after', async () => {
    const { status, body } = await read(`retention?site=acme&weeks=${weeks}`)
    expect(status).toBe(200)
    expect(shape(body)).toEqual(recount())
    expect(body.cohorts[0].start).toBe(first * DAY)
    expect(body.cohorts[0].visitors).toBe(2) // a and e; c was seen before
    expect(body.cohorts[0].shares[0]).toBe(1)
    const signup = await read(`retention?site=acme&weeks=${weeks}&event=track:signup`)
    expect(signup.body.event).toBe('track:signup')
    expect(shape(signup.body)).toEqual(recount((e) => e.type === 'track' && e.name === 'signup'))
  })

  it('moves a visitor to the week a late batch says they first came, and adds a new one there', async () => {
    await visit('b', week(0, 12)) // b's earlier visit, arriving now
    await visit('f', week(0, 14))
    const { body } = await read(`retention?site=acme&weeks=${weeks}`)
    expect(shape(body)).toEqual(recount())
    expect(body.cohorts[0].visitors).toBe(4) // a, e, b, f
    expect(body.cohorts[1].visitors).toBe(0)
  })

  it('answers the same from the rollups once the raw events of rolled-up days are gone', async () => {
    const before = await read(`retention?site=acme&weeks=${weeks}&event=track:signup`)
    const any = await read(`retention?site=acme&weeks=${weeks}`)
    expect(before.status).toBe(200)
    expect(any.body.cohorts.reduce((n: number, c: any) => n + c.visitors, 0)).toBe(5)
    await runJob(now + SETTLE_MS)
    const today = Math.floor(now / DAY) * DAY
    const lastDay = Math.max(...sent.filter((e) => e.ts < today).map((e) => Math.floor(e.ts / DAY)))
    expect(await rolledTo()).toBeGreaterThan(lastDay)
    const gone = await env.DB.prepare('DELETE FROM events WHERE site = ? AND ts < ?').bind('acme', today).run()
    expect(gone.meta.changes).toBeGreaterThan(0)
    expect((await read(`retention?site=acme&weeks=${weeks}&event=track:signup`)).body).toEqual(before.body)
    expect((await read(`retention?site=acme&weeks=${weeks}`)).body).toEqual(any.body)
  }, 180_000)
})

describe('bad questions', () => {
  beforeAll(async () => {
    await emptyDb()
    await givenSite('acme', config)
  })
  it.each([
    ['breakdown?site=acme&by=colour', 'by'],
    ['breakdown?site=acme&by=prop:', 'by'],
    ['breakdown?site=acme&top=0', 'top'],
    ['breakdown?site=acme&event=Page%20View', 'event'],
    ['breakdown?site=acme&event=track:', 'event'],
    ['breakdown?site=acme&days=0', 'days'],
    ['retention?site=acme&weeks=0', 'weeks'],
    ['retention?site=acme&event=Nope!', 'event'],
    ['retention?site=acme&device=fridge', 'device'],
  ])('GET %s is refused naming %s', async (path, field) => {
    const { status, body } = await read(path)
    expect(status).toBe(400)
    expect(body.path).toBe(field)
    expect(body.error).toMatch(new RegExp(field))
  })
})
