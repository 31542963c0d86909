/**
 * @module bots: recognises obvious automation so it can be marked, never silently dropped.
 * Pure. Real visitors with odd agents stay visitors; the dashboard filters on the flag.
 */
const AGENTS =
  /bot\b|crawl|spider|slurp|headlesschrome|phantomjs|puppeteer|playwright|selenium|lighthouse|curl\/|wget|python-requests|httpclient|go-http-client|node-fetch|axios\//i

/** True for a known crawler or headless browser user agent, or a snippet that saw `navigator.webdriver`. */
export function isBot(userAgent: string | undefined, webdriver?: boolean): boolean {
  return webdriver === true || !userAgent || AGENTS.test(userAgent)
}
