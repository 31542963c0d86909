/**
 * @module dashboard/saved-views: the views a team named, per site (`/v1/admin/sites/:key/views`):
 * **Save view** asks a name and saves what is shown (the URL's state, url.ts, without the site,
 * the visitor open and the user searched for: a view keeps no visitor); **Saved views** lists
 * them, each a link to open (in this tab, or another) and a button to delete. Both are
 * disclosures (`<details>`): keyboard and screen readers know them; Escape closes one.
 */
import { useEffect, useRef, useState } from 'preact/hooks'
import type { NewView, SavedView } from './api'
import { t } from './i18n'
import { useAdmin, useLoad } from './load'
import { readView, viewSearch, type Go, type View } from './url'

/** What a saved view keeps of a view. */
export const stateOf = (v: View): NewView['state'] => ({
  view: v.view,
  days: v.days,
  segment: v.segment as NewView['state']['segment'],
  vs: v.vs as NewView['state']['vs'],
  from: v.from,
  goal: v.goal,
  spot: v.spot,
  who: v.who,
  steps: v.steps,
  window: v.window,
  breakdown: v.breakdown,
  retention: v.retention,
})

/** The view a saved one opens on `site`: what it does not keep is the default (a visitor open is closed). */
export const viewOf = (state: SavedView['state'], site: string): View => ({ ...readView(''), ...state, site })

/** The team's own text, kept apart from the sentence around it (it may run the other way). */
const isolated = (name: string) => `\u2068${name}\u2069`

/** One panel open at a time: opening one closes the other. */
const alone = (e: Event) => {
  const details = e.currentTarget as HTMLDetailsElement
  if (!details.open) return
  for (const other of details.parentElement!.querySelectorAll('details')) if (other !== details) other.open = false
}

/** Closes a disclosure on Escape and gives the focus back to its summary. */
const escape = (e: KeyboardEvent) => {
  const details = e.currentTarget as HTMLDetailsElement
  if (e.key !== 'Escape' || !details.open) return
  e.stopPropagation()
  details.open = false
  details.querySelector('summary')?.focus()
}

export function SavedViews({ view, site, go }: { view: View; site: string; go: Go }) {
  const admin = useAdmin()
  const list = useLoad((signal) => admin.views(site, signal), site)
  const [name, setName] = useState('')
  const [problem, setProblem] = useState('')
  const [said, setSaid] = useState('')
  const [busy, setBusy] = useState(false)
  const saving = useRef<HTMLDetailsElement>(null)
  const listed = useRef<HTMLDetailsElement>(null)
  const search = viewSearch(view)
  // What was said was about the view before.
  useEffect(() => setSaid(''), [search])

  const save = async (e: Event) => {
    e.preventDefault()
    setBusy(true)
    setProblem('')
    try {
      const saved = await admin.saveView(site, { name, state: stateOf(view) })
      setName('')
      saving.current!.open = false
      saving.current!.querySelector('summary')?.focus()
      setSaid(t('viewSaved', { name: isolated(saved.name) }))
      list.reload()
    } catch (err) {
      setProblem((err as Error).message)
    } finally {
      setBusy(false)
    }
  }
  const remove = async (v: SavedView) => {
    setProblem('')
    try {
      await admin.deleteView(site, v.id)
      setSaid(t('viewDeleted', { name: isolated(v.name) }))
      list.reload()
      // The focus was on the button removed: keep it in the list.
      listed.current?.querySelector('summary')?.focus()
    } catch (err) {
      setSaid((err as Error).message)
    }
  }
  const views = list.data?.views ?? []
  return (
    <span class="saved-views">
      <details
        ref={saving}
        onKeyDown={escape}
        onToggle={(e) => {
          alone(e)
          // Opened: the name is what is asked.
          if (saving.current!.open) saving.current!.querySelector('input')?.focus()
        }}
      >
        <summary>{t('saveView')}</summary>
        <form class="panel" onSubmit={save}>
          <label>
            {t('viewName')}{' '}
            <input
              value={name}
              onInput={(e) => setName(e.currentTarget.value)}
              required
              maxLength={80}
              dir="auto"
              aria-invalid={problem ? true : undefined}
              aria-describedby={problem ? 'save-view-problem' : undefined}
            />
          </label>{' '}
          <button type="submit" disabled={busy}>
            {t('save')}
          </button>
          {problem && (
            <p id="save-view-problem" role="alert" class="error">
              {problem}
            </p>
          )}
        </form>
      </details>
      <details ref={listed} onKeyDown={escape} onToggle={alone}>
        <summary>{t('savedViews')}</summary>
        <div class="panel">
          {list.error && (
            <p role="alert" class="error">
              {list.error}
            </p>
          )}
          {list.data && views.length === 0 && <p class="note">{t('noSavedViews')}</p>}
          {views.length > 0 && (
            <ul aria-label={t('savedViews')}>
              {views.map((v) => {
                const opened = viewOf(v.state, site)
                return (
                  <li key={v.id}>
                    <a
                      href={location.pathname + viewSearch(opened)}
                      dir="auto"
                      onClick={(e) => {
                        // A plain click opens it here (a new history entry); with a modifier, where the browser puts it.
                        if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return
                        e.preventDefault()
                        listed.current!.open = false
                        go(opened)
                      }}
                    >
                      {v.name}
                    </a>{' '}
                    <button
                      type="button"
                      class="link"
                      aria-label={t('deleteView', { name: isolated(v.name) })}
                      title={t('deleteView', { name: isolated(v.name) })}
                      onClick={() => remove(v)}
                    >
                      ×
                    </button>
                  </li>
                )
              })}
            </ul>
          )}
        </div>
      </details>{' '}
      <span role="status">{said}</span>
    </span>
  )
}
