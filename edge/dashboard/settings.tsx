/**
 * Settings: a site owner runs ciel from here. The site (name, origins, consent, capture,
 * retention), the tag to paste with a live "last event received", the config's funnels and
 * segments (forms: funnel-form.tsx, segment-rules.tsx with a live count; or as JSON), slots
 * (slot-form.tsx; or as JSON) and experiments (experiment-form.tsx: created, started and stopped here), surveys
 * (survey-editor.tsx, a lazy chunk, with its live preview; and as JSON, every field), the
 * alerts webhook with a test, versions with restore, API keys, and new sites. Parts edited as
 * JSON are checked by the worker's own schema, its message shown next to the field. Every
 * save is one PATCH: nothing is saved half.
 */
import type { ComponentChildren } from 'preact'
import { useEffect, useState } from 'preact/hooks'
import type { ConsentMode, SiteConfig } from '../../snippet/contract/wire'
import { insight, messageOf, type MergePatch, type Site, type SitePatch, type Version } from './api'
import { atFieldMessage, ownerMessage } from './problem'
import { invalidate, useAdmin, useInsight, useLoad, useToken } from './load'
import type { SurveyStats, SurveysProps } from './survey-editor'
import { Table } from './table'
import { formatLocale } from './i18n'
import { FunnelForm } from './funnel-form'
import { SegmentRules } from './segment-rules'
import { SlotForm } from './slot-form'
import { Experiments } from './experiment-form'

type Save = (patch: SitePatch) => Promise<void>

function ago(at: number): string {
  const s = Math.max(0, Math.round((Date.now() - at) / 1000))
  return s < 60
    ? `${s} s ago`
    : s < 3600
      ? `${Math.round(s / 60)} min ago`
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
      <legend>Install</legend>
      <p class="note">Paste these two lines into the &lt;head&gt; of every page:</p>
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
        Copy the tag
      </button>{' '}
      <span role="status">{copied ? 'Copied.' : ''}</span>
      <p role="status" class={last ? 'ok' : 'note'} data-last-event>
        {last === undefined
          ? 'Checking…'
          : last === null
            ? 'Waiting for the first event: open a page with the tag. A 403 in the page’s console means its origin is not in the list above.'
            : `Last event received ${ago(last)}.`}
      </p>
    </fieldset>
  )
}

const CONSENT: [ConsentMode, string][] = [
  ['opt-out', 'record unless the visitor says no'],
  ['opt-in', 'nothing until the visitor agrees'],
  ['cookieless', 'no storage on the device'],
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
        <legend>Site</legend>
        <label>
          Name <input value={name} onInput={(e) => setName(e.currentTarget.value)} required />
        </label>
        <label>
          Allowed origins, one per line (pages elsewhere get a 403)
          <textarea rows={3} value={origins} onInput={(e) => setOrigins(e.currentTarget.value)} />
        </label>
        <label>
          Consent{' '}
          <select
            value={consent}
            onChange={(e) => setConsent(CONSENT.find(([m]) => m === e.currentTarget.value)?.[0] ?? 'opt-out')}
          >
            {CONSENT.map(([m, words]) => (
              <option value={m} key={m}>
                {m}: {words}
              </option>
            ))}
          </select>
        </label>
        <label>
          <input type="checkbox" checked={clicks} onChange={(e) => setClicks(e.currentTarget.checked)} /> Record clicks
        </label>
        <label>
          <input type="checkbox" checked={vitals} onChange={(e) => setVitals(e.currentTarget.checked)} /> Record web
          vitals
        </label>
        <label>
          Keep raw events (days){' '}
          <input
            type="number"
            min={1}
            max={3650}
            value={retention}
            onInput={(e) => setRetention(e.currentTarget.value)}
          />
        </label>
        <label>
          Events stored a day at most{' '}
          <input type="number" min={1} value={perDay} onInput={(e) => setPerDay(e.currentTarget.value)} />
        </label>
        <button type="submit">Save the site</button>
      </fieldset>
    </form>
  )
}

/** The config's lists edited as JSON. */
type ListField = 'funnels' | 'segments' | 'slots' | 'surveys'

/**
 * A patch replacing one of the config's lists (null removes it) with what the owner typed: JSON
 * of no known type until the worker's schema, which refuses the whole save, has checked it.
 */
const withList = (field: ListField, list: unknown): SitePatch => ({
  config: { [field]: list } as MergePatch<SiteConfig>,
})

/** One part of the config, edited as JSON; the worker's schema says what is wrong. */
function ConfigPart({
  label,
  field,
  value,
  hint,
  save,
  extra,
}: {
  label: string
  field: ListField
  value: unknown
  hint: string
  save: Save
  extra?: (parsed: unknown) => ComponentChildren
}) {
  const [text, setText] = useState(JSON.stringify(value ?? [], null, 2))
  const [bad, setBad] = useState('')
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    parsed = undefined
  }
  const id = `cfg-${field}`
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault()
        if (parsed === undefined) return setBad('This is not valid JSON.')
        setBad('')
        // Arrays replace the whole list (merge patch); an empty list removes it.
        save(withList(field, Array.isArray(parsed) && !parsed.length ? null : parsed)).catch((err) =>
          setBad(messageOf(err)),
        )
      }}
    >
      <fieldset>
        <legend>{label}</legend>
        <label for={id}>{hint}</label>
        <textarea
          id={id}
          rows={8}
          spellcheck={false}
          value={text}
          aria-invalid={!!bad}
          aria-describedby={`${id}-error`}
          onInput={(e) => setText(e.currentTarget.value)}
        />
        <p id={`${id}-error`} role="alert" class="error">
          {bad}
        </p>
        {extra?.(parsed)}
        <button type="submit">Save {label.toLowerCase()}</button>
      </fieldset>
    </form>
  )
}

/** A part of the config as a form, or (an advanced toggle) as the JSON it saves. */
function OrJson({ what, form, json }: { what: string; form: ComponentChildren; json: ComponentChildren }) {
  const [raw, setRaw] = useState(false)
  return (
    <div class="or-json">
      <label class="inline">
        <input type="checkbox" checked={raw} onChange={(e) => setRaw(e.currentTarget.checked)} /> Edit {what} as JSON
      </label>
      {raw ? json : form}
    </div>
  )
}

/** Live count of a segment rule's visitors: of the last 30 days' visitors, as the insights count them. */
function SegmentCounts({ siteKey, segments }: { siteKey: string; segments: unknown }) {
  const admin = useAdmin()
  const [counts, setCounts] = useState<Record<string, string>>({})
  const list = Array.isArray(segments) ? (segments as { id?: string; rule?: unknown }[]) : []
  const key = JSON.stringify(list)
  useEffect(() => {
    const t = setTimeout(() => {
      for (const s of list)
        if (s?.id)
          admin.countSegment(siteKey, s.rule).then(
            (r) =>
              setCounts((c) => ({
                ...c,
                [s.id!]: `${r.visitors} of the ${r.counted} visitors of the last ${r.days} days${r.capped ? ' (judged among the most recently seen)' : ''}`,
              })),
            (e) => setCounts((c) => ({ ...c, [s.id!]: messageOf(e) })),
          )
    }, 400)
    return () => clearTimeout(t)
  }, [key])
  if (!list.length) return null
  return (
    <ul aria-label="Visitors in each segment (last 30 days)" aria-live="polite">
      {list.map((s) => (
        <li key={s.id}>
          {s.id}: {counts[s.id ?? ''] ?? '…'}
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
      <legend>Versions</legend>
      <p role="status">{message || versions.error}</p>
      <Table<Version>
        caption="Saved versions"
        csv="site-versions"
        rows={versions.data?.versions ?? []}
        rowKey={(v) => v.version}
        columns={[
          { head: 'Version', cell: (v) => v.version },
          { head: 'Saved', cell: (v) => new Date(v.at).toLocaleString(formatLocale()) },
          { head: 'By', cell: (v) => v.by },
          {
            head: <span class="sr-only">Restore</span>,
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
                  Restore {v.version}
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
          (k) => (setMessage(`Key created. Copy it now, it is shown this once: ${k.token}`), keys.reload()),
          (err) => setMessage(messageOf(err)),
        )
      }}
    >
      <fieldset>
        <legend>API keys</legend>
        <ul>
          {keys.data?.keys.map((k) => (
            <li key={k.id}>
              {k.name} ({k.scopes.join(', ')}) {k.revokedAt ? '· revoked' : ''}
              {!k.revokedAt && (
                <button
                  type="button"
                  onClick={() =>
                    admin.revokeKey(siteKey, k.id).then(
                      () => (setMessage(`Key ${k.name} revoked.`), keys.reload()),
                      (e) => setMessage(messageOf(e)),
                    )
                  }
                >
                  Revoke {k.name}
                </button>
              )}
            </li>
          ))}
        </ul>
        <label>
          New key's name <input value={name} onInput={(e) => setName(e.currentTarget.value)} required />
        </label>
        {SCOPES.map((s) => (
          <label key={s}>
            <input type="checkbox" checked={scopes.includes(s)} onChange={(e) => toggle(s, e.currentTarget.checked)} />{' '}
            {s}
          </label>
        ))}
        <button type="submit">Create the key</button>
        <p role="status">{message || keys.error}</p>
      </fieldset>
    </form>
  )
}

/** The survey editor, a lazy chunk: loaded when Settings opens, never for the insights. */
let editor: Promise<typeof import('./survey-editor')> | undefined
function Surveys({ siteKey, ...p }: Omit<SurveysProps, 'stats'> & { siteKey: string }) {
  const [m, setM] = useState<typeof import('./survey-editor') | null>(null)
  const [failed, setFailed] = useState('')
  // Each survey's responses and NPS, the last 30 days (nothing if they do not load: the list shows without).
  const answers = useInsight('surveys', { site: siteKey, days: '30' })
  const stats: SurveyStats = {}
  for (const x of answers.data?.surveys ?? [])
    stats[x.id] = { answered: x.answered, nps: x.kind === 'nps' ? x.headline : null }
  useEffect(() => {
    ;(editor ??= import('./survey-editor')).then(setM, (e) =>
      setFailed(`The survey editor did not load: ${messageOf(e)}`),
    )
  }, [])
  return m ? <m.SurveysPart {...p} stats={stats} /> : <p role="status">{failed || 'Loading the survey editor…'}</p>
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
    setResult('Sending a test alert…')
    try {
      const { id } = await admin.testAlert(siteKey)
      // The queue's consumer delivers it (retrying a failure later): wait for its first try.
      for (let i = 0; i < 60; i++) {
        const { alerts } = await admin.alerts(siteKey, { days: '1', limit: '50' })
        const a = alerts.find((x) => x.id === id)
        if (a && a.status !== 'pending') {
          const what = a.lastStatus ? `HTTP ${a.lastStatus}` : a.lastError || 'no answer'
          return setResult(
            a.status === 'delivered'
              ? `Delivered: the webhook answered ${what}.`
              : `Not delivered (${what})${a.status === 'retrying' && a.nextAt !== null ? `; trying again ${new Date(a.nextAt).toLocaleTimeString(formatLocale())}` : ''}.`,
          )
        }
        await new Promise((r) => setTimeout(r, 1000))
      }
      setResult('Sent; no delivery attempt yet after a minute (see the alerts log).')
    } catch (e) {
      setResult(`Not sent: ${messageOf(e)}`)
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
        <legend>Alerts webhook</legend>
        <label>
          Negative survey answers are sent to (POST, signed with the site's webhook secret){' '}
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
          Format{' '}
          <select value={format} onChange={(e) => setFormat(e.currentTarget.value === 'slack' ? 'slack' : 'json')}>
            <option value="json">JSON</option>
            <option value="slack">Slack incoming webhook</option>
          </select>
        </label>
        <p id="webhook-error" role="alert" class="error">
          {bad}
        </p>
        <button type="submit">Save the webhook</button>{' '}
        <button type="button" disabled={!saved} onClick={test}>
          Send test
        </button>
        <p role="status" data-webhook-result>
          {saved ? result : 'Save a webhook URL to send a test.'}
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
        <legend>Add a site</legend>
        <label>
          Name <input value={name} onInput={(e) => setName(e.currentTarget.value)} required />
        </label>
        <label>
          Origins of its pages, one per line (e.g. https://www.example.com)
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
        <button type="submit">Create the site</button>
      </fieldset>
    </form>
  )
}

export function Settings({ siteKey, onCreated }: { siteKey: string; onCreated: (key: string) => void }) {
  const admin = useAdmin()
  const site = useLoad((signal) => admin.site(siteKey, signal), `site:${siteKey}`)
  const s = site.data
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
      saved(next, `Saved: version ${next.version}.`)
    } catch (e) {
      setMessage(`Not saved: ${ownerMessage(e, s)}`)
      throw e
    }
  }
  const quiet = (patch: SitePatch) => save(patch).catch(() => {})
  if (!s) return <p role="status">{site.error || message || 'Loading…'}</p>
  return (
    <section aria-labelledby="settings" key={`${siteKey}-${s.version}`}>
      <h2 id="settings">Settings of {s.name}</h2>
      <p role="status" class="status">
        {message}
      </p>
      <Install siteKey={siteKey} />
      <SiteForm s={s} save={quiet} />
      <OrJson
        what="funnels"
        form={
          <FunnelForm
            funnels={s.config.funnels ?? []}
            save={(list) => save(withList('funnels', list.length ? list : null))}
          />
        }
        json={
          <ConfigPart
            label="Funnels"
            field="funnels"
            value={s.config.funnels}
            save={save}
            hint='Ordered steps, each with the seconds a visitor should need: [{"id": "onboarding", "steps": [{"id": "account", "maxSeconds": 120}, {"id": "done"}]}]'
          />
        }
      />
      <OrJson
        what="segments"
        form={
          <SegmentRules
            siteKey={siteKey}
            segments={s.config.segments ?? []}
            funnels={(s.config.funnels ?? []).map((f) => f.id)}
            save={(list) => save(withList('segments', list.length ? list : null))}
          />
        }
        json={
          <ConfigPart
            label="Segments"
            field="segments"
            value={s.config.segments}
            save={save}
            hint='Named rules over visitor profiles: [{"id": "returning", "rule": {"field": "sessions", "op": "gte", "value": 2}}] (fields: docs/personalisation.md, "The profile")'
            extra={(parsed) => <SegmentCounts siteKey={siteKey} segments={parsed} />}
          />
        }
      />
      <OrJson
        what="slots and experiments"
        form={
          <SlotForm
            slots={s.config.slots ?? []}
            segments={(s.config.segments ?? []).map((x) => x.id)}
            save={(list) => save(withList('slots', list.length ? list : null))}
          />
        }
        json={
          <ConfigPart
            label="Slots and experiments"
            field="slots"
            value={s.config.slots}
            save={save}
            hint='Per slot: rules [{"when": "returning", "variant": "welcome"}] and/or an experiment {"id", "variants", "goal", "holdout", "allocation", "on"}; set "on": false to stop one'
          />
        }
      />
      <Experiments s={s} save={save} />
      <Surveys
        surveys={s.config.surveys ?? []}
        language={s.config.language ?? 'en'}
        segments={(s.config.segments ?? []).map((x) => x.id)}
        siteKey={siteKey}
        save={(surveys) => save({ config: { surveys: surveys.length ? surveys : null } })}
      />
      <Webhook siteKey={siteKey} s={s} save={save} />
      <ConfigPart
        label="Surveys as JSON"
        field="surveys"
        value={s.config.surveys}
        save={save}
        hint='Every field, alert rules (negative) and labels included: [{"id": "nps", "kind": "nps", "question": "How likely are you to recommend us?", "trigger": {"event": "stall", "name": "onboarding"}}]'
      />
      <Versions siteKey={siteKey} restored={(next, v) => saved(next, `Version ${v} restored as the newest.`)} />
      <Keys siteKey={siteKey} />
      <NewSite created={onCreated} />
    </section>
  )
}
