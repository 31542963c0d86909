/**
 * The dashboard cannot be framed by another site (clickjacking), and its survey preview shows
 * only what the dashboard's own survey editor sends it: a link cannot make a ciel page show
 * someone's words. (The preview working inside the editor is settings.test.ts's first test.)
 */
import { createServer, type Server } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { useEdgeAndBrowser } from './harness'

const env = useEdgeAndBrowser()

/** Another site, on another origin: a page that frames `src`. */
let other: Server
let otherOrigin = ''
let framed = ''
beforeAll(async () => {
  other = createServer((_, res) =>
    res.writeHead(200, { 'content-type': 'text/html' }).end(`<!doctype html><iframe src="${framed}"></iframe>`),
  )
  await new Promise<void>((r) => other.listen(0, '127.0.0.1', r))
  otherOrigin = `http://127.0.0.1:${(other.address() as { port: number }).port}`
})
afterAll(() => new Promise<void>((r) => other.close(() => r())))

/**
 * Loads the other site framing `path` of the worker. The page's load event waits for its frame,
 * refused or not; answers the frame's document URL then (Chromium's error page when refused).
 */
async function frameFromElsewhere(page: Page, path: string): Promise<string> {
  framed = `${env.edge.origin}${path}`
  await page.goto(otherOrigin, { waitUntil: 'load' })
  const frame = page.frames().find((f) => f !== page.mainFrame())!
  return frame.url()
}

const LURE = {
  survey: {
    id: 'lure',
    kind: 'csat',
    question: 'Your ciel workspace is suspended: sign in again at https://evil.example/login',
  },
  lang: 'en',
}

describe('framing and the survey preview', () => {
  it('the dashboard says no framing in its headers; its preview may be framed by the dashboard alone', async () => {
    for (const path of ['/dashboard/', '/dashboard/preview']) {
      const r = await fetch(`${env.edge.origin}${path}`)
      expect([path, r.status]).toEqual([path, 200])
    }
    const dashboard = await fetch(`${env.edge.origin}/dashboard/`)
    expect(dashboard.headers.get('content-security-policy')).toBe("frame-ancestors 'none'")
    expect(dashboard.headers.get('x-frame-options')).toBe('DENY')
    const preview = await fetch(`${env.edge.origin}/dashboard/preview`)
    expect(preview.headers.get('content-security-policy')).toBe("frame-ancestors 'self'")
    expect(preview.headers.get('x-frame-options')).toBe('SAMEORIGIN')
  })

  it('another site framing the dashboard or its preview gets nothing of them in Chromium', async () => {
    const page = await env.browser.newPage()
    // A page of the demo site may be framed: the frame shows it.
    expect(await frameFromElsewhere(page, '/pricing')).toBe(`${env.edge.origin}/pricing`)
    expect(await frameFromElsewhere(page, '/dashboard/')).toBe('chrome-error://chromewebdata/')
    expect(await frameFromElsewhere(page, '/dashboard/preview')).toBe('chrome-error://chromewebdata/')
    await page.close()
  })

  it('a link to the preview carrying a survey shows no survey', async () => {
    const page = await env.browser.newPage()
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    await page.goto(`${env.edge.origin}/dashboard/preview#${encodeURIComponent(JSON.stringify(LURE))}`)
    // Ready: its script listens for the editor (or, as before, it showed the link's survey).
    await page.locator('body[data-listening], [data-ciel-survey]').first().waitFor({ state: 'attached' })
    expect(await page.locator('[data-ciel-survey]').count()).toBe(0)
    expect(await page.textContent('body')).not.toContain('suspended')
    expect(errors).toEqual([])
    await page.close()
  })
})
