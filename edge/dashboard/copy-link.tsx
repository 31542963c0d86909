/**
 * @module dashboard/copy-link: the link to what is shown, for a colleague with access: the same
 * site (named even when it is the first of the list, which theirs may not be), period, segment,
 * comparison, journey and visitor (url.ts). The token is never in it: they sign in with their own.
 */
import { useState } from 'preact/hooks'
import { t } from './i18n'
import { type View, viewSearch } from './url'

export function CopyLink({ view, site }: { view: View; site: string }) {
  const [said, setSaid] = useState('')
  const link = `${location.origin}${location.pathname}${viewSearch({ ...view, site })}`
  return (
    <span class="copy-link">
      <button
        type="button"
        onClick={() =>
          navigator.clipboard.writeText(link).then(
            () => setSaid(t('linkCopied')),
            // Refused (an insecure origin, a denied permission): the link to copy by hand.
            () => setSaid(t('copyThisLink', { link })),
          )
        }
      >
        {t('copyLink')}
      </button>{' '}
      <span role="status">{said}</span>
    </span>
  )
}
