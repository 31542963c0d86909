/**
 * @module dashboard: what the product team reads: where onboarding stalls, where visitors
 * rage-click, what surveys say, how fast pages are; and Settings, where a site owner runs ciel.
 * Reads the API with the admin token, which stays in this tab's sessionStorage; what is shown
 * (view, site, period, segment, the visitor open) lives in the URL (url.ts). Everything shown
 * is text (Preact escapes it); no inline styles.
 */
import { render } from 'preact'
import { useMemo, useState } from 'preact/hooks'
import { adminClient, ApiError, insightQuery, loadInsights } from './api'
import { period } from './format'
import { BehindDialog } from './behind'
import { CopyLink } from './copy-link'
import { SavedViews } from './saved-views'
import { InsightsView } from './insights'
import { invalidate, Token, useLoad } from './load'
import { type Locale, t } from './i18n'
import { LanguageSwitch, startLocale } from './language'
import { Login } from './login'
import { SegmentForm } from './segment-form'
import { NewSite, Settings } from './settings'
import { PERIODS, readView, SECTIONS, useView } from './url'
import { VisitorDialog } from './visitor'

const TOKEN = 'ciel-dashboard-token'

function App({ startLang }: { startLang: Locale }) {
  const [token, setToken] = useState(() => sessionStorage.getItem(TOKEN) ?? '')
  // The language shown: a change re-renders every view in it (they read t() as they render).
  const [lang, setLang] = useState(startLang)
  const languageSwitch = <LanguageSwitch value={lang} onChange={setLang} />
  /** Why the last token was refused. */
  const [refused, setRefused] = useState('')
  const [notice, setNotice] = useState('')
  const [view, go] = useView()
  const admin = useMemo(() => adminClient(token), [token])

  const signOut = (why = '') => {
    sessionStorage.removeItem(TOKEN)
    setToken('')
    setRefused(why)
  }
  const sites = useLoad(
    token
      ? (signal) =>
          admin.sites(signal).then(
            (r) => {
              sessionStorage.setItem(TOKEN, token)
              setRefused('')
              return r.sites
            },
            (e) => {
              if (e instanceof ApiError && e.status < 500) signOut(e.message)
              throw e
            },
          )
      : null,
    token,
  )
  const list = sites.data
  const site = view.site || list?.[0]?.key || ''
  const query = site ? insightQuery(site, view.days, view.segment) : null
  // What was loaded, for this site, period and segment only: never shown under another's name.
  const insights = useLoad(
    token && query ? (signal) => loadInsights(token, query, signal) : null,
    JSON.stringify([token, query]),
  )

  if (!token || !list)
    return <Login onToken={setToken} error={refused || sites.error} languageSwitch={languageSwitch} />
  const siteName = list.find((s) => s.key === site)?.name || site
  const shown = insights.data
  const referrers = shown?.sources.referrers.map((r) => r.source) ?? []
  // The site's named segments (the personalisation insight lists them with their sizes).
  const named = shown?.personalisation.segments.map((s) => s.id) ?? []
  const chooseSite = (key: string) =>
    go({ site: key, segment: {}, vs: null, from: '', goal: '', user: '', open: '', spot: '', who: '' })
  const created = (key: string) => {
    sites.reload()
    chooseSite(key)
  }
  const segment = view.segment
  return (
    <Token.Provider value={token}>
      <header>
        <h1>ciel</h1>
        <label>
          {t('site')}{' '}
          <select value={site} onChange={(e) => chooseSite(e.currentTarget.value)}>
            {list.map((s) => (
              <option value={s.key} key={s.key} dir="auto">
                {s.name || s.key}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('period')}{' '}
          <select value={view.days} onChange={(e) => go({ days: Number(e.currentTarget.value) })}>
            {PERIODS.map((d) => (
              <option value={d} key={d}>
                {period(d)}
              </option>
            ))}
          </select>
        </label>
        <nav aria-label={t('views')}>
          {SECTIONS.map((v) => (
            <button type="button" key={v} aria-pressed={view.view === v} onClick={() => go({ view: v })}>
              {t(v)}
            </button>
          ))}
        </nav>
        {site && <CopyLink key={location.search} view={view} site={site} />}
        {site && <SavedViews key={site} view={view} site={site} go={go} />}
        {languageSwitch}
        <button type="button" onClick={() => signOut()}>
          {t('signOut')}
        </button>
      </header>
      <main aria-busy={insights.loading}>
        {site && (
          <SegmentForm
            key={site}
            legend={t('segment')}
            idPrefix="segment"
            value={segment}
            referrers={referrers}
            active={!!(segment.device || segment.visitor || segment.referrer || segment.segment)}
            named={named}
            onApply={(s) => go({ segment: s })}
            onClear={() => go({ segment: {} })}
            clearLabel={t('everyone')}
          />
        )}
        <p role="status" class="status">
          {insights.loading ? t('loading') : notice}
        </p>
        {insights.error && (
          <div role="alert" class="failed">
            <p class="error">{t('couldNotLoad', { site: siteName, error: insights.error })}</p>
            <button type="button" onClick={insights.reload}>
              {t('tryAgain')}
            </button>
          </div>
        )}
        {list.length === 0 && <NewSite created={created} />}
        {view.view === 'settings' && site && <Settings key={site} siteKey={site} onCreated={created} />}
        {view.view === 'insights' && shown && (
          <InsightsView insights={shown} site={site} view={view} go={go} referrers={referrers} />
        )}
        {view.view === 'insights' && view.who && site && (
          <BehindDialog
            key={JSON.stringify([site, view.days, view.segment, view.who])}
            site={site}
            days={view.days}
            segment={view.segment}
            who={view.who}
            onOpen={(id) => go({ open: id })}
            // Closed by the reader (not by going back, which has closed it already).
            onClose={() => readView(location.search).who && go({ who: '' })}
          />
        )}
        {view.open && site && (
          <VisitorDialog
            key={view.open}
            site={site}
            id={view.open}
            // Closed by the reader (not by going back, which has closed it already).
            onClose={() => readView(location.search).open && go({ open: '' })}
            onErased={(message) => {
              go({ open: '' }, 'replace')
              setNotice(message)
              invalidate()
            }}
          />
        )}
      </main>
    </Token.Provider>
  )
}

// Nothing is drawn before the reader's language is here (its chunk, if not English; a few KB), so
// no English flashes by before it.
void startLocale().then((l) => render(<App startLang={l} />, document.getElementById('app')!))
