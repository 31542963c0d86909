/** The page as events describe it. */
import { LIMITS } from './limits'

/** The page URL: no fragment unless the site routes by hash ("#/..." or "#!..."). */
export function pageUrl(): string {
  const { href, hash } = location
  return (/^#[/!]/.test(hash) ? href : href.split('#')[0]!).slice(0, LIMITS.urlLength)
}
