/** The page as events describe it. */
import { LIMITS } from './limits'

/** The page URL (now, or `href` read earlier): no fragment unless the site routes by hash ("#/..." or "#!..."). */
export function pageUrl(href = location.href): string {
  const [page, hash] = href.split('#')
  return (hash && /^[/!]/.test(hash) ? href : page!).slice(0, LIMITS.urlLength)
}
