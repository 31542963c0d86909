/** The page as events describe it. */
import { LIMITS } from './limits'

/**
 * The page URL (now, or `href` read earlier; `document.URL`, the same string as `location.href`
 * at a fraction of its cost in a click handler): no fragment unless the site routes by hash ("#/..." or "#!..."). */
export function pageUrl(href = document.URL): string {
  const [page, hash] = href.split('#')
  return (hash && /^[/!]/.test(hash) ? href : page!).slice(0, LIMITS.urlLength)
}
