/**
 * Settings: a site owner runs ciel from here. The site (name, origins, consent, capture,
 * retention), the tag to paste with a live "last event received", the config's funnels and
 * segments (forms: funnel-form.tsx, segment-rules.tsx with a live count; or as JSON), slots
 * (slot-form.tsx; or as JSON) and experiments (experiment-form.tsx: created, started and stopped here), surveys
 * (survey-editor.tsx, a lazy chunk, with its live preview; and as JSON, every field), the
 * alerts webhook with a test, versions with restore, API keys, and new sites. Parts edited as
 * JSON (config-json.tsx) are checked by the worker's own schema, its message shown next to the
 * field. Every save is one PATCH: nothing is saved half.
 */
import { useEffect, useState } from 'preact/hooks'
import type { ConsentMode } from '../../snippet/contract/wire'
import { insight, messageOf, type InsightAnswers, type Site, type SitePatch, type Version } from './api'
import { atFieldMessage, ownerMessage } from './problem'
import { invalidate, useAdmin, useInsight, useLoad, useToken } from './load'
import type { SurveyStats, SurveysProps } from './survey-editor'
import { Table } from './table'
import { comma, formatLocale, type Key, t } from './i18n'
import { tx } from './i18n/nodes'
import { ConfigPart, JsonOrForm, type Save } from './config-json'
import { FunnelForm } from './funnel-form'
import { SegmentRules } from './segment-rules'
import { SlotForm } from './slot-form'
import { Experiments } from './experiment-form'

function ago(at: number): string {
  const s = Math.max(0, Math.round((Date.now() - at) / 1000))
  return s < 60
    ? t('secondsAgo', { n: s })
    : s < 3600
      ? t('minutesAgo', { n: Math.round(s / 60) })
      : new Date(at).toLocaleString(formatLocale())
}

/** Polls the site's overview: turns green once the tag sends. */
function Install({ siteKey }: { siteKey: string }) {
  const token = useToken()
  const [last, setLast] = useState<number | null | undefined>(undefined)
  const [copied, setCopied] = useState(false)
  const tag = `<script>window.ciel=window.ciel||function(){(ciel.q=ciel.q||[]).push(arguments)}</script>\n<script async src="${location.origin}/s.js" data-site="${siteKey}"></script>`
  useEffect(() => {
    let stop = false
    let seen: number | null | undefined
    const look = () =>
      insight(token, 'overview', { site: siteKey, days: '1' })
        .then((o) => {
          if (stop) return
          // The first event of a site waiting for one: what Insights loaded before it is out of date.
          if (seen === null && o.lastReceived !== null) invalidate()
          seen = o.lastReceived
          setLast(o.lastReceived)
        })
        .catch(() => {})
        .finally(() => !stop && setTimeout(look, 3000))
    look()
    return () => void (stop = true)
  }, [token, siteKey])
  return (
    <fieldset>
      <legend>{t('install')}</legend>
      <p class="note">{tx('pasteTag', { head: <code>&lt;head&gt;</code> })}</p>
      <pre data-tag>{tag}</pre>
      <button
        type="button"
        onClick={() =>
          navigator.clipboard.writeText(tag).then(
            () => setCopied(true),
            () => setCopied(false),
          )
        }
      >
        {t('copyTag')}
      </button>{' '}
      <span role="status">{copied ? t('copied') : ''}</span>
      <p role="status" class={last ? 'ok' : 'note'} data-last-event>
        {last === undefined ? t('checking') : last === null ? t('waitingFirst') : t('lastReceived', { ago: ago(last) })}
      </p>
    </fieldset>
  )
}

const CONSENT: [ConsentMode, Key][] = [
  ['opt-out', 'consentOptOut'],
  ['opt-in', 'consentOptIn'],
  ['cookieless', 'consentCookieless'],
]

/** The site's own fields. */
function SiteForm({ s, save }: { s: Site; save: Save }) {
  const [name, setName] = useState(s.name)
  const [origins, setOrigins] = useState(s.origins.join('\n'))
  const [consent, setConsent] = useState<ConsentMode>(s.config.consent ?? 'opt-out')
  const [clicks, setClicks] = useState(s.config.capture?.clicks !== false)
  const [vitals, setVitals] = useState(s.config.capture?.vitals !== false)
  const [retention, setRetention] = useState(String(s.settings.retentionDays))
  const [perDay, setPerDay] = useState(String(s.settings.eventsPerDay))
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault()
        void save({
          name,
          origins: origins
            .split('\n')
            .map((o) => o.trim())
            .filter(Boolean),
          config: { consent, capture: { clicks, vitals } },
          settings: { retentionDays: Number(retention), eventsPerDay: Number(perDay) },
        })
      }}
    >
      <fieldset>
        <legend>{t('site')}</legend>
        <label>
          {t('name')} <input value={name} onInput={(e) => setName(e.currentTarget.value)} required />
        </label>
        <label>
          {t('allowedOrigins')}
          <textarea rows={3} value={origins} onInput={(e) => setOrigins(e.currentTarget.value)} />
        </label>
        <label>
          {t('consent')}{' '}
          <select
            value={consent}
            onChange={(e) => setConsent(CONSENT.find(([m]) => m === e.currentTarget.value)?.[0] ?? 'opt-out')}
          >
            {CONSENT.map(([m, words]) => (
              <option value={m} key={m}>
                {t(words)}
              </option>
            ))}
          </select>
        </label>
        <label>
          <input type="checkbox" checked={clicks} onChange={(e) => setClicks(e.currentTarget.checked)} />{' '}
          {t('recordClicks')}
        </label>
        <label>
          <input type="checkbox" checked={vitals} onChange={(e) => setVitals(e.currentTarget.checked)} />{' '}
          {t('recordVitals')}
        </label>
        <label>
          {t('keepRawDays')}{' '}
          <input
            type="number"
            min={1}
            max={3650}
            value={retention}
            onInput={(e) => setRetention(e.currentTarget.value)}
          />
        </label>
        <label>
          {t('eventsPerDay')}{' '}
          <input type="number" min={1} value={perDay} onInput={(e) => setPerDay(e.currentTarget.value)} />
        </label>
        <button type="submit">{t('saveSite')}</button>
      </fieldset>
    </form>
  )
}

/** Live count of a segment rule's visitors: of the last 30 days' visitors, as the insights count them. */
function SegmentCounts({ siteKey, segments }: { siteKey: string; segments: unknown }) {
  const admin = useAdmin()
  const [counts, setCounts] = useState<Record<string, string>>({})
  const list = Array.isArray(segments) ? (segments as { id?: string; rule?: unknown }[]) : []
  const key = JSON.stringify(list)
  useEffect(() => {
    const timer = setTimeout(() => {
      for (const s of list)
        if (s?.id)
          admin.countSegment(siteKey, s.rule).then(
            (r) =>
              setCounts((c) => ({
                ...c,
                [s.id!]: ((count) => (r.capped ? t('segmentCapped', { count }) : count))(
                  t('segmentCount', { visitors: r.visitors, counted: r.counted, days: r.days, n: r.counted }),
                ),
              })),
            (e) => setCounts((c) => ({ ...c, [s.id!]: messageOf(e) })),
          )
    }, 400)
    return () => clearTimeout(timer)
  }, [key])
  if (!list.length) return null
  return (
    <ul aria-label={t('segmentsLive')} aria-live="polite">
      {list.map((s) => (
        <li key={s.id}>
          <code>{s.id}</code>: {counts[s.id ?? ''] ?? '…'}
        </li>
      ))}
    </ul>
  )
}

function Versions({ siteKey, restored }: { siteKey: string; restored: (site: Site, version: number) => void }) {
  const admin = useAdmin()
  const versions = useLoad((signal) => admin.versions(siteKey, signal), `versions:${siteKey}`)
  const [message, setMessage] = useState('')
  return (
    <fieldset>
      <legend>{t('versions')}</legend>
      <p role="status">{message || versions.error}</p>
      <Table<Version>
        caption={t('savedVersions')}
        csv="site-versions"
        rows={versions.data?.versions ?? []}
        rowKey={(v) => v.version}
        columns={[
          { head: t('colVersion'), cell: (v) => v.version },
          { head: t('colSaved'), cell: (v) => new Date(v.at).toLocaleString(formatLocale()) },
          { head: t('colBy'), cell: (v) => <bdi>{v.by}</bdi> },
          {
            head: <span class="sr-only">{t('restore')}</span>,
            cell: (v, i) =>
              i > 0 && (
                <button
                  type="button"
                  onClick={() =>
                    admin.restore(siteKey, v.version).then(
                      (site) => restored(site, v.version),
                      (e) => setMessage(messageOf(e)),
                    )
                  }
                >
                  {t('restoreN', { n: v.version })}
                </button>
              ),
          },
        ]}
      />
    </fieldset>
  )
}

const SCOPES = ['read', 'manage', 'erase'] as const
type Scope = (typeof SCOPES)[number]
const SCOPE_WORDS: Record<Scope, Key> = { read: 'scopeRead', manage: 'scopeManage', erase: 'scopeErase' }
/** A key's scope in words (one the dashboard does not know by its own name). */
const scopeName = (s: string) => (s in SCOPE_WORDS ? t(SCOPE_WORDS[s as Scope]) : s)

function Keys({ siteKey }: { siteKey: string }) {
  const admin = useAdmin()
  const keys = useLoad((signal) => admin.keys(siteKey, signal), `keys:${siteKey}`)
  const [name, setName] = useState('')
  const [scopes, setScopes] = useState<Scope[]>(['read'])
  const [message, setMessage] = useState('')
  const toggle = (s: Scope, on: boolean) => setScopes((l) => (on ? [...l, s] : l.filter((x) => x !== s)))
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault()
        admin.createKey(siteKey, { name, scopes }).then(
          (k) => (setMessage(t('keyCreated', { token: k.token })), keys.reload()),
          (err) => setMessage(messageOf(err)),
        )
      }}
    >
      <fieldset>
        <legend>{t('apiKeys')}</legend>
        <ul>
          {keys.data?.keys.map((k) => (
            <li key={k.id}>
              <bdi>{k.name}</bdi> ({k.scopes.map(scopeName).join(comma())}) {k.revokedAt ? `· ${t('revoked')}` : ''}
              {!k.revokedAt && (
                <button
                  type="button"
                  onClick={() =>
                    admin.revokeKey(siteKey, k.id).then(
                      () => (setMessage(t('keyRevoked', { name: k.name })), keys.reload()),
                      (e) => setMessage(messageOf(e)),
                    )
                  }
                >
                  {tx('revokeKey', { name: <bdi>{k.name}</bdi> })}
                </button>
              )}
            </li>
          ))}
        </ul>
        <label>
          {t('newKeyName')} <input value={name} onInput={(e) => setName(e.currentTarget.value)} required />
        </label>
        {SCOPES.map((s) => (
          <label key={s}>
            <input type="checkbox" checked={scopes.includes(s)} onChange={(e) => toggle(s, e.currentTarget.checked)} />{' '}
            {scopeName(s)}
          </label>
        ))}
        <button type="submit">{t('createKey')}</button>
        <p role="status">{message || keys.error}</p>
      </fieldset>
    </form>
  )
}

/** The survey editor, a lazy chunk: loaded when Settings opens, never for the insights. */
let editor: Promise<typeof import('./survey-editor')> | undefined
/** The chunk once loaded: Settings drawn anew after a save shows the list at once, not "Loading…". */
let loadedEditor: typeof import('./survey-editor') | null = null
function Surveys(p: SurveysProps) {
  const [m, setM] = useState(loadedEditor)
  const [failed, setFailed] = useState('')
  useEffect(() => {
    ;(editor ??= import('./survey-editor')).then(
      (x) => setM((loadedEditor = x)),
      (e) => setFailed(t('editorFailed', { error: messageOf(e) })),
    )
  }, [])
  return m ? <m.SurveysPart {...p} /> : <p role="status">{failed || t('editorLoading')}</p>
}

/** Each survey's responses and NPS (nothing if they did not load: the list shows without). */
function statsOf(answers: InsightAnswers['surveys'] | null): SurveyStats {
  const stats: SurveyStats = {}
  for (const x of answers?.surveys ?? [])
    stats[x.id] = { answered: x.answered, nps: x.kind === 'nps' ? x.headline : null }
  return stats
}

/** Where negative answers are sent, and a test of it: a made-up alert through the real queue, and what came of it. */
function Webhook({ siteKey, s, save }: { siteKey: string; s: Site; save: Save }) {
  const admin = useAdmin()
  const [url, setUrl] = useState(s.settings.alerts?.url ?? '')
  const [format, setFormat] = useState<'json' | 'slack'>(s.settings.alerts?.format ?? 'json')
  const [bad, setBad] = useState('')
  const [result, setResult] = useState('')
  const saved = s.settings.alerts?.url
  const test = async () => {
    setResult(t('sendingTest'))
    try {
      const { id } = await admin.testAlert(siteKey)
      // The queue's consumer delivers it (retrying a failure later): wait for its first try.
      for (let i = 0; i < 60; i++) {
        const { alerts } = await admin.alerts(siteKey, { days: '1', limit: '50' })
        const a = alerts.find((x) => x.id === id)
        if (a && a.status !== 'pending') {
          // The worker logs its errors in English; the dashboard says the ones it knows.
          const what = a.lastStatus
            ? `HTTP ${a.lastStatus}`
            : a.lastProblem === 'refused'
              ? t('deliveryRefused')
              : a.lastProblem === 'noWebhook'
                ? t('deliveryNoWebhook')
                : a.lastProblem === 'other'
                  ? a.lastError!
                  : t('noAnswer')
          return setResult(
            a.status === 'delivered'
              ? t('delivered', { what })
              : a.status === 'retrying' && a.nextAt !== null
                ? t('notDeliveredRetry', { what, at: new Date(a.nextAt).toLocaleTimeString(formatLocale()) })
                : t('notDelivered', { what }),
          )
        }
        await new Promise((r) => setTimeout(r, 1000))
      }
      setResult(t('noAttemptYet'))
    } catch (e) {
      setResult(t('notSent', { error: messageOf(e) }))
    }
  }
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault()
        setBad('')
        save({ settings: { alerts: url.trim() ? { url: url.trim(), format } : null } }).catch((err) =>
          setBad(atFieldMessage(err)),
        )
      }}
    >
      <fieldset>
        <legend>{t('alertsWebhook')}</legend>
        <label>
          {t('webhookTo')}{' '}
          <input
            type="url"
            value={url}
            placeholder="https://hooks.example.com/ciel"
            aria-invalid={!!bad}
            aria-describedby="webhook-error"
            onInput={(e) => setUrl(e.currentTarget.value)}
          />
        </label>
        <label>
          {t('format')}{' '}
          <select value={format} onChange={(e) => setFormat(e.currentTarget.value === 'slack' ? 'slack' : 'json')}>
            <option value="json">JSON</option>
            <option value="slack">{t('slackWebhook')}</option>
          </select>
        </label>
        <p id="webhook-error" role="alert" class="error">
          {bad}
        </p>
        <button type="submit">{t('saveWebhook')}</button>{' '}
        <button type="button" disabled={!saved} onClick={test}>
          {t('sendTest')}
        </button>
        <p role="status" data-webhook-result>
          {saved ? result : t('saveWebhookFirst')}
        </p>
      </fieldset>
    </form>
  )
}

/** A new site: its name and where its pages are; answers the tag to paste (shown by Install once it is chosen). */
export function NewSite({ created }: { created: (key: string) => void }) {
  const admin = useAdmin()
  const [name, setName] = useState('')
  const [origins, setOrigins] = useState('')
  const [bad, setBad] = useState('')
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault()
        setBad('')
        const list = origins
          .split('\n')
          .map((o) => o.trim())
          .filter(Boolean)
        admin.create({ name, origins: list }).then(
          (r) => created(r.key),
          (err) => setBad(messageOf(err)),
        )
      }}
    >
      <fieldset>
        <legend>{t('addSite')}</legend>
        <label>
          {t('name')} <input value={name} onInput={(e) => setName(e.currentTarget.value)} required />
        </label>
        <label>
          {tx('originsOfPages', { example: <code>https://www.example.com</code> })}
          <textarea
            rows={2}
            value={origins}
            aria-invalid={!!bad}
            aria-describedby="new-site-error"
            onInput={(e) => setOrigins(e.currentTarget.value)}
          />
        </label>
        <p id="new-site-error" role="alert" class="error">
          {bad}
        </p>
        <button type="submit">{t('createSite')}</button>
      </fieldset>
    </form>
  )
}

export function Settings({ siteKey, onCreated }: { siteKey: string; onCreated: (key: string) => void }) {
  const admin = useAdmin()
  const site = useLoad((signal) => admin.site(siteKey, signal), `site:${siteKey}`)
  const s = site.data
  // Each survey's responses and NPS, the last 30 days: loaded here, outside the part drawn anew
  // after each save, so that they stay shown while they reload.
  const answers = useInsight('surveys', { site: siteKey, days: '30' })
  const [message, setMessage] = useState('')
  /** The site as saved: shown at once, and everything that reads it loads again. */
  const saved = (next: Site, words: string) => {
    site.set(next)
    setMessage(words)
    invalidate()
  }
  /** One PATCH; the worker refuses it whole or saves it whole. */
  const save = async (patch: SitePatch) => {
    try {
      const next = await admin.save(siteKey, patch)
      saved(next, t('savedVersion', { n: next.version }))
    } catch (e) {
      setMessage(t('notSaved', { error: ownerMessage(e, s) }))
      throw e
    }
  }
  const quiet = (patch: SitePatch) => save(patch).catch(() => {})
  if (!s) return <p role="status">{site.error || message || t('loading')}</p>
  return (
    <section aria-labelledby="settings" key={`${siteKey}-${s.version}`}>
      <h2 id="settings">{tx('settingsOf', { name: <bdi>{s.name}</bdi> })}</h2>
      <p role="status" class="status">
        {message}
      </p>
      <Install siteKey={siteKey} />
      <SiteForm s={s} save={quiet} />
      <JsonOrForm
        field="funnels"
        value={s.config.funnels}
        save={save}
        edit={t('editFunnelsJson')}
        form={(saveList) => <FunnelForm funnels={s.config.funnels ?? []} save={saveList} />}
        json={{
          label: t('funnelsPart'),
          saveLabel: t('saveFunnels'),
          hint: tx('hintFunnels', {
            example: (
              <code>{'[{"id": "onboarding", "steps": [{"id": "account", "maxSeconds": 120}, {"id": "done"}]}]'}</code>
            ),
          }),
        }}
      />
      <JsonOrForm
        field="segments"
        value={s.config.segments}
        save={save}
        edit={t('editSegmentsJson')}
        form={(saveList) => (
          <SegmentRules
            siteKey={siteKey}
            segments={s.config.segments ?? []}
            funnels={(s.config.funnels ?? []).map((f) => f.id)}
            save={saveList}
          />
        )}
        json={{
          label: t('segmentsPart'),
          saveLabel: t('saveSegments'),
          hint: tx('hintSegments', {
            example: <code>{'[{"id": "returning", "rule": {"field": "sessions", "op": "gte", "value": 2}}]'}</code>,
            doc: <code>docs/personalisation.md</code>,
          }),
          extra: (parsed) => <SegmentCounts siteKey={siteKey} segments={parsed} />,
        }}
      />
      <JsonOrForm
        field="slots"
        value={s.config.slots}
        save={save}
        edit={t('editSlotsJson')}
        form={(saveList) => (
          <SlotForm
            slots={s.config.slots ?? []}
            segments={(s.config.segments ?? []).map((x) => x.id)}
            save={saveList}
          />
        )}
        json={{
          label: t('slotsPart'),
          saveLabel: t('saveSlotsJson'),
          hint: tx('hintSlots', {
            rules: <code>{'[{"when": "returning", "variant": "welcome"}]'}</code>,
            experiment: <code>{'{"id", "variants", "goal", "holdout", "allocation", "on"}'}</code>,
            off: <code>"on": false</code>,
          }),
        }}
      />
      <Experiments s={s} save={save} />
      <Surveys
        surveys={s.config.surveys ?? []}
        language={s.config.language ?? 'en'}
        segments={(s.config.segments ?? []).map((x) => x.id)}
        stats={statsOf(answers.data)}
        save={(surveys) => save({ config: { surveys: surveys.length ? surveys : null } })}
      />
      <Webhook siteKey={siteKey} s={s} save={save} />
      <ConfigPart
        label={t('surveysJson')}
        field="surveys"
        value={s.config.surveys}
        save={save}
        saveLabel={t('saveSurveysJson')}
        hint={tx('hintSurveys', {
          negative: <code>negative</code>,
          example: (
            <code>
              {
                '[{"id": "nps", "kind": "nps", "question": "How likely are you to recommend us?", "trigger": {"event": "stall", "name": "onboarding"}}]'
              }
            </code>
          ),
        })}
      />
      <Versions siteKey={siteKey} restored={(next, v) => saved(next, t('versionRestored', { n: v }))} />
      <Keys siteKey={siteKey} />
      <NewSite created={onCreated} />
    </section>
  )
}
