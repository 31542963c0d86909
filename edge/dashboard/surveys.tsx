/**
 * @module dashboard/surveys: what visitors say: each survey's reach, headline score and groups of
 * scores (each opening its visitors); behind a disclosure, its answers by score, per question, over
 * time, the sentiment, themes and languages of written answers, and the negative answers with what
 * became of their alerts.
 */
import { Fragment } from 'preact'
import type { Surveys as Answer } from './api'
import { DrillButton, whoOf } from './behind'
import { pct, short } from './format'
import { ScoreTrend } from './score-trend'
import { Table } from './table'
import { Quotes, Scoring, Topics } from './topics'
import { comma, formatLocale, isKey, t } from './i18n'
import { tx } from './i18n/nodes'

type Survey = Answer['surveys'][number]

/** Why an answer alerted, from its facts (edge/domain/alerts.ts): a low score, or a rule of the survey on a question. */
const reasonOf = (f: Survey['negative'][number]['reasonFacts']) =>
  f.kind === 'rule' ? tx('why:rule', { q: <bdi>{f.q}</bdi> }) : t(`why:${f.kind}`, { score: f.score })

/** A name the dashboard has a message for (`kind:nps`, `alert:failed`), else the name as it came. */
const say = (prefix: string, name: string) => {
  const key = `${prefix}:${name}`
  return isKey(key) ? t(key) : name
}
const kind = (k: string) => say('kind', k)
const capital = (w: string) => w.charAt(0).toLocaleUpperCase(formatLocale()) + w.slice(1)

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
              <bdi>{s.question}</bdi> <small>{kind(s.kind)}</small>
            </h3>
            <p class="note">
              {t('surveyReach', {
                n: s.shown,
                answered: s.answered,
                rate: s.responseRate === null ? '' : ` (${pct(s.responseRate)})`,
                dismissed: s.dismissed,
              })}
              {s.headline !== null &&
                ` ${s.kind === 'nps' ? t('surveyNps', { score: `${s.headline > 0 ? '+' : ''}${s.headline}` }) : t('surveySatisfied', { score: s.headline })}`}
            </p>
            {s.groups.some((g) => g.visitors > 0) && (
              <p class="detail groups">
                {s.groups.map((g, i) => (
                  <Fragment key={g.group}>
                    {i > 0 && ' · '}
                    {capital(say('group', g.group))} ({g.from === g.to ? g.from : `${g.from}–${g.to}`}):{' '}
                    <DrillButton
                      n={g.visitors}
                      label={t('whoInGroup', { n: g.visitors, group: say('group', g.group), survey: s.id })}
                      onDrill={() => onDrill(whoOf({ survey: s.id, score: g.group }))}
                    />
                  </Fragment>
                ))}{' '}
                {t('groupsVisitors')}
              </p>
            )}
            {s.unsigned > 0 && <p class="note warn">{t('unsignedAnswers', { n: s.unsigned })}</p>}
            {s.extra > 0 && <p class="note warn">{t('extraAnswers', { n: s.extra })}</p>}
            {s.answered > 0 && (
              // The rest behind a disclosure, so that the section reads as one headline per survey.
              <details class="survey-more">
                <summary>{t('surveyDetails')}</summary>
                <SurveyAnswers s={s} most={most} onDrill={onDrill} />
              </details>
            )}
          </article>
        )
      })}
    </section>
  )
}

/** A survey's answers by score, the newest written ones, and the rest (SurveyMore). */
function SurveyAnswers({ s, most, onDrill }: { s: Survey; most: number; onDrill(who: string): void }) {
  return (
    <>
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
                  <meter min={0} max={most} value={x.n} aria-label={t('answeredScore', { n: x.n, score: x.score })} />{' '}
                  {x.n}
                </>
              ),
            },
          ]}
        />
      )}
      {s.comments.length > 0 && (
        <ul class="comments" aria-label={t('newestWritten')}>
          {s.comments.map((c) => (
            <li key={c.ts + c.text}>
              <q>
                <bdi>{c.text}</bdi>
              </q>{' '}
              <small>
                {c.score !== null && `${t('commentScore', { score: c.score })} · `}
                {short(c.url)} · {new Date(c.ts).toLocaleString(formatLocale())}
              </small>
            </li>
          ))}
        </ul>
      )}
      <SurveyMore s={s} onDrill={onDrill} />
    </>
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
                  <bdi>{q.text}</bdi> <small>{kind(q.type)}</small>
                </>
              ),
            },
            { cell: (q) => q.answered },
            {
              cell: (q) => (
                <>
                  {q.headline !== null &&
                    (q.type === 'nps' ? `NPS ${q.headline} · ` : `${t('percentGood', { score: q.headline })} · `)}
                  {q.options?.map((o, i) => (
                    <Fragment key={o.text}>
                      {i > 0 && ' · '}
                      <bdi>{o.text}</bdi> {o.n}
                    </Fragment>
                  ))}
                  {q.scores?.map((o) => `${o.score}: ${o.n}`).join(' · ')}
                </>
              ),
            },
          ]}
        />
      )}
      {scale && (
        <ScoreTrend
          trend={s.trend}
          nps={scale.type === 'nps'}
          onDrill={(day) => onDrill(whoOf({ survey: s.id, answered: day }))}
        />
      )}
      {written > 0 && (
        <p class="detail sentiment">
          {t('writtenSentiment', s.sentiment)}
          {s.themes.length > 0 && (
            <>
              {' '}
              {t('themes')}{' '}
              {s.themes.map((th, i) => (
                <Fragment key={th.theme}>
                  {i > 0 && comma()}
                  {/* Isolated: a Hebrew theme does not take the count beside it into its own direction. */}
                  <bdi>{th.theme}</bdi> (
                  <DrillButton
                    n={th.visitors}
                    label={t('whoAboutTheme', { n: th.visitors, theme: th.theme })}
                    onDrill={() => onDrill(whoOf({ survey: s.id, theme: th.theme }))}
                  />
                  {th.negative ? `, ${t('themeNegative', { n: th.negative })}` : ''})
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
        <p class="detail">{t('answersByLanguage', { list: s.languages.map((l) => `${l.lang} ${l.n}`).join(' · ') })}</p>
      )}
      {s.negative.length > 0 && (
        <ul class="negative" aria-label={t('negativeAlerts')}>
          {s.negative.map((n) => (
            <li key={n.id}>
              <span class={`badge ${n.alert}`}>{say('alert', n.alert)}</span> <span>{reasonOf(n.reasonFacts)}</span>
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
        <Quotes quotes={s.written} label={t('newestWrittenSentiment')} />
      )}
    </>
  )
}
