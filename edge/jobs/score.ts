/**
 * @module jobs/score: what written survey answers say, scored once, off the request path: their
 * language, sentiment (label and score), topics and themes, stored with the scorer's name and
 * version (store/analysis.ts). The insights read what is stored; they never call a model.
 *
 * When: the ingest consumer sends a `score` job naming the written answers it has just written
 * to D1 (jobs/ingest.ts); the hourly Cron Trigger sends one per site without ids, which scores
 * what is left: answers whose job was lost, and answers scored by another version of the offline
 * scorer (edge/domain/text/analyse.ts SCORER.version), a bounded number per run, sending itself
 * again while more remain.
 *
 * How: the offline scorer always gives the language, topics and themes, and the label and score
 * unless Workers AI is bound (`AI`); then the model gives those (ai/sentiment.ts), and when it
 * fails (an error, no answer, a reply that is not `{label, score}`) the offline scorer's stand,
 * and the answer's row says so (`fallback`).
 */
import type { Env } from '../env'
import type { ScoreJob } from './messages'
import { analyse, SCORER } from '../domain/text/analyse'
import { answerText, shownLanguage, TEXT_CHARS, type StoredAnalysis } from '../domain/answer-text'
import { answersToScore, saveAnalyses } from '../store/analysis'
import { getSite } from '../store/sites'
import { AI_SCORER, aiSentiment, type AiBinding } from '../ai/sentiment'

export const LIMITS = {
  /** Answers named per job message (the ingest consumer splits its lists). */
  idsPerJob: 50,
  /** Answers scored per sweep run. */
  perSweep: 200,
  /** Workers AI calls at once. */
  aiAtOnce: 4,
  /** The sweep leaves answers received this recently to their own job. */
  settleMs: 10 * 60_000,
}

export interface ScoreReport {
  scored: number
  fallbacks: number
  /** More answers are left (the sweep runs again). */
  more: boolean
}

/** Scores the job's answers (or, without ids, what the sweep finds) and stores what they say. */
export async function score(env: Env, job: ScoreJob, now: number, limits = LIMITS): Promise<ScoreReport> {
  const site = await getSite(env.DB, job.site)
  if (!site) return { scored: 0, fallbacks: 0, more: false }
  const todo = await answersToScore(env.DB, site.key, {
    version: SCORER.version,
    limit: job.ids ? job.ids.length : limits.perSweep + 1,
    ...(job.ids ? { ids: job.ids } : { receivedBefore: now - limits.settleMs }),
  })
  const more = !job.ids && todo.length > limits.perSweep
  const answers = todo.slice(0, job.ids ? undefined : limits.perSweep)
  const ai = env.AI as AiBinding | undefined
  const rows: ({ id: string } & StoredAnalysis)[] = []
  // A few model calls at once; the offline scorer takes microseconds.
  for (let i = 0; i < answers.length; i += limits.aiAtOnce)
    rows.push(
      ...(await Promise.all(
        answers.slice(i, i + limits.aiAtOnce).map(async (a) => {
          const text = (answerText({ text: a.text }) ?? '').slice(0, TEXT_CHARS)
          const survey = site.config.surveys?.find((s) => s.id === a.survey)
          const x = analyse(text, shownLanguage(survey, a.lang ?? undefined))
          const row = {
            id: a.id,
            lang: x.lang,
            label: x.label,
            score: x.score,
            topics: x.topics,
            themes: x.themes,
            scorer: SCORER.name,
            version: SCORER.version,
            fallback: null as string | null,
          }
          if (!ai) return row
          const said = await aiSentiment(ai, text, x.lang)
          if ('error' in said) return { ...row, fallback: `Workers AI: ${said.error}` }
          return { ...row, label: said.label, score: said.score, scorer: AI_SCORER }
        }),
      )),
    )
  await saveAnalyses(env.DB, site.key, rows, now)
  return { scored: rows.length, fallbacks: rows.filter((r) => r.fallback).length, more }
}

/** The jobs queue's consumer for scoring; the sweep sends itself again while answers remain. */
export async function consumeScore(m: Message<ScoreJob>, env: Env): Promise<void> {
  try {
    const r = await score(env, m.body, Date.now())
    if (r.fallbacks) console.warn(`ciel: Workers AI failed on ${r.fallbacks} answers of site '${m.body.site}'`)
    if (r.more) await env.JOBS.send({ kind: 'score', site: m.body.site })
    m.ack()
  } catch (e) {
    console.error(`ciel: scoring answers of site '${m.body.site}' failed (attempt ${m.attempts})`, e)
    m.retry({ delaySeconds: 60 })
  }
}

/** The jobs that score the written answers of these just-written batches, by site. */
export function scoreJobs(batches: { site: string; answers?: string[] }[], per = LIMITS.idsPerJob): ScoreJob[] {
  const by = new Map<string, string[]>()
  for (const b of batches) if (b.answers?.length) by.set(b.site, [...(by.get(b.site) ?? []), ...b.answers])
  const jobs: ScoreJob[] = []
  for (const [site, ids] of by)
    for (let i = 0; i < ids.length; i += per) jobs.push({ kind: 'score', site, ids: ids.slice(i, i + per) })
  return jobs
}
