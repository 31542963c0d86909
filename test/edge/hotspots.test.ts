/**
 * Friction hotspots as a person reads them (GET /v1/insights/friction): one row per element of
 * a page, however many URLs (UTM tags, fragments, ids the path rules collapse) and selectors led
 * to it; what its clicks did, in one line; and the visitors behind a row, each with the moments
 * before their click (GET /v1/insights/visitors?page=&element=).
 */
import { beforeEach, describe, expect, it } from 'vitest'
import { SELF } from 'cloudflare:test'
import { ADMIN, batch, drained, emptyDb, event, givenSite, post, DESKTOP } from './helpers'
import type { WireEvent } from '../../snippet/contract/wire'

const read = async (path: string) => {
  await drained()
  const r = await SELF.fetch(`https://edge.example/v1/insights/${path}`, { headers: ADMIN })
  return { status: r.status, body: (await r.json()) as any }
}

const visit = (visitor: string, events: ReturnType<typeof event>[]) =>
  post('/v1/events', batch(events, { visitor, session: `s-${visitor}` }), DESKTOP)

const LEARN_MORE = { tag: 'button', id: 'learn-more', text: 'Learn more' }
const click = (type: string, url: string, props: NonNullable<WireEvent['props']>, ts = Date.now()) =>
  event({ type, url, ts, props })

beforeEach(async () => {
  await emptyDb()
  await givenSite('acme', {}, undefined, { paths: { patterns: ['/projects/:id'] } })
})

describe('friction hotspots', () => {
  it('gives one button one row with its counts, across UTM-tagged URLs, fragments and selector variants', async () => {
    await visit('a', [
      click('rage_click', 'https://shop.example/pricing?utm_source=news&utm_medium=email', {
        ...LEARN_MORE,
        path: 'div.card>button#learn-more',
        classes: ['fake-button'],
        clicks: 3,
      }),
      click('dead_click', 'https://shop.example/pricing?utm_source=news&utm_medium=email', {
        ...LEARN_MORE,
        path: 'div.card>button#learn-more',
      }),
    ])
    await visit('b', [
      click('rage_click', 'https://shop.example/pricing?utm_campaign=spring#plans', {
        ...LEARN_MORE,
        path: 'button#learn-more',
        clicks: 3,
      }),
      click('dead_click', 'https://shop.example/pricing#plans', { ...LEARN_MORE, path: 'button#learn-more' }),
    ])
    // No id: its test id names it, whatever its classes were; then its label; then role and text.
    const earlier = Date.now() - 5000
    await visit('c', [
      click(
        'dead_click',
        'https://shop.example/projects/12',
        {
          tag: 'button',
          name: 'share',
          path: 'div.toolbar>button.btn',
          text: 'Share',
        },
        earlier,
      ),
      click(
        'dead_click',
        'https://shop.example/projects/97?tab=files',
        {
          tag: 'button',
          name: 'share',
          path: 'div.toolbar>button.btn.active',
          text: 'Share',
        },
        earlier,
      ),
      click('rage_click', 'https://shop.example/', { tag: 'span', role: 'button', label: 'Close', path: 'div>span.x' }),
      click('rage_click', 'https://shop.example/#top', { tag: 'span', role: 'button', label: 'Close', path: 'span.x' }),
      click('rage_click', 'https://shop.example/?ref=ad', {
        tag: 'span',
        role: 'button',
        label: 'Close',
        path: 'div.open>span.x',
      }),
      click('error_click', 'https://shop.example/', { tag: 'a', text: 'Docs', path: 'nav>a.link', message: 'boom' }),
      click('error_click', 'https://shop.example/', { tag: 'a', text: 'Docs', path: 'nav.sticky>a.link' }),
    ])
    const { status, body } = await read('friction?site=acme')
    expect(status).toBe(200)
    const rows = body.hotspots.map((h: any) => [h.page, h.element, h.rage, h.dead, h.error, h.visitors])
    expect(rows).toEqual([
      ['/pricing', '#learn-more', 2, 2, 0, 2],
      ['/', 'label “Close”', 3, 0, 0, 1],
      ['/', 'link “Docs”', 0, 0, 2, 1],
      ['/projects/:id', 'name share', 0, 2, 0, 1],
    ])
    expect(body.hotspots[0]).toMatchObject({ text: 'Learn more', events: 4 })
  })

  it('says what the clicks did in one line, from what the snippet saw', async () => {
    const dead = (ms: number, clicks: number, moved = 0) =>
      click('dead_click', 'https://shop.example/pricing', { ...LEARN_MORE, clicks, ms, quiet: 2500, moved })
    await visit('a', [dead(600, 5)])
    await visit('b', [dead(580, 5)])
    await visit('c', [dead(700, 6)])
    // On a page whose countdown ticks: nothing answered the click, but the page did change.
    const sale = { tag: 'button', id: 'shop-now', text: 'Shop now' }
    await visit('d', [
      click('dead_click', 'https://shop.example/sale', { ...sale, clicks: 1, ms: 0, quiet: 2600, moved: 1 }),
    ])
    // Only rage clicks: how fast, no wait to speak of.
    await visit('e', [
      click('rage_click', 'https://shop.example/cart', { tag: 'button', id: 'pay', clicks: 3, ms: 240 }),
    ])
    const { body } = await read('friction?site=acme')
    const line = (element: string) => body.hotspots.find((h: any) => h.element === element)?.line
    expect(line('#learn-more')).toBe('5 clicks in 0.6 s, nothing changed on the page for 2.5 s')
    expect(line('#shop-now')).toBe(
      '1 click, nothing answered for 2.6 s (only what changes by itself changed on the page)',
    )
    expect(line('#pay')).toBe('3 clicks in 0.2 s, none of them answered')
    expect(body.hotspots.find((h: any) => h.element === '#learn-more').did).toEqual({
      clicks: 5,
      ms: 600,
      quiet: 2500,
      moved: 0,
    })
  })

  it('opens the visitors behind a row, each with the moments before their click', async () => {
    const t = Date.now() - 60_000
    await visit('a', [
      event({ type: 'pageview', url: 'https://shop.example/pricing?utm_source=news', ts: t }),
      click('click', 'https://shop.example/pricing?utm_source=news', { tag: 'button', id: 'monthly' }, t + 1000),
      click('rage_click', 'https://shop.example/pricing?utm_source=news', { ...LEARN_MORE, clicks: 3 }, t + 2000),
    ])
    await visit('b', [
      click('dead_click', 'https://shop.example/pricing#plans', { ...LEARN_MORE, path: 'main>button#learn-more' }, t),
    ])
    // Friction elsewhere: not behind this row.
    await visit('c', [click('dead_click', 'https://shop.example/cart', { ...LEARN_MORE }, t)])
    const { status, body } = await read(`visitors?site=acme&page=/pricing&element=${encodeURIComponent('#learn-more')}`)
    expect(status).toBe(200)
    const byId = Object.fromEntries(body.visitors.map((v: any) => [v.id, v.before.map((e: any) => e.type)]))
    expect(byId).toEqual({ a: ['pageview', 'click', 'rage_click'], b: ['dead_click'] })
  })

  it('refuses half a hotspot or a page that is not a path, with a 400 naming the parameter', async () => {
    for (const [q, path] of [
      ['page=/pricing', 'element'],
      [`element=${encodeURIComponent('#learn-more')}`, 'page'],
      [`page=pricing&element=x`, 'page'],
    ]) {
      const { status, body } = await read(`visitors?site=acme&${q}`)
      expect(status).toBe(400)
      expect(body).toMatchObject({ error: expect.any(String), path })
    }
  })
})
