/**
 * @module dashboard/surveys: what visitors say: each survey's reach and headline score, answers by
 * score, per question, over time, the sentiment, themes and languages of written answers, and
 * the negative answers with what became of their alerts.
 */
import { Fragment } from 'preact'
import type { Surveys as Answer } from './api'
import { DrillButton, whoOf } from './behind'
import { pct, short } from './format'
import { ScoreTrend } from './score-trend'
import { Table } from './table'
import { Quotes, Scoring, Topics } from './topics'
import { formatLocale, t } from './i18n'

type Survey = Answer['surveys'][number]

const KIND: { [type: string]: string } = {
  nps: 'NPS',
  csat: 'CSAT',
  emoji: 'Faces',
  single: 'One choice',
  multi: 'Choices',
  text: 'Open question',
}

const ALERT: { [status: string]: string } = {
  delivered: 'alert delivered',
  retrying: 'alert retrying',
  pending: 'alert on its way',
  failed: 'alert failed',
  none: 'no webhook set',
}

/** `onDrill`: opens the visitors behind a group of scores or a theme (`who`: its drill-down, behind.tsx). */
export function Surveys({ surveys, onDrill }: { surveys: Survey[]; onDrill(who: string): void }) {
  return (
    <section aria-labelledby="surveys">
      <h2 id="surveys">{t('surveys')}</h2>
      {surveys.length === 0 && <p class="note">{t('noSurvey')}</p>}
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
            {s.groups.some((g) => g.visitors > 0) && (
              <p class="detail groups">
                {s.groups.map((g, i) => (
                  <Fragment key={g.group}>
                    {i > 0 && ' · '}
                    {g.group[0]!.toUpperCase() + g.group.slice(1)} ({g.from}–{g.to}):{' '}
                    <DrillButton
                      n={g.visitors}
                      label={`Show the ${g.visitors} ${g.group} of ${s.id}`}
                      onDrill={() => onDrill(whoOf({ survey: s.id, score: g.group }))}
                    />
                  </Fragment>
                ))}{' '}
                visitors
              </p>
            )}
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
              <Table
                class="scores"
                caption={t('capByScore')}
                csv={`survey-${s.id}-scores`}
                rows={s.scores}
                rowKey={(x) => x.score}
                columns={[
                  { cell: (x) => x.score },
                  {
                    cell: (x) => (
                      <>
                        <meter min={0} max={most} value={x.n} aria-label={`${x.n} answered ${x.score}`} /> {x.n}
                      </>
                    ),
                  },
                ]}
              />
            )}
            {s.comments.length > 0 && (
              <ul class="comments" aria-label="Newest written answers">
                {s.comments.map((c) => (
                  <li key={c.ts + c.text}>
                    <q>
                      <bdi>{c.text}</bdi>
                    </q>{' '}
                    <small>
                      {c.score !== null && `score ${c.score} · `}
                      {short(c.url)} · {new Date(c.ts).toLocaleString(formatLocale())}
                    </small>
                  </li>
                ))}
              </ul>
            )}
            <SurveyMore s={s} onDrill={onDrill} />
          </article>
        )
      })}
    </section>
  )
}

/** Per question, over time, sentiment and themes of written answers, languages, negative answers and their alerts. */
function SurveyMore({ s, onDrill }: { s: Survey; onDrill(who: string): void }) {
  const written = s.sentiment.positive + s.sentiment.neutral + s.sentiment.negative
  const scale = s.questions.find((q) => q.type === 'nps' || q.type === 'csat')
  return (
    <>
      {s.questions.length > 1 && (
        <Table
          class="questions"
          caption={t('capPerQuestion')}
          csv={`survey-${s.id}-questions`}
          rows={s.questions}
          rowKey={(q) => q.id}
          columns={[
            {
              cell: (q) => (
                <>
                  {q.text} <small>{KIND[q.type] ?? q.type}</small>
                </>
              ),
            },
            { cell: (q) => q.answered },
            {
              cell: (q) => (
                <>
                  {q.headline !== null && (q.type === 'nps' ? `NPS ${q.headline} · ` : `${q.headline}% good · `)}
                  {q.options?.map((o) => `${o.text} ${o.n}`).join(' · ')}
                  {q.scores?.map((o) => `${o.score}: ${o.n}`).join(' · ')}
                </>
              ),
            },
          ]}
        />
      )}
      {scale && <ScoreTrend trend={s.trend} nps={scale.type === 'nps'} />}
      {written > 0 && (
        <p class="detail sentiment">
          Written answers: {s.sentiment.positive} positive, {s.sentiment.neutral} neutral, {s.sentiment.negative}{' '}
          negative.
          {s.themes.length > 0 && (
            <>
              {' '}
              Themes:{' '}
              {s.themes.map((t, i) => (
                <Fragment key={t.theme}>
                  {i > 0 && ', '}
                  {/* Isolated: a Hebrew theme does not take the count beside it into its own direction. */}
                  <bdi>{t.theme}</bdi> (
                  <DrillButton
                    n={t.visitors}
                    label={`Show the ${t.visitors} visitors whose answer is about ${t.theme}`}
                    onDrill={() => onDrill(whoOf({ survey: s.id, theme: t.theme }))}
                  />
                  {t.negative ? `, ${t.negative} negative` : ''})
                </Fragment>
              ))}
              .
            </>
          )}
        </p>
      )}
      <Scoring scoring={s.scoring} />
      <Topics topics={s.topics} />
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
                  <q>
                    <bdi>{n.answer.text}</bdi>
                  </q>
                </>
              )}{' '}
              <small>
                {short(n.url)} · {new Date(n.ts).toLocaleString(formatLocale())}
              </small>
            </li>
          ))}
        </ul>
      )}
      {s.written.length > 0 && s.questions.length > 1 && (
        <Quotes quotes={s.written} label="Newest written answers, with their sentiment" />
      )}
    </>
  )
}
