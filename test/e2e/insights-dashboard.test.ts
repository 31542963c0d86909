/** The product team's insights in Chromium, on traffic seeded through the public API. */
import { beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { eventually, hoverToday, problemsOf, signIn, storedEvents, useEdgeAndBrowser } from './harness'
import { SHOP, shopSite, untilStored, visit } from './seed'

const env = useEdgeAndBrowser()

const LONG = `${SHOP}/settings/workspaces/1234567890/members/invitations/pending-and-expired-invitations`

beforeAll(async () => {
  await shopSite(env.edge, env.site)
  const step = (s: string) => ({ type: 'step', name: 'onboarding', props: { step: s } })
  await visit(env.edge, env.site, 'ann', [
    { type: 'pageview', url: `${SHOP}/?utm_source=newsletter`, props: { ref: 'https://www.google.com/' } },
    { type: 'pageview', url: LONG, props: { ref: `${SHOP}/` } },
    { ...step('account'), ago: 2000 },
    { ...step('workspace'), ago: 1000 },
    {
      type: 'rage_click',
      ago: 500,
      url: LONG,
      props: {
        path: 'main > section.invitations > div.pending-list > button#resend-all-expired-invitations',
        text: 'Resend all expired invitations now',
        clicks: 4,
      },
    },
    {
      type: 'form_abandon',
      url: LONG,
      props: { form: 'invite-members-by-email-address', fields: ['email'], last: 'email-address-of-the-colleague' },
    },
    { type: 'track', name: 'invite_sent', props: { plan: 'pro' } },
  ])
  await visit(env.edge, env.site, 'bob', [{ type: 'pageview', url: `${SHOP}/pricing`, ago: 2000 }, step('account')], {
    phone: true,
  })
  await visit(env.edge, env.site, 'crawler', [{ type: 'pageview' }, { type: 'pageview' }], { bot: true })
  await untilStored(env.edge, env.site, 11)
})

const section = (page: Page, id: string) => page.locator(`section[aria-labelledby=${id}]`)

describe('insights dashboard', () => {
  it('shows each metric as a chart against the period before, with the same numbers as a table', async () => {
    const page = await env.browser.newPage()
    const problems = problemsOf(page)
    await signIn(page, env.edge, env.site, { choose: 'menu' })
    const trends = section(page, 'trends')
    const visitors = trends.locator('article', { hasText: 'Visitors' }).first()
    await visitors.locator('canvas').first().waitFor()
    expect(await visitors.locator('.figure').textContent()).toBe('2 new · before: 0')
    expect(await visitors.locator('.chart').getAttribute('aria-label')).toBe(
      'Visitors: 2 this period, 0 the period before (new).',
    )
    await visitors.locator('summary').click()
    const rows = visitors.locator('tbody tr')
    expect(await rows.count()).toBe(30)
    expect(await rows.last().locator('td').first().textContent()).toBe('2')
    const done = trends.locator('article', { hasText: 'onboarding: completed' })
    expect(await done.locator('.empty').textContent()).toBe('Nothing in either period yet.')
    expect(await trends.locator('article', { hasText: 'NPS' }).locator('.empty').textContent()).toBe(
      'No NPS answers in either period.',
    )
    await trends.screenshot({ path: 'test-results/section-trends.png' })
    expect(problems).toEqual([])
    await page.close()
  })

  it('writes out the values of the day under the cursor, and marks today as so far, not as a drop', async () => {
    const page = await env.browser.newPage({ viewport: { width: 1280, height: 800 } })
    await signIn(page, env.edge, env.site, { choose: 'menu' })
    const visitors = section(page, 'trends').locator('article', { hasText: 'Visitors' }).first()
    const plot = visitors.locator('.u-over') // the plot's area, without the axes
    await plot.waitFor()
    const value = visitors.locator('.chart-value')
    expect((await value.textContent())!.trim()).toBe('')
    await hoverToday(page, plot)
    await eventually(async () =>
      expect(await value.textContent()).toMatch(
        /^[A-Z][a-z]{2} \d{1,2} \(so far\): 2 · before: 0 · click to list them$/,
      ),
    )
    await visitors.locator('summary').click()
    expect(await visitors.locator('tbody tr').last().locator('th').textContent()).toMatch(/ \(so far\)$/)
    expect(await visitors.locator('tbody tr').first().locator('th').textContent()).not.toMatch(/so far/)
    await page.close()
  })

  it('lists top pages, entry pages, referrers, campaigns and custom events with their props', async () => {
    const page = await env.browser.newPage()
    const problems = problemsOf(page)
    await signIn(page, env.edge, env.site, { choose: 'menu' })
    const traffic = section(page, 'traffic')
    const rowsOf = (caption: string) =>
      traffic
        .locator('table', { has: page.locator(`caption:has-text("${caption}")`) })
        .locator('tbody tr')
        .evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent)))
    await traffic.locator('table').first().waitFor()
    expect(await rowsOf('Top pages')).toEqual([
      ['/', '1', '1'],
      ['/pricing', '1', '1'],
      ['/settings/workspaces/:id/members/invitations/pending-and-expired-invitations', '1', '1'],
    ])
    expect(await rowsOf('Entry pages')).toEqual([
      ['/', '1', '1'],
      ['/pricing', '1', '1'],
    ])
    expect(await rowsOf('Referrers')).toEqual([
      ['direct', '1', '1'],
      ['google.com', '1', '1'],
    ])
    expect(await rowsOf('UTM campaigns')).toEqual([['newsletter', '—', '—', '1']])
    const events = section(page, 'custom-events').locator('tbody tr')
    expect(await events.evaluateAll((trs) => trs.map((tr) => tr.textContent))).toEqual(['invite_sent11plan: pro (1)'])
    await traffic.screenshot({ path: 'test-results/section-traffic.png' })
    await section(page, 'custom-events').screenshot({ path: 'test-results/section-custom-events.png' })
    expect(problems).toEqual([])
    await page.close()
  })

  it('draws journeys as a flow chart, towards a goal, with the paths as a table', async () => {
    const page = await env.browser.newPage()
    const problems = problemsOf(page)
    await signIn(page, env.edge, env.site, { choose: 'menu' })
    const journeys = section(page, 'journeys')
    await journeys.locator('svg.flow').waitFor()
    // A long page's label is cut to its column; each page's box names it whole.
    const pages = await journeys.locator('svg.flow g > title').allTextContents()
    expect(pages.map((t) => t.slice(0, t.lastIndexOf(': ')))).toEqual(
      expect.arrayContaining([
        '/',
        '/pricing',
        '/settings/workspaces/:id/members/invitations/pending-and-expired-invitations',
      ]),
    )
    await journeys.locator('select').nth(1).selectOption('invite_sent')
    await eventually(async () =>
      expect(await journeys.locator('.note').first().textContent()).toBe('2 sessions, 1 reached invite_sent.'),
    )
    const paths = journeys.locator('table', { hasText: 'Most frequent paths' }).locator('tbody tr')
    expect(await paths.evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent)))).toEqual([
      ['/ → /settings/workspaces/:id/members/invitations/pending-and-expired-invitations', '1', '1'],
      ['/pricing', '1', '0'],
    ])
    await journeys.locator('select').first().selectOption('/pricing')
    await eventually(async () =>
      expect(await journeys.locator('.note').first().textContent()).toBe('1 session, 0 reached invite_sent.'),
    )
    await journeys.screenshot({ path: 'test-results/section-journeys.png' })
    expect(problems).toEqual([])
    await page.close()
  })

  it('narrows everything to a segment, and compares the funnel of two segments side by side', async () => {
    const page = await env.browser.newPage()
    const problems = problemsOf(page)
    await signIn(page, env.edge, env.site, { choose: 'menu' })
    const card = (label: string) => page.locator('.card', { hasText: label }).locator('dd')
    await eventually(async () => expect(await card('Visitors').textContent()).toBe('2'))
    const segment = page.locator('form[aria-label=Segment]')
    await segment.locator('select[name=device]').selectOption('mobile')
    await segment.locator('button[type=submit]').click()
    await eventually(async () =>
      expect(await page.locator('#overview ~ .note').first().textContent()).toBe('Segment: mobile.'),
    )
    expect(await card('Visitors').textContent()).toBe('1')
    expect(await card('Pageviews').textContent()).toBe('1')
    await segment.locator('text=Everyone').click()
    await eventually(async () => expect(await card('Pageviews').textContent()).toBe('3'))

    const compare = page.locator('form[aria-label="Compare with"]')
    await compare.locator('select[name=device]').selectOption('mobile')
    await compare.locator('button[type=submit]').click()
    const pair = section(page, 'funnels').locator('.compare')
    await eventually(async () =>
      expect(await pair.locator('caption').allTextContents()).toEqual([
        'onboarding (everyone), in order within 7 days — most visitors are lost before “invite” Download CSV',
        'onboarding (mobile), in order within 7 days — most visitors are lost before “workspace” Download CSV',
      ]),
    )
    const column = (i: number) => pair.locator('table').nth(i).locator('tbody tr td:first-of-type').allTextContents()
    expect(await column(0)).toEqual(['2', '1', '0', '0'])
    expect(await column(1)).toEqual(['1', '0', '0', '0'])
    // How long those who went on took from the step before (median, 90th percentile).
    const took = pair.locator('table').first().locator('tbody tr td:nth-of-type(4)')
    expect(await took.allTextContents()).toEqual(['—', '1 s (90%: 1 s)', '—', '—'])
    // How many stopped at each step, and where they went: bob did nothing after his account, ann clicked (in rage) after her workspace.
    const then = pair.locator('table').first().locator('tbody tr td:nth-of-type(5)')
    expect(await then.allTextContents()).toEqual([
      '1 → nothing (1)',
      '1 → Clicked main > section.invitations > div.pending-list > button#resend-all-expired-invitations (1)',
      '—',
      '—',
    ])
    await section(page, 'funnels').screenshot({ path: 'test-results/section-funnels.png' })

    // A named segment to compare with, as the view's own filter offers: ann came from the newsletter.
    const alone = async () => {
      const r = await fetch(`${env.edge.origin}/v1/insights/funnels?site=${env.site}&days=30&segment=from-newsletter`, {
        headers: { authorization: `Bearer ${env.edge.token}` },
      })
      return ((await r.json()) as any).funnels[0].steps.map((s: any) => String(s.visitors)) as string[]
    }
    await eventually(async () => expect((await alone())[0]).toBe('1'))
    await compare.locator('select[name=device]').selectOption('')
    await compare.locator('select[name=segment]').selectOption('from-newsletter')
    await compare.locator('button[type=submit]').click()
    await eventually(async () =>
      expect(await pair.locator('caption').nth(1).textContent()).toMatch(/^onboarding \(segment from-newsletter\), /),
    )
    expect(new URL(page.url()).searchParams.get('vs.segment')).toBe('from-newsletter')
    // The same numbers as the funnel read for that segment alone.
    expect(await column(1)).toEqual(await alone())
    expect(problems).toEqual([])
    await page.close()
  })

  it('says what to do in each section of a site with no data yet', async () => {
    await shopSite(env.edge, 'empty', { funnels: [{ id: 'setup', steps: [{ id: 'start' }] }] })
    const page = await env.browser.newPage()
    const problems = problemsOf(page)
    await signIn(page, env.edge, env.site, { choose: 'menu' })
    await page.selectOption('header select >> nth=0', 'empty')
    await eventually(async () =>
      expect(await page.locator('[data-install]').textContent()).toMatch(/^No event received from this site yet/),
    )
    expect(await section(page, 'traffic').locator('.note').first().textContent()).toContain('install the tag')
    expect(await section(page, 'custom-events').textContent()).toContain("ciel('track'")
    await eventually(async () =>
      expect(await section(page, 'journeys').locator('.note').textContent()).toBe('No pageview in this period yet.'),
    )
    // Its funnel is "setup": the section is not titled after another site's.
    expect(await page.locator('#funnels').textContent()).toBe('Funnels')
    expect(await section(page, 'funnels').locator('caption').first().textContent()).toMatch(/^setup/)
    // Visitors, sessions, pageviews, the funnel's completions, friction and NPS.
    expect(await section(page, 'trends').locator('.empty').count()).toBe(6)
    await page.screenshot({ path: 'test-results/dashboard-empty.png', fullPage: true })
    expect(problems).toEqual([])
    await page.close()
  })

  it('counts people, not bots, and reads "Last day" for a one-day period', async () => {
    const page = await env.browser.newPage()
    const problems = problemsOf(page)
    await signIn(page, env.edge, env.site, { choose: 'menu' })
    const card = (label: string) => page.locator('.card', { hasText: label }).locator('dd')
    await eventually(async () => expect(await card('Visitors').textContent()).toBe('2'))
    expect(await card('Pageviews').textContent()).toBe('3')
    await page.selectOption('header select >> nth=1', '1')
    await eventually(async () => expect(await page.locator('#overview').textContent()).toBe('Last day'))
    expect(await page.locator('header select >> nth=1 >> option:checked').textContent()).toBe('Last day')
    await page.selectOption('header select >> nth=1', '7')
    await eventually(async () => expect(await page.locator('#overview').textContent()).toBe('Last 7 days'))
    expect(problems).toEqual([])
    await page.close()
  })

  it("shows an error, not the previous site's numbers, when a newly chosen site cannot be loaded", async () => {
    await shopSite(env.edge, 'other', {})
    const page = await env.browser.newPage()
    await page.route(/\/v1\/insights\/funnels\?.*site=other/, (route) =>
      route.fulfill({ status: 503, contentType: 'application/json', body: '{"error":"D1 is unavailable"}' }),
    )
    await signIn(page, env.edge, env.site, { choose: 'menu' })
    await eventually(async () => expect(await page.locator('.card dd').first().textContent()).toBe('2'))
    await page.selectOption('header select >> nth=0', 'other')
    await eventually(async () =>
      expect(await page.locator('[role=alert]').textContent()).toContain('Could not load other: D1 is unavailable'),
    )
    expect(await page.locator('.card').count()).toBe(0)
    expect(await page.locator('#overview').count()).toBe(0)
    // Back to a site that loads: its numbers, and no error left over.
    await page.selectOption('header select >> nth=0', env.site)
    await eventually(async () => expect(await page.locator('.card dd').first().textContent()).toBe('2'))
    expect(await page.locator('[role=alert]').count()).toBe(0)
    await page.close()
  })

  it('fits a 390 px wide phone screen: no section is wider than the page, a wide table scrolls in its own box', async () => {
    const page = await env.browser.newPage({ viewport: { width: 390, height: 844 } })
    const problems = problemsOf(page)
    await signIn(page, env.edge, env.site, { choose: 'menu' })
    await page.locator('table', { hasText: 'Rage click' }).waitFor()
    await page.locator('svg.flow').waitFor()
    const widths = await page.evaluate(() => ({
      page: [document.documentElement.scrollWidth, document.documentElement.clientWidth],
      // Each table's box: the table, or the box that scrolls it sideways (its words never broken).
      tables: [...document.querySelectorAll('table')].map(
        (t) => (t.closest('.scroll') ?? t).getBoundingClientRect().right,
      ),
    }))
    expect(widths.page[0]).toBeLessThanOrEqual(widths.page[1]!)
    expect(widths.tables.length).toBeGreaterThan(2)
    for (const right of widths.tables) expect(right).toBeLessThanOrEqual(390)
    // The flow chart's box fits (the chart scrolls in it); a visitor's timeline fits too.
    const flow = await page.locator('.flow-box').boundingBox()
    expect(flow!.x + flow!.width).toBeLessThanOrEqual(390)
    await page.screenshot({ path: 'test-results/dashboard-390.png', fullPage: true })
    expect(problems).toEqual([])
    await page.close()
  })

  // Last: it erases a visitor the tests above count.
  it('opens a visitor from the list: segments, answers, friction, events by session; and erases them', async () => {
    const page = await env.browser.newPage()
    const problems = problemsOf(page)
    await signIn(page, env.edge, env.site, { choose: 'menu' })
    await page.click('button[aria-label="Open visitor bob"]')
    const dialog = page.locator('dialog.visitor')
    await dialog.locator('.session').first().waitFor()
    expect(await dialog.locator('.facts').textContent()).toContain('mobile · new · from direct')
    expect(await dialog.locator('.session li').allTextContents()).toEqual([
      expect.stringMatching(/ viewed \/pricing$/),
      expect.stringMatching(/ reached account \(onboarding\)$/),
    ])
    await dialog.screenshot({ path: 'test-results/section-visitor.png' })
    await page.keyboard.press('Escape')
    await eventually(async () => expect(await dialog.count()).toBe(0))

    await page.click('button[aria-label="Open visitor bob"]')
    await dialog.locator('.session').first().waitFor()
    page.once('dialog', (d) => void d.accept())
    await dialog.locator('text=Erase this visitor').click()
    await eventually(async () =>
      expect(await page.locator('main > [role=status]').textContent()).toMatch(/^Erased visitor bob: 2 events\.$/),
    )
    await eventually(async () => expect(await page.locator('button[aria-label="Open visitor bob"]').count()).toBe(0))
    expect((await storedEvents(env.edge, env.site, '&visitor=bob')).total).toBe(0)
    expect(problems).toEqual([])
    await page.close()
  })
})
