/**
 * @module dashboard/went: where a visitor went after a funnel step they stopped at, in words:
 * the worker's label (`page:/pricing`, `click:button “Upgrade”`, edge/domain/went.ts) as
 * "Viewed /pricing", "Clicked button “Upgrade”"; a custom event by the team's own name; the
 * site's text (pages, elements, names) isolated in its own direction.
 */
import { t } from './i18n'
import { tx } from './i18n/nodes'

/** `label`: as the worker names it; null: nothing followed. */
export function Went({ label }: { label: string | null }) {
  if (label === null) return <>{t('thenNothing')}</>
  const colon = label.indexOf(':')
  const kind = label.slice(0, colon)
  const what = label.slice(colon + 1)
  // The site's words wrap at their spaces, never at a hyphen inside one (`button#upgrade-to-pro`).
  const own = (
    <bdi>
      {what.split(' ').map((w, i) => (
        <>
          {i > 0 && ' '}
          <span class="nowrap">{w}</span>
        </>
      ))}
    </bdi>
  )
  switch (kind) {
    case 'track':
      return own
    case 'page':
      return <>{tx('went:page', { page: own })}</>
    case 'click':
      return <>{tx('went:click', { element: own })}</>
    case 'step': {
      // A funnel's id has no slash; a step's may.
      const slash = what.indexOf('/')
      return (
        <>{tx('went:step', { step: <bdi>{what.slice(slash + 1)}</bdi>, funnel: <bdi>{what.slice(0, slash)}</bdi> })}</>
      )
    }
    case 'form_abandon':
    case 'form_submit':
      return <>{what ? tx(`went:${kind}`, { form: own }) : t(`went:${kind}:any`)}</>
    case 'survey_answer':
    case 'survey_dismiss':
      return <>{tx(`went:${kind}`, { survey: own })}</>
  }
  // A kind this dashboard does not know yet: the worker's label as it came.
  return <code>{label}</code>
}
