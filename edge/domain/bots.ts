/**
 * @module bots: recognises obvious automation so it can be marked, never silently dropped.
 * Pure. Real visitors with odd agents stay visitors; the dashboard filters on the flag.
 */
import { FLAG } from './flags'
import { deviceClass } from '../../snippet/contract/device'

const AGENTS =
  /bot\b|crawl|spider|slurp|headlesschrome|phantomjs|puppeteer|playwright|selenium|lighthouse|curl\/|wget|python-requests|httpclient|go-http-client|node-fetch|axios\//i

/** True for a known crawler or headless browser user agent, or a snippet that saw `navigator.webdriver`. */
export function isBot(userAgent: string | undefined, webdriver?: boolean): boolean {
  return webdriver === true || !userAgent || AGENTS.test(userAgent)
}

/** The device bits of an event's flags (FLAG.mobile, FLAG.tablet; none: desktop), from the user agent. */
export function deviceFlags(userAgent: string | undefined): number {
  if (!userAgent) return 0
  const d = deviceClass(userAgent)
  return d === 'tablet' ? FLAG.tablet : d === 'mobile' ? FLAG.mobile : 0
}
