/**
 * @module dashboard/topics: what written survey answers are about (one list of topics across
 * languages), each topic with its sentiment and opening its answers; the answers quoted each in
 * its own direction (an isolate, `<bdi>`: an Arabic or Hebrew quote among English ones reads right
 * to left, inside quote marks that follow the dashboard's direction); and how they were scored. Props are the surveys insight's own fields.
 */

import { formatLocale } from './i18n'

type Label = 'positive' | 'neutral' | 'negative'

/** A written answer as the insight quotes it. */
export interface Quote {
  id: string
  text: string
  q: string
  lang: string
  sentiment: Label | null
  fallback: string | null
  ts: number
}

export interface TopicRow {
  topic: string
  n: number
  positive: number
  neutral: number
  negative: number
  answers: Quote[]
}

const TOPIC: { [topic: string]: string } = {
  price: 'Price',
  speed: 'Speed',
  bugs: 'Bugs and errors',
  onboarding: 'Onboarding and setup',
  team: 'Invites and team',
  support: 'Support',
  docs: 'Docs',
  integrations: 'Integrations',
  data: 'Export and data',
  design: 'Design',
}

/** Each topic with its sentiment, opening its answers. */
export function Topics({ topics }: { topics: TopicRow[] }) {
  if (!topics.length) return null
  return (
    <div class="topics" aria-label="What written answers are about">
      {topics.map((t) => (
        <details key={t.topic} class="topic">
          <summary>
            {TOPIC[t.topic] ?? t.topic}: {t.n} {t.n === 1 ? 'answer' : 'answers'} ({t.positive} positive, {t.neutral}{' '}
            neutral, {t.negative} negative)
          </summary>
          <Quotes quotes={t.answers} label={`Answers about ${TOPIC[t.topic] ?? t.topic}`} />
        </details>
      ))}
    </div>
  )
}

/** Written answers with their sentiment. */
export function Quotes({ quotes, label }: { quotes: Quote[]; label: string }) {
  return (
    <ul class="written" aria-label={label}>
      {quotes.map((w) => (
        <li key={w.id}>
          <span class={`badge ${w.sentiment ?? 'pending'}`}>{w.sentiment ?? 'being scored'}</span>{' '}
          <q>
            <bdi>{w.text}</bdi>
          </q>{' '}
          <small>
            {w.q} · {w.lang} · {new Date(w.ts).toLocaleString(formatLocale())}
            {w.fallback && ' · read offline: Workers AI failed on it'}
          </small>
        </li>
      ))}
    </ul>
  )
}

/** How written answers were scored, when there is something to say. */
export function Scoring({ scoring }: { scoring: { pending: number; stale: number; fallbacks: number } }) {
  const notes: string[] = []
  if (scoring.pending)
    notes.push(`${scoring.pending} written ${scoring.pending === 1 ? 'answer is' : 'answers are'} being scored`)
  if (scoring.stale)
    notes.push(`${scoring.stale} scored by an older version of the offline scorer (scored again within the hour)`)
  if (scoring.fallbacks)
    notes.push(
      `${scoring.fallbacks} read by the offline scorer because Workers AI failed on ${scoring.fallbacks === 1 ? 'it' : 'them'}`,
    )
  return notes.length ? <p class="note">{notes.join('; ')}.</p> : null
}
