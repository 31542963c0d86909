/** The product team's dashboard, in a real browser, on data the demo site produced. */
import { describe, expect, it } from 'vitest'
import {
  eventually,
  humanContext,
  problemsOf,
  signInAt,
  snippetReady,
  storedEvents,
  useEdgeAndBrowser,
} from './harness'

const env = useEdgeAndBrowser()

describe('dashboard in Chromium', () => {
  it('asks for the token, then shows the onboarding funnel and the rage-click hotspot the demo produced', async () => {
    // A visitor (made to look human: automation is flagged as bots and left out of insights)
    // goes through two onboarding steps and rage-clicks the dead "Learn more" button.
    const human = await humanContext(env.browser)
    const visitor = await human.newPage()
    await visitor.goto(`${env.edge.origin}/onboarding`)
    await snippetReady(visitor)
    await visitor.fill('input[name=name]', 'Ann')
    // Sent by the page itself: Playwright's user-agent override does not reach keepalive
    // requests made while a page unloads, which would then look like a headless bot.
    const stepSent = visitor.waitForResponse(
      (r) => r.url().endsWith('/v1/events') && (r.request().postData() ?? '').includes('"step":"workspace"'),
    )
    await visitor.click('#step-account button')
    await stepSent
    await visitor.goto(`${env.edge.origin}/`)
    await snippetReady(visitor)
    const box = (await visitor.locator('#learn-more').boundingBox())!
    for (let i = 0; i < 3; i++) await visitor.mouse.click(box.x + 5, box.y + 5)
    // The third click is rage once it is known to be unanswered (the rage window, 1 s): the page
    // stays open until then, as a person's would.
    await eventually(async () => expect((await storedEvents(env.edge, env.site, '&type=rage_click')).total).toBe(1))
    await human.close()

    const page = await env.browser.newPage()
    const problems = problemsOf(page)
    await signInAt(page, `${env.edge.origin}/dashboard`, 'wrong-token')
    await eventually(async () => expect(await page.locator('[role=alert]').textContent()).toBe('token is not valid'))
    problems.length = 0 // the browser logs the refused request itself

    await page.fill('input[type=password]', env.edge.token)
    await page.click('button[type=submit]')
    await page.selectOption('header select >> nth=0', env.site)
    const funnel = page.locator('section[aria-labelledby=funnels] table', { hasText: 'onboarding' })
    await eventually(async () => expect(await funnel.locator('tbody tr').count()).toBe(4))
    const rows = await funnel
      .locator('tbody tr')
      .evaluateAll((trs) => trs.map((tr) => [tr.querySelector('th')!.textContent, tr.querySelector('td')!.textContent]))
    expect(rows).toEqual([
      ['account', '1'],
      ['workspace', '1'],
      ['invite', '0'],
      ['done', '0'],
    ])
    expect(await funnel.locator('caption').textContent()).toContain('most visitors are lost before “invite”')
    expect(await page.locator('[data-install]').textContent()).toMatch(/^Last event received .+\.$/)
    const hotspot = page.locator('table', { hasText: 'Rage clicks' }).locator('tbody tr').first()
    expect(await hotspot.textContent()).toContain('#learn-more')
    expect(await hotspot.textContent()).toContain('“Learn more”')
    // The row opens the visitors behind it, each with the moments before their click, and from
    // there their whole timeline; the URL keeps the row open.
    await hotspot.getByRole('button', { name: /visitors: show them/ }).click()
    const behind = page.locator('section.spot table')
    await eventually(async () => expect(await behind.locator('tbody tr').count()).toBe(1))
    expect(await behind.locator('ol.moments').textContent()).toMatch(
      /click on button#learn-more.*rage click on button#learn-more/,
    )
    expect(new URL(page.url()).searchParams.get('spot')).toBe('/ #learn-more')
    await behind.locator('tbody tr button.link').click()
    const timeline = page.locator('dialog.visitor')
    await eventually(async () => expect(await timeline.locator('.session').count()).toBeGreaterThan(0))
    await timeline.getByRole('button', { name: 'Close' }).click()

    // An erasure request for the user the onboarding identified: every device, every event.
    const identified = (await storedEvents(env.edge, env.site, '&type=identify')).events[0]!
    const userId = identified.name!
    await page.fill('input[placeholder="as in identify"]', userId)
    await page.click('form[role=search] button[type=submit]')
    const found = page.locator('table', { hasText: `Visitors identified as ${userId}` })
    await eventually(async () => expect(await found.locator('tbody tr').count()).toBe(1))
    expect(await found.locator('tbody tr code').textContent()).toBe(identified.visitor)
    page.once('dialog', (d) => {
      expect(d.message()).toBe(`Erase everything stored about user ${userId} on every device? This cannot be undone.`)
      void d.accept()
    })
    await page.click('text=Erase this user')
    await eventually(async () =>
      expect(await page.locator('#visitors ~ [role=status]').textContent()).toMatch(
        new RegExp(`^Erased user ${userId} on every device: \\d+ events\\.$`),
      ),
    )
    expect((await storedEvents(env.edge, env.site, `&visitor=${identified.visitor}`)).total).toBe(0)
    expect(await page.locator('#visitors ~ .note').textContent()).toBe(`No visitor identified as ${userId}.`)
    // The figures above follow: that visitor was the only one.
    const visitorsCard = page.locator('.card', { hasText: 'Visitors' }).locator('dd')
    await eventually(async () => expect(await visitorsCard.textContent()).toBe('0'))
    await page.screenshot({ path: 'test-results/dashboard.png', fullPage: true })
    expect(problems).toEqual([])
    await page.close()
  })
})
