/**
 * A session seen on two devices (a phone's browser asking for the desktop site part-way, say):
 * under a device filter every view counts what happened on that device as if the other's events
 * were not there, so a session's source, entry page and referrer are those of its first
 * pageview on the device in the period. The same answers from raw events by the hour, from the
 * rollups' recount of raw days and from stored rows, and from a recount of the events sent.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { SELF, env } from 'cloudflare:test'
import {
  ADMIN,
  CRAWLER,
  DESKTOP,
  PHONE,
  batch,
  drained,
  emptyDb,
  event,
  givenSite,
  post,
  rolledTo,
  runJob,
} from './helpers'
import { SETTLE_MS } from '../../edge/jobs/maintain'

const DAY = 86_400_000
const HOUR = 3_600_000
const SHOP = 'https://shop.example'
const GOOGLE = 'https://www.google.com/'
const HN = 'https://news.ycombinator.com/'
type Device = 'desktop' | 'mobile'
/** What each device's browser sends as (a crawler's too). */
const HEADERS = { desktop: DESKTOP, mobile: PHONE, bot: CRAWLER }

/** An event as sent, with what the recount reads. */
interface Sent {
  visitor: string
  session: string
  type: 'pageview' | 'click'
  ts: number
  path: string
  source: string
  device: Device | 'bot'
}

const read = async (path: string) => {
  await drained()
  const r = await SELF.fetch(`https://edge.example/v1/insights/${path}`, { headers: ADMIN })
  expect(r.status, path).toBe(200)
  return (await r.json()) as any
}

describe('a session seen on two devices', () => {
  const now = Date.now()
  const today = Math.floor(now / DAY) * DAY
  // Minutes after midnight that have already passed today (the raw part once rolled up).
  const early = Math.min(5 * 60_000, Math.floor((now - today) / 2))
  const sent: Sent[] = []

  /** One batch of a session from one device: pageviews of [path, ref] and a click after each. */
  async function send(visitor: string, session: string, device: Sent['device'], at: number, views: [string, string][]) {
    const events = views.flatMap(([path, ref], i) => [
      event({ type: 'pageview', url: SHOP + path, ts: at + i * 60_000, props: { ref } }),
      event({ type: 'click', url: SHOP + path, ts: at + i * 60_000 + 1000, props: { path: 'a' } }),
    ])
    for (const e of events) {
      const ref = (e.props as { ref?: string }).ref
      // A referrer of the site itself (a page of it) is no source: direct, as the Sources table says.
      const host = ref ? new URL(ref).hostname.replace(/^www\./, '') : ''
      const source = host && host !== 'shop.example' ? host : 'direct'
      sent.push({
        visitor,
        session,
        type: e.type as Sent['type'],
        ts: e.ts,
        path: new URL(e.url).pathname,
        source,
        device,
      })
    }
    const r = await post('/v1/events', batch(events, { visitor, session }), HEADERS[device])
    expect(r.status).toBe(200)
  }

  beforeAll(async () => {
    await emptyDb()
    await givenSite('acme')
    // e: from Google on the desktop, then on a phone (a page of the site: its own referrer).
    await send('e', 'e-1', 'desktop', today - DAY + 10 * HOUR, [['/a', GOOGLE]])
    await send('e', 'e-1', 'mobile', today - DAY + 11 * HOUR, [['/b', SHOP + '/a']])
    // m: the other way round, from Hacker News on the phone.
    await send('m', 'm-1', 'mobile', today - DAY + 9 * HOUR, [['/a', HN]])
    await send('m', 'm-1', 'desktop', today - DAY + 9 * HOUR + 2 * 60_000, [['/b', '']])
    // t: from Google on the desktop before midnight, on a phone after it (today: raw once rolled up).
    await send('t', 't-1', 'desktop', today - 10 * 60_000, [['/a', GOOGLE]])
    await send('t', 't-1', 'mobile', today + early, [['/c', SHOP + '/a']])
    // k: a pageview on the desktop, only a click on the phone (no pageview there: no source).
    await send('k', 'k-1', 'desktop', today - DAY + 14 * HOUR, [['/a', GOOGLE]])
    const click = event({ type: 'click', url: SHOP + '/a', ts: today - DAY + 15 * HOUR, props: { path: 'a' } })
    sent.push({ visitor: 'k', session: 'k-1', type: 'click', ts: click.ts, path: '/a', source: '', device: 'mobile' })
    expect((await post('/v1/events', batch([click], { visitor: 'k', session: 'k-1' }), PHONE)).status).toBe(200)
    // b: a crawler's user agent first (from Hacker News), then a person's browser (from Google).
    await send('b', 'b-1', 'bot', today - DAY + 12 * HOUR, [['/a', HN]])
    await send('b', 'b-1', 'desktop', today - DAY + 12 * HOUR + 5 * 60_000, [['/b', GOOGLE]])
    await drained()
  })

  /** People's events on the device (every device: undefined), all in both periods asked. */
  const on = (device?: Device) => sent.filter((e) => e.device !== 'bot' && (!device || e.device === device))
  /** Each session's first pageview among `events`. */
  const firsts = (events: Sent[]) => {
    const m = new Map<string, Sent>()
    for (const e of events.filter((x) => x.type === 'pageview').sort((a, b) => a.ts - b.ts))
      if (!m.has(e.session)) m.set(e.session, e)
    return m
  }
  /** value → [events, visitors] of `type` by the source of their session on the device. */
  function bySource(type: Sent['type'], device?: Device) {
    const events = on(device)
    const first = firsts(events)
    const m = new Map<string, { n: number; who: Set<string> }>()
    for (const e of events.filter((x) => x.type === type)) {
      const k = first.get(e.session)?.source ?? '(none)'
      const x = m.get(k) ?? { n: 0, who: new Set() }
      x.n++
      x.who.add(e.visitor)
      m.set(k, x)
    }
    return Object.fromEntries([...m].map(([k, x]) => [k, [x.n, x.who.size]]))
  }
  /** key → [sessions, visitors] of the sessions' first pageviews on the device. */
  function ofFirsts(key: (e: Sent) => string, device?: Device) {
    const m = new Map<string, { n: number; who: Set<string> }>()
    for (const e of firsts(on(device)).values()) {
      const x = m.get(key(e)) ?? { n: 0, who: new Set() }
      x.n++
      x.who.add(e.visitor)
      m.set(key(e), x)
    }
    return Object.fromEntries([...m].map(([k, x]) => [k, [x.n, x.who.size]]))
  }
  /** The visitors and pageviews on the device of the sessions whose first pageview there came from `source`. */
  function referred(source: string, device?: Device) {
    const events = on(device)
    const first = firsts(events)
    const of = events.filter((e) => first.get(e.session)?.source === source)
    return {
      visitors: new Set(of.map((e) => e.visitor)).size,
      pageviews: of.filter((e) => e.type === 'pageview').length,
    }
  }

  /** Visitors who viewed /a and then /b, both on the device. */
  function funnel(device?: Device) {
    const views = on(device).filter((e) => e.type === 'pageview')
    const a = new Map<string, number>()
    for (const e of views) if (e.path === '/a') a.set(e.visitor, Math.min(a.get(e.visitor) ?? Infinity, e.ts))
    const b = new Set(
      views.filter((e) => e.path === '/b' && e.ts > (a.get(e.visitor) ?? Infinity)).map((e) => e.visitor),
    )
    return [a.size, b.size]
  }

  const DEVICES = [undefined, 'mobile', 'desktop'] as const
  const dev = (d?: Device) => (d ? `&device=${d}` : '')
  const rows = (body: any, n: string) =>
    Object.fromEntries(body.map((x: any) => [x.source ?? x.page, [x.sessions, x[n]]]))
  const values = (body: any) => Object.fromEntries(body.values.map((x: any) => [x.value, [x.events, x.visitors]]))

  /** Every count asked of the API for `days`, each beside its recount. */
  async function answers(days: number, daily = true) {
    const out: [string, unknown, unknown][] = []
    const q = (insight: string, params: string) => read(`${insight}?site=acme&days=${days}${params}`)
    for (const d of DEVICES) {
      for (const type of ['pageview', 'click'] as const) {
        const path = `&event=${type}&by=source${dev(d)}`
        out.push([`breakdown${path}`, values(await q('breakdown', path)), bySource(type, d)])
        for (const [value, [events, visitors]] of Object.entries(bySource(type, d))) {
          const who = await q('visitors', `${path}&value=${encodeURIComponent(value)}`)
          out.push([`breakdown${path} ${value}: its visitors`, [who.measure, who.total], [events, visitors]])
        }
      }
      for (const source of ['google.com', 'news.ycombinator.com', 'direct']) {
        const trends = await q('trends', `&referrer=${source}${dev(d)}`)
        const total = (id: string) => trends.metrics.find((m: any) => m.id === id).total.current
        const want = referred(source, d)
        out.push([
          `trends referrer=${source}${dev(d)}`,
          [total('visitors'), total('pageviews')],
          [want.visitors, want.pageviews],
        ])
        const who = await q('visitors', `&referrer=${source}${dev(d)}`)
        out.push([`visitors referrer=${source}${dev(d)}`, who.total, want.visitors])
      }
      if (!daily) continue
      // Counts of events, not of sessions: the device's own, as they always were.
      const overview = await q('overview', dev(d))
      const mine = on(d)
      out.push([
        `overview${dev(d)}`,
        [overview.visitors, overview.sessions, overview.pageviews],
        [
          new Set(mine.map((e) => e.visitor)).size,
          new Set(mine.map((e) => e.session)).size,
          mine.filter((e) => e.type === 'pageview').length,
        ],
      ])
      const funnels = await q('funnels', `&steps=${encodeURIComponent('page:/a,page:/b')}${dev(d)}`)
      out.push([`funnel /a, /b${dev(d)}`, funnels.funnels[0].steps.map((x: any) => x.visitors), funnel(d)])
      const sources = await q('sources', dev(d))
      out.push([`sources${dev(d)}`, rows(sources.referrers, 'visitors'), ofFirsts((e) => e.source, d)])
      const pages = await q('pages', dev(d))
      out.push([`entry pages${dev(d)}`, rows(pages.entries, 'visitors'), ofFirsts((e) => e.path, d)])
    }
    return out
  }

  it('counts what happened on the device, by the hour, from raw days and from rolled-up ones alike', async () => {
    // Two days: raw events by the hour; three: the rollups' recount of the raw days.
    for (const [label, got, want] of await answers(2, false)) expect.soft(got, `days=2 ${label}`).toEqual(want)
    for (const [label, got, want] of await answers(3)) expect.soft(got, `days=3 ${label}`).toEqual(want)
    // The meaning, by hand: e's phone pageview came from the site itself, m's desktop one had no referrer.
    expect(bySource('pageview', 'mobile')).toEqual({ 'news.ycombinator.com': [1, 1], direct: [2, 2] })
    expect(bySource('click', 'mobile')).toEqual({ 'news.ycombinator.com': [1, 1], direct: [2, 2], '(none)': [1, 1] })
    expect(funnel('desktop')).toEqual([3, 0])
    // Rolled up and named, the raw events of those days gone: the same from the stored rows.
    await runJob(now + SETTLE_MS)
    expect(await rolledTo()).toBe(today / DAY)
    const gone = await env.DB.prepare('DELETE FROM events WHERE site = ? AND ts < ?').bind('acme', today).run()
    expect(gone.meta.changes).toBeGreaterThan(0)
    for (const [label, got, want] of await answers(3)) expect.soft(got, `days=3 rolled up: ${label}`).toEqual(want)
  }, 120_000)
})
