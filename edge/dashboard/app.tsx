/**
 * @module dashboard: what the product team reads: where onboarding stalls, where visitors
 * rage-click, what surveys say, how fast pages are. Reads the insights API with the admin token, which stays in
 * this tab's sessionStorage. Everything shown is text (Preact escapes it); no inline styles.
 */
import { render } from 'preact'
import { useEffect, useState } from 'preact/hooks'
import { PersonalisationSection } from './personalisation'
import { NewSite, Settings } from './settings'
import {
  ApiError,
  compareFunnels,
  erase,
  findVisitors,
  listSites,
  loadInsights,
  type Funnels as FunnelAnswer,
  type Insights,
  type Segment,
  type VisitorSummary,
} from './api'
import { ago, pct, period, short } from './format'
import { Trends } from './trends'
import { CustomEvents, Traffic } from './traffic'
import { Journeys } from './journeys'
import { VisitorButton, VisitorDialog } from './visitor'
import { PropensitySection } from './propensity'
import { DownloadCsv } from './csv'

const TOKEN = 'ciel-dashboard-token'

/** web.dev thresholds: good up to the first number, poor above the second. */
const VITALS: { [name: string]: [number, number, string] } = {
  LCP: [2500, 4000, 'ms'],
  INP: [200, 500, 'ms'],
  CLS: [0.1, 0.25, ''],
  FCP: [1800, 3000, 'ms'],
  TTFB: [800, 1800, 'ms'],
}

function Login({ onToken, error }: { onToken: (t: string) => void; error?: string }) {
  const [value, setValue] = useState('')
  return (
    <form
      class="login"
      onSubmit={(e) => {
        e.preventDefault()
        if (value.trim()) onToken(value.trim())
      }}
    >
      <h1>ciel</h1>
      <label>
        Admin token
        <input
          type="password"
          autoComplete="current-password"
          value={value}
          onInput={(e) => setValue(e.currentTarget.value)}
          required
        />
      </label>
      <button type="submit">Open the dashboard</button>
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      <p class="hint">The token is the worker's ADMIN_TOKEN secret (locally: .dev.vars).</p>
    </form>
  )
}

function Overview({ o }: { o: Insights['overview'] }) {
  const cards: [string, number][] = [
    ['Visitors', o.visitors],
    ['Sessions', o.sessions],
    ['Pageviews', o.pageviews],
    ['Rage clicks', o.events.rage_click ?? 0],
    ['Dead clicks', o.events.dead_click ?? 0],
    // A form submitted after all (form_submit) was not abandoned: see store/trends.ts.
    ['Abandoned forms', Math.max(0, (o.events.form_abandon ?? 0) - (o.events.form_submit ?? 0))],
  ]
  return (
    <section aria-labelledby="overview">
      <h2 id="overview">{period(o.days)}</h2>
      {o.segment.label !== 'everyone' && <p class="note">Segment: {o.segment.label}.</p>}
      <p class="note" data-install>
        {o.lastReceived === null
          ? 'No event received from this site yet. Paste the two script lines from the README into your pages, add your origin to the site, then open a page.'
          : `Last event received ${ago(o.lastReceived)}.`}
      </p>
      <dl class="cards">
        {cards.map(([label, n]) => (
          <div class="card" key={label}>
            <dt>{label}</dt>
            <dd>{n.toLocaleString()}</dd>
          </div>
        ))}
      </dl>
      <p class="note">
        {o.botEvents.toLocaleString()} events from bots left out.{' '}
        {o.lost.evicted + o.lost.dropped > 0
          ? `Snippets reported ${o.lost.evicted} events evicted from full outboxes and ${o.lost.dropped} refused.`
          : 'No event was reported lost.'}
      </p>
    </section>
  )
}

function FunnelTable({ f, label }: { f: Insights['funnels'][number]; label?: string }) {
  return (
    <table>
      <caption>
        {label ? `${f.id} (${label})` : f.id}
        {f.bottleneck ? ` — most visitors are lost before “${f.bottleneck}”` : ''}{' '}
        <DownloadCsv name={`funnel-${f.id}${label ? `-${label}` : ''}`} />
      </caption>
      <thead>
        <tr>
          <th scope="col">Step</th>
          <th scope="col">Visitors</th>
          <th scope="col">Reached</th>
          <th scope="col">Lost since previous</th>
          <th scope="col">Stalled</th>
        </tr>
      </thead>
      <tbody>
        {f.steps.map((s) => (
          <tr key={s.id} class={s.id === f.bottleneck ? 'bottleneck' : ''}>
            <th scope="row">{s.id}</th>
            <td>{s.visitors}</td>
            <td>
              <meter min={0} max={1} value={s.conversion} aria-label={`${pct(s.conversion)} reached ${s.id}`} />{' '}
              {pct(s.conversion)}
            </td>
            <td>{pct(s.dropOff)}</td>
            <td>{s.stalls ? `${s.stalls} (over ${s.maxSeconds ?? '?'} s)` : '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

/** The funnels; compared side by side with a second segment when one is chosen. */
function Funnels({
  funnels,
  token,
  site,
  days,
  segment,
  referrers,
}: {
  funnels: Insights['funnels']
  token: string
  site: string
  days: number
  segment: Segment
  referrers: string[]
}) {
  const [vs, setVs] = useState<Segment | null>(null)
  const [pair, setPair] = useState<FunnelAnswer | null>(null)
  const [error, setError] = useState('')
  useEffect(() => {
    setPair(null)
    setError('')
    if (!vs) return
    let current = true
    compareFunnels(token, site, days, segment, vs).then(
      (r) => current && setPair(r),
      (e) => current && setError(String(e.message ?? e)),
    )
    return () => {
      current = false
    }
  }, [token, site, days, segment, vs])
  return (
    <section aria-labelledby="funnels">
      <h2 id="funnels">Onboarding</h2>
      {funnels.length === 0 ? (
        <p class="note">
          No funnel in this site's config: add one under config.funnels, and call ciel('step', funnel, step) as visitors
          go.
        </p>
      ) : (
        <SegmentForm
          legend="Compare with"
          idPrefix="vs"
          value={vs ?? {}}
          referrers={referrers}
          active={vs !== null}
          onApply={setVs}
          onClear={() => setVs(null)}
          clearLabel="Stop comparing"
        />
      )}
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      {pair?.compare
        ? pair.funnels.map((f, i) => (
            <div class="pair compare" key={f.id}>
              <FunnelTable f={f} label={pair.segment.label} />
              <FunnelTable f={pair.compare!.funnels[i]!} label={pair.compare!.segment.label} />
            </div>
          ))
        : funnels.map((f) => <FunnelTable f={f} key={f.id} />)}
    </section>
  )
}

/** Device, new or returning, referrer: a segment of the insights (named segments come later). */
function SegmentForm({
  legend,
  idPrefix,
  value,
  referrers,
  active,
  onApply,
  onClear,
  clearLabel,
  named = [],
}: {
  legend: string
  idPrefix: string
  value: Segment
  referrers: string[]
  /** The site's named segments (rules over visitor profiles). */
  named?: string[]
  active: boolean
  onApply(s: Segment): void
  onClear(): void
  clearLabel: string
}) {
  const [device, setDevice] = useState(value.device ?? '')
  const [visitor, setVisitor] = useState(value.visitor ?? '')
  const [referrer, setReferrer] = useState(value.referrer ?? '')
  const [segment, setSegment] = useState(value.segment ?? '')
  return (
    <form
      class="segment"
      aria-label={legend}
      onSubmit={(e) => {
        e.preventDefault()
        const s: Segment = {}
        if (device) s.device = device
        if (visitor) s.visitor = visitor
        if (referrer.trim()) s.referrer = referrer.trim()
        if (segment) s.segment = segment
        onApply(s)
      }}
    >
      <span class="legend">{legend}</span>
      {named.length > 0 && (
        <label>
          Segment{' '}
          <select name="segment" value={segment} onChange={(e) => setSegment(e.currentTarget.value)}>
            <option value="">any</option>
            {named.map((n) => (
              <option value={n} key={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
      )}
      <label>
        Device{' '}
        <select name="device" value={device} onChange={(e) => setDevice(e.currentTarget.value)}>
          <option value="">any</option>
          <option value="mobile">mobile</option>
          <option value="tablet">tablet</option>
          <option value="desktop">desktop</option>
        </select>
      </label>
      <label>
        Visitors{' '}
        <select name="visitor" value={visitor} onChange={(e) => setVisitor(e.currentTarget.value)}>
          <option value="">all</option>
          <option value="new">new</option>
          <option value="returning">returning</option>
        </select>
      </label>
      <label>
        Referrer{' '}
        <input
          name="referrer"
          list={`${idPrefix}-referrers`}
          value={referrer}
          placeholder="any"
          size={12}
          onInput={(e) => setReferrer(e.currentTarget.value)}
        />
      </label>
      <datalist id={`${idPrefix}-referrers`}>
        {referrers.map((r) => (
          <option value={r} key={r} />
        ))}
      </datalist>
      <button type="submit">Apply</button>
      {active && (
        <button
          type="button"
          onClick={() => {
            setDevice('')
            setVisitor('')
            setReferrer('')
            onClear()
          }}
        >
          {clearLabel}
        </button>
      )}
    </form>
  )
}

function Friction({ friction }: { friction: Insights['friction'] }) {
  const label: { [t: string]: string } = {
    rage_click: 'Rage click',
    dead_click: 'Dead click',
    error_click: 'Error click',
  }
  return (
    <section aria-labelledby="friction">
      <h2 id="friction">Friction hotspots</h2>
      {friction.hotspots.length === 0 ? (
        <p class="note">No rage, dead or error clicks yet.</p>
      ) : (
        <table>
          <caption>
            Hotspots <DownloadCsv name="friction-hotspots" />
          </caption>
          <thead>
            <tr>
              <th scope="col">Signal</th>
              <th scope="col">Page</th>
              <th scope="col">Element</th>
              <th scope="col">Visitors</th>
              <th scope="col">Times</th>
            </tr>
          </thead>
          <tbody>
            {friction.hotspots.map((h) => (
              <tr key={h.type + h.page + h.path}>
                <td>{label[h.type] ?? h.type}</td>
                <td>{short(h.page)}</td>
                <td>
                  <code>{h.path}</code> {h.text && <span class="text">“{h.text}”</span>}
                </td>
                <td>{h.visitors}</td>
                <td>{h.events}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {friction.forms.length > 0 && (
        <table>
          <caption>
            Forms left unsubmitted <DownloadCsv />
          </caption>
          <thead>
            <tr>
              <th scope="col">Page</th>
              <th scope="col">Form</th>
              <th scope="col">Last field touched</th>
              <th scope="col">Visitors</th>
            </tr>
          </thead>
          <tbody>
            {friction.forms.map((f) => (
              <tr key={f.page + f.form + f.lastField}>
                <td>{short(f.page)}</td>
                <td>{f.form || '(unnamed)'}</td>
                <td>{f.lastField}</td>
                <td>{f.visitors}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}

function Vitals({ vitals }: { vitals: Insights['vitals'] }) {
  return (
    <section aria-labelledby="vitals">
      <h2 id="vitals">Page speed (75th percentile)</h2>
      {vitals.metrics.length === 0 && <p class="note">No web vitals reported yet.</p>}
      <dl class="cards">
        {vitals.metrics.map((m) => {
          const [good, poor, unit] = VITALS[m.name] ?? [Infinity, Infinity, '']
          const rating = m.p75 === null ? '' : m.p75 <= good ? 'good' : m.p75 <= poor ? 'needs improvement' : 'poor'
          return (
            <div class={`card ${rating.replace(' ', '-')}`} key={m.name}>
              <dt>{m.name}</dt>
              <dd>
                {m.p75 === null ? '—' : `${unit ? Math.round(m.p75) : m.p75.toFixed(3)} ${unit}`}
                <small>
                  {rating} · {m.samples} {m.samples === 1 ? 'sample' : 'samples'}
                </small>
              </dd>
            </div>
          )
        })}
      </dl>
    </section>
  )
}

const KIND: { [type: string]: string } = {
  nps: 'NPS',
  csat: 'CSAT',
  emoji: 'Faces',
  single: 'One choice',
  multi: 'Choices',
  text: 'Open question',
}

function Surveys({ surveys }: { surveys: Insights['surveys'] }) {
  return (
    <section aria-labelledby="surveys">
      <h2 id="surveys">What visitors say</h2>
      {surveys.length === 0 && <p class="note">No survey in this site's config.</p>}
      {surveys.map((s) => {
        const most = Math.max(1, ...s.scores.map((x) => x.n))
        return (
          <article class="survey" key={s.id} aria-labelledby={`survey-${s.id}`}>
            <h3 id={`survey-${s.id}`}>
              {s.question} <small>{KIND[s.kind] ?? s.kind}</small>
            </h3>
            <p class="note">
              Shown to {s.shown} {s.shown === 1 ? 'visitor' : 'visitors'}, answered by {s.answered}
              {s.responseRate !== null && ` (${pct(s.responseRate)})`}, closed by {s.dismissed}.
              {s.headline !== null &&
                (s.kind === 'nps' ? ` NPS ${s.headline > 0 ? '+' : ''}${s.headline}.` : ` ${s.headline}% satisfied.`)}
            </p>
            {s.unsigned > 0 && (
              <p class="note warn">
                {s.unsigned} {s.unsigned === 1 ? 'answer' : 'answers'} without a survey offer signed by the worker (sent
                by a script, most likely): stored, but left out of the scores.
              </p>
            )}
            {s.extra > 0 && (
              <p class="note warn">
                {s.extra} more {s.extra === 1 ? 'answer' : 'answers'} to a question already answered with the same offer
                (or within the survey's re-ask period): stored, but left out of the scores.
              </p>
            )}
            {s.scores.length > 0 && (
              <table class="scores">
                <caption>
                  Answers by score <DownloadCsv name={`survey-${s.id}-scores`} />
                </caption>
                <tbody>
                  {s.scores.map((x) => (
                    <tr key={x.score}>
                      <th scope="row">{x.score}</th>
                      <td>
                        <meter min={0} max={most} value={x.n} aria-label={`${x.n} answered ${x.score}`} /> {x.n}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            {s.comments.length > 0 && (
              <ul class="comments" aria-label="Newest written answers">
                {s.comments.map((c) => (
                  <li key={c.ts + c.text}>
                    <q>{c.text}</q>{' '}
                    <small>
                      {c.score !== null && `score ${c.score} · `}
                      {short(c.url)} · {new Date(c.ts).toLocaleString()}
                    </small>
                  </li>
                ))}
              </ul>
            )}
            <SurveyMore s={s} />
          </article>
        )
      })}
    </section>
  )
}

type SurveyInsight = Insights['surveys'][number]
const ALERT: { [status: string]: string } = {
  delivered: 'alert delivered',
  retrying: 'alert retrying',
  pending: 'alert on its way',
  failed: 'alert failed',
  none: 'no webhook set',
}

/** NPS or CSAT by day as a small line (the table beside it says the same in words). */
function Trend({ trend, nps }: { trend: SurveyInsight['trend']; nps: boolean }) {
  if (trend.length < 2) return null
  const lo = nps ? -100 : 0
  const x = (i: number) => 4 + (i * 232) / (trend.length - 1)
  const y = (v: number) => 56 - ((v - lo) / (100 - lo)) * 52
  const label = trend.map((t) => `${t.day}: ${t.headline} (${t.n})`).join(', ')
  return (
    <figure class="trend">
      <svg viewBox="0 0 240 60" role="img" aria-label={`${nps ? 'NPS' : '% satisfied'} by day: ${label}`}>
        <polyline points={trend.map((t, i) => `${x(i)},${y(t.headline)}`).join(' ')} />
        {trend.map((t, i) => (
          <circle cx={x(i)} cy={y(t.headline)} r="2.5" />
        ))}
      </svg>
      <figcaption>
        {nps ? 'NPS' : '% satisfied'} by day, {trend[0]!.day} to {trend[trend.length - 1]!.day}
      </figcaption>
    </figure>
  )
}

/** Per question, over time, sentiment and themes of written answers, languages, negative answers and their alerts. */
function SurveyMore({ s }: { s: SurveyInsight }) {
  const written = s.sentiment.positive + s.sentiment.neutral + s.sentiment.negative
  const scale = s.questions.find((q) => q.type === 'nps' || q.type === 'csat')
  return (
    <>
      {s.questions.length > 1 && (
        <table class="questions">
          <caption>
            Answers per question <DownloadCsv name={`survey-${s.id}-questions`} />
          </caption>
          <tbody>
            {s.questions.map((q) => (
              <tr key={q.id}>
                <th scope="row">
                  {q.text} <small>{KIND[q.type] ?? q.type}</small>
                </th>
                <td>{q.answered}</td>
                <td>
                  {q.headline !== null && (q.type === 'nps' ? `NPS ${q.headline} · ` : `${q.headline}% good · `)}
                  {q.options?.map((o) => `${o.text} ${o.n}`).join(' · ')}
                  {q.scores?.map((o) => `${o.score}: ${o.n}`).join(' · ')}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {scale && <Trend trend={s.trend} nps={scale.type === 'nps'} />}
      {written > 0 && (
        <p class="detail sentiment">
          Written answers: {s.sentiment.positive} positive, {s.sentiment.neutral} neutral, {s.sentiment.negative}{' '}
          negative.
          {s.themes.length > 0 && ` Themes: ${s.themes.map((t) => `${t.theme} (${t.n})`).join(', ')}.`}
        </p>
      )}
      {s.languages.length > 0 && (
        <p class="detail">Answers by language: {s.languages.map((l) => `${l.lang} ${l.n}`).join(' · ')}</p>
      )}
      {s.negative.length > 0 && (
        <ul class="negative" aria-label="Negative answers and their alerts">
          {s.negative.map((n) => (
            <li key={n.id}>
              <span class={`badge ${n.alert}`}>{ALERT[n.alert] ?? n.alert}</span> {n.reason}
              {n.answer.text && (
                <>
                  {' '}
                  <q>{n.answer.text}</q>
                </>
              )}{' '}
              <small>
                {short(n.url)} · {new Date(n.ts).toLocaleString()}
              </small>
            </li>
          ))}
        </ul>
      )}
      {s.written.length > 0 && s.questions.length > 1 && (
        <ul class="written" aria-label="Newest written answers, with their sentiment">
          {s.written.map((w) => (
            <li key={w.id}>
              <span class={`badge ${w.sentiment}`}>{w.sentiment}</span> <q dir="auto">{w.text}</q>{' '}
              <small>
                {w.q}
                {w.lang && ` · ${w.lang}`} · {new Date(w.ts).toLocaleString()}
              </small>
            </li>
          ))}
        </ul>
      )}
    </>
  )
}

/** Recent visitors, a search by user id, and erasure (a visitor, or every device of a user). */
function Visitors({
  token,
  site,
  days,
  segment,
  round: outer,
  onErase,
  onOpen,
}: {
  token: string
  site: string
  days: number
  segment: Segment
  round: number
  onErase(): void
  onOpen(id: string): void
}) {
  const [user, setUser] = useState('')
  const [query, setQuery] = useState('')
  const [list, setList] = useState<VisitorSummary[] | null>(null)
  const [message, setMessage] = useState('')
  const [round, setRound] = useState(0)

  useEffect(() => {
    findVisitors(token, site, days, query, segment).then(setList, (e) => setMessage(String(e.message ?? e)))
  }, [token, site, days, query, round, segment, outer])

  const eraseThem = async (target: { visitor: string } | { user: string }, what: string) => {
    if (!confirm(`Erase everything stored about ${what}? This cannot be undone.`)) return
    try {
      // Large erasures go a page at a time: say how far along it is.
      const r = await erase(token, site, target, (done, left) =>
        setMessage(`Erasing ${what}: ${done} events erased, ${left} to go…`),
      )
      setMessage(`Erased ${what}: ${r.erased} ${r.erased === 1 ? 'event' : 'events'}.`)
      setRound((n) => n + 1)
      onErase()
    } catch (e) {
      setMessage(String((e as Error).message ?? e))
    }
  }

  return (
    <section aria-labelledby="visitors">
      <h2 id="visitors">Visitors</h2>
      <form
        class="find"
        role="search"
        onSubmit={(e) => {
          e.preventDefault()
          setQuery(user.trim())
        }}
      >
        <label>
          User id <input value={user} onInput={(e) => setUser(e.currentTarget.value)} placeholder="as in identify" />
        </label>
        <button type="submit">Find</button>
        {query && (
          <button type="button" onClick={() => eraseThem({ user: query }, `user ${query} on every device`)}>
            Erase this user
          </button>
        )}
      </form>
      <p role="status" class="status">
        {message}
      </p>
      {list && list.length === 0 && (
        <p class="note">{query ? `No visitor identified as ${query}.` : 'No visitor yet.'}</p>
      )}
      {list && list.length > 0 && (
        <table>
          <caption>
            {query ? `Visitors identified as ${query}` : 'Most recent visitors'} <DownloadCsv name="visitors" />
          </caption>
          <thead>
            <tr>
              <th scope="col">Visitor</th>
              <th scope="col">User</th>
              <th scope="col">Last seen</th>
              <th scope="col">Interests</th>
              <th scope="col">
                <span class="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.map((v) => (
              <tr key={v.id}>
                <td>
                  <VisitorButton id={v.id} onOpen={onOpen} />
                </td>
                <td>{v.userId ?? '—'}</td>
                <td>{new Date(v.lastSeen).toLocaleString()}</td>
                <td>{v.interests.map((i) => i.topic).join(', ') || '—'}</td>
                <td>
                  <button type="button" onClick={() => eraseThem({ visitor: v.id }, `visitor ${v.id}`)}>
                    Erase
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}

function App() {
  const [token, setToken] = useState(() => sessionStorage.getItem(TOKEN) ?? '')
  const [sites, setSites] = useState<{ key: string; name: string }[] | null>(null)
  const [site, setSite] = useState('')
  const [days, setDays] = useState(30)
  const [segment, setSegment] = useState<Segment>({})
  // What was loaded, and for which site, period and segment: never shown under another's name.
  const [data, setData] = useState<{ key: string; insights: Insights } | null>(null)
  const [error, setError] = useState('')
  const [busy, setBusy] = useState(false)
  const [erasures, setErasures] = useState(0)
  const [view, setView] = useState<'insights' | 'settings'>('insights')
  const [retry, setRetry] = useState(0)
  const [open, setOpen] = useState<string | null>(null)
  const [notice, setNotice] = useState('')
  const [sitesRound, setSitesRound] = useState(0)
  const key = JSON.stringify([site, days, segment])

  const signOut = (why = '') => {
    sessionStorage.removeItem(TOKEN)
    setToken('')
    setSites(null)
    setError(why)
  }

  useEffect(() => {
    if (!token) return
    listSites(token).then(
      (r) => {
        sessionStorage.setItem(TOKEN, token)
        setSites(r.sites)
        setSite((s) => s || r.sites[0]?.key || '')
        setError('')
      },
      (e) => (e instanceof ApiError && e.status < 500 ? signOut(e.message) : setError(String(e.message ?? e))),
    )
  }, [token, sitesRound])

  useEffect(() => {
    if (!token || !site) return
    // An answer that arrives after the reader chose another site, period or segment is dropped.
    let current = true
    setBusy(true)
    setError('')
    loadInsights(token, site, days, segment)
      .then(
        (insights) => current && setData({ key, insights }),
        (e) => {
          if (!current) return
          setData(null)
          setError(String(e.message ?? e))
        },
      )
      .finally(() => current && setBusy(false))
    return () => {
      current = false
    }
  }, [token, key, erasures, retry])

  if (!token || !sites) return <Login onToken={setToken} error={error} />
  const siteName = sites.find((s) => s.key === site)?.name || site
  const shown = data && data.key === key ? data.insights : null
  const referrers = shown?.sources.referrers.map((r) => r.source) ?? []
  // The site's named segments (the personalisation insight lists them with their sizes).
  const named = shown?.personalisation.segments.map((s) => s.id) ?? []
  return (
    <>
      <header>
        <h1>ciel</h1>
        <label>
          Site{' '}
          <select
            value={site}
            onChange={(e) => {
              setSite(e.currentTarget.value)
              setSegment({})
            }}
          >
            {sites.map((s) => (
              <option value={s.key} key={s.key}>
                {s.name || s.key}
              </option>
            ))}
          </select>
        </label>
        <label>
          Period{' '}
          <select value={days} onChange={(e) => setDays(Number(e.currentTarget.value))}>
            {[1, 7, 30, 90].map((d) => (
              <option value={d} key={d}>
                {period(d)}
              </option>
            ))}
          </select>
        </label>
        <nav aria-label="Views">
          {(['insights', 'settings'] as const).map((v) => (
            <button type="button" key={v} aria-pressed={view === v} onClick={() => setView(v)}>
              {v === 'insights' ? 'Insights' : 'Settings'}
            </button>
          ))}
        </nav>
        <button type="button" onClick={() => signOut()}>
          Sign out
        </button>
      </header>
      <main aria-busy={busy}>
        {site && (
          <SegmentForm
            key={site}
            legend="Segment"
            idPrefix="segment"
            value={segment}
            referrers={referrers}
            active={!!(segment.device || segment.visitor || segment.referrer || segment.segment)}
            named={named}
            onApply={setSegment}
            onClear={() => setSegment({})}
            clearLabel="Everyone"
          />
        )}
        <p role="status" class="status">
          {busy ? 'Loading…' : notice}
        </p>
        {error && (
          <div role="alert" class="failed">
            <p class="error">
              Could not load {siteName}: {error}
            </p>
            <button type="button" onClick={() => setRetry((n) => n + 1)}>
              Try again
            </button>
          </div>
        )}
        {sites.length === 0 && (
          <NewSite token={token} created={(created) => (setSite(created), setSitesRound((n) => n + 1))} />
        )}
        {view === 'settings' && site && (
          <Settings
            token={token}
            siteKey={site}
            onChange={() => setErasures((n) => n + 1)}
            onCreated={(created) => {
              setSite(created)
              setSegment({})
              setSitesRound((n) => n + 1)
            }}
          />
        )}
        {view === 'insights' && shown && (
          <>
            <Overview o={shown.overview} />
            <Trends trends={shown.trends} />
            <Funnels
              key={site}
              funnels={shown.funnels}
              token={token}
              site={site}
              days={days}
              segment={segment}
              referrers={referrers}
            />
            <Traffic pages={shown.pages} sources={shown.sources} />
            <CustomEvents events={shown.events} />
            <Journeys
              key={site}
              token={token}
              site={site}
              days={days}
              segment={segment}
              entries={shown.pages.entries.map((e) => e.page)}
              goals={shown.events.map((e) => e.name)}
            />
            <Friction friction={shown.friction} />
            <Surveys surveys={shown.surveys} />
            <PersonalisationSection p={shown.personalisation} />
            <PropensitySection key={site} token={token} site={site} days={days} onOpen={setOpen} />
            <Vitals vitals={shown.vitals} />
            <Visitors
              key={site}
              token={token}
              site={site}
              days={days}
              segment={segment}
              round={erasures}
              onErase={() => setErasures((n) => n + 1)}
              onOpen={setOpen}
            />
          </>
        )}
        {open && (
          <VisitorDialog
            key={open}
            token={token}
            site={site}
            id={open}
            onClose={() => setOpen(null)}
            onErased={(message) => {
              setOpen(null)
              setNotice(message)
              setErasures((n) => n + 1)
            }}
          />
        )}
      </main>
    </>
  )
}

render(<App />, document.getElementById('app')!)
