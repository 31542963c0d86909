/**
 * @module dashboard/topics: what written survey answers are about (one list of topics across
 * languages), each topic with its sentiment and opening its answers; the answers quoted each in
 * its own direction (an isolate, `<bdi>`: an Arabic or Hebrew quote among English ones reads right
 * to left, inside quote marks that follow the dashboard's direction); and how they were scored. Props are the surveys insight's own fields.
 */

import { formatLocale, isKey, t } from './i18n'

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

/** A topic's name in the language shown (the scorer's own name for one the dashboard does not know). */
const topicName = (topic: string) => {
  const key = `topic:${topic}`
  return isKey(key) ? t(key) : topic
}

/** Each topic with its sentiment, opening its answers. */
export function Topics({ topics }: { topics: TopicRow[] }) {
  if (!topics.length) return null
  return (
    <div class="topics" aria-label={t('topicsLabel')}>
      {topics.map((x) => (
        <details key={x.topic} class="topic">
          <summary>
            {t('topicSummary', {
              topic: topicName(x.topic),
              n: x.n,
              positive: x.positive,
              neutral: x.neutral,
              negative: x.negative,
            })}
          </summary>
          <Quotes quotes={x.answers} label={t('answersAbout', { topic: topicName(x.topic) })} />
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
          <span class={`badge ${w.sentiment ?? 'pending'}`}>
            {w.sentiment ? t(`sentiment:${w.sentiment}`) : t('beingScored')}
          </span>{' '}
          <q>
            <bdi>{w.text}</bdi>
          </q>{' '}
          <small>
            <bdi>{w.q}</bdi> · {w.lang} · {new Date(w.ts).toLocaleString(formatLocale())}
            {w.fallback && ` · ${t('readOffline')}`}
          </small>
        </li>
      ))}
    </ul>
  )
}

/** How written answers were scored, when there is something to say. */
export function Scoring({ scoring }: { scoring: { pending: number; stale: number; fallbacks: number } }) {
  const notes: string[] = []
  if (scoring.pending) notes.push(t('scoringPending', { n: scoring.pending }))
  if (scoring.stale) notes.push(t('scoringStale', { n: scoring.stale }))
  if (scoring.fallbacks) notes.push(t('scoringFallback', { n: scoring.fallbacks }))
  return notes.length ? <p class="note">{notes.join('; ')}.</p> : null
}
