/** The page as events describe it. */
import { LIMITS } from '../contract/limits'

/**
 * The page URL (now, or `href` read earlier): no fragment unless the site routes by hash
 * ("#/..." or "#!..."). `document.URL` is the same string as `location.href`, cheaper to read.
 */
export function pageUrl(href = document.URL): string {
  const [page, hash] = href.split('#')
  return (hash && /^[/!]/.test(hash) ? href : page!).slice(0, LIMITS.urlLength)
}
