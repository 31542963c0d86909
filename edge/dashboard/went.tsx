/**
 * @module dashboard/went: where a visitor went after a funnel step they stopped at, in words:
 * the worker's label (`page:/pricing`, `click:button “Upgrade”`, edge/domain/went.ts) as
 * "Viewed /pricing", "Clicked button “Upgrade”"; a custom event by the team's own name; the
 * site's text (pages, elements, names) isolated in its own direction.
 */
import { t } from './i18n'
import { tx } from './i18n/nodes'

/**
 * The site's own text (a page, an element, a name), isolated in its own direction; it wraps only
 * between its words, never at a hyphen or a slash inside one (`button#upgrade-to-professional`).
 */
const Own = ({ text }: { text: string }) => (
  <bdi>{text.split(/(\s+)/).map((w, i) => (i % 2 || !w ? w : <span class="nowrap">{w}</span>))}</bdi>
)

/** `label`: as the worker names it; null: nothing followed. */
export function Went({ label }: { label: string | null }) {
  if (label === null) return <>{t('thenNothing')}</>
  const colon = label.indexOf(':')
  const kind = label.slice(0, colon)
  const what = label.slice(colon + 1)
  const own = <Own text={what} />
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
        <>
          {tx('went:step', {
            step: <Own text={what.slice(slash + 1)} />,
            funnel: <Own text={what.slice(0, slash)} />,
          })}
        </>
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
