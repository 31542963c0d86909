/**
 * @module store/analysis: what each written survey answer says (`answer_analysis`, migration
 * 0012): the answers still to score, the scores stored, and the rows whose answer is gone.
 * Written answers are survey answers and follow-ups with a text; only those of people (not
 * bots) that count (signed, the one per offer and question: domain/answers.ts) are scored, so a
 * script sending made-up answers costs no model call.
 */
import { FLAG, UNCOUNTED } from '../domain/flags'
import type { Label } from '../domain/text/analyse'
import type { StoredAnalysis } from '../domain/answer-text'

/** An answer to score, as stored. */
export interface AnswerToScore {
  id: string
  survey: string
  text: string
  /** The answer's `lang` (the language its survey was shown in), if recorded. */
  lang: string | null
}

/** Written, by a person, counting: the answers scored (events of alias `e`). */
export const SCORED_ANSWERS = (e = 'e') =>
  `${e}.type IN ('survey_answer', 'survey_comment') AND (${e}.flags & ${FLAG.bot | UNCOUNTED}) = 0
   AND json_type(${e}.props, '$.text') = 'text' AND trim(${e}.props ->> '$.text') != '' AND ${e}.name IS NOT NULL`

/**
 * Answers without an analysis of `version`: of `ids` (answers that just reached D1), or else any
 * received before `receivedBefore` (the hourly sweep: a scoring message lost, or a new version).
 */
export async function answersToScore(
  db: D1Database,
  site: string,
  o: { version: number; limit: number; ids?: string[]; receivedBefore?: number },
): Promise<AnswerToScore[]> {
  const which = o.ids ? 'e.id IN (SELECT value FROM json_each(?4))' : 'e.received_at < ?4'
  const { results } = await db
    .prepare(
      `SELECT e.id, e.name AS survey, e.props ->> '$.text' AS text, e.props ->> '$.lang' AS lang
       FROM events e ${o.ids ? '' : 'INDEXED BY events_by_type'}
       WHERE e.site = ?1 AND ${which} AND ${SCORED_ANSWERS('e')}
         AND NOT EXISTS (SELECT 1 FROM answer_analysis a WHERE a.site = ?1 AND a.id = e.id AND a.version = ?2)
       LIMIT ?3`,
    )
    .bind(site, o.version, o.limit, o.ids ? JSON.stringify(o.ids) : (o.receivedBefore ?? 0))
    .all<{ id: string; survey: string; text: string; lang: unknown }>()
  return results.map((r) => ({ ...r, lang: typeof r.lang === 'string' ? r.lang : null }))
}

/**
 * Stores analyses (a second one of an answer replaces the first). Only for answers still stored:
 * one erased, or aged out, since it was read gets none.
 */
export async function saveAnalyses(
  db: D1Database,
  site: string,
  rows: ({ id: string } & StoredAnalysis)[],
  now: number,
): Promise<number> {
  if (!rows.length) return 0
  const r = await db
    .prepare(
      `INSERT INTO answer_analysis (site, id, visitor, survey, ts, lang, label, score, topics, themes, scorer, version,
         fallback, scored_at)
       SELECT e.site, e.id, e.visitor, e.name, e.ts, j.value ->> 'lang', j.value ->> 'label', j.value ->> 'score',
         j.value -> 'topics', j.value -> 'themes', j.value ->> 'scorer', j.value ->> 'version', j.value ->> 'fallback', ?3
       FROM json_each(?2) j JOIN events e ON e.site = ?1 AND e.id = j.value ->> 'id'
       WHERE NOT EXISTS (SELECT 1 FROM erased x WHERE x.site = ?1 AND x.visitor = e.visitor)
       ON CONFLICT (site, id) DO UPDATE SET lang = excluded.lang, label = excluded.label, score = excluded.score,
         topics = excluded.topics, themes = excluded.themes, scorer = excluded.scorer, version = excluded.version,
         fallback = excluded.fallback, scored_at = excluded.scored_at`,
    )
    .bind(site, JSON.stringify(rows), now)
    .run()
  return r.meta.changes ?? 0
}

/** Deletes the analyses, of answers dated before `before`, whose answer retention deleted. */
export async function forgetAnalysesWithoutAnswer(db: D1Database, site: string, before: number, limit = 10_000) {
  const r = await db
    .prepare(
      `DELETE FROM answer_analysis WHERE site = ?1 AND id IN (
         SELECT a.id FROM answer_analysis a WHERE a.site = ?1 AND a.ts < ?2
           AND NOT EXISTS (SELECT 1 FROM events e WHERE e.site = ?1 AND e.id = a.id) LIMIT ?3)`,
    )
    .bind(site, before, limit)
    .run()
  return r.meta.changes ?? 0
}

/** A stored row's analysis (its JSON columns parsed), or null for an answer not scored yet. */
export function analysisOf(r: {
  a_lang: string | null
  a_label: string | null
  a_score: number | null
  a_topics: string | null
  a_themes: string | null
  a_scorer: string | null
  a_version: number | null
  a_fallback: string | null
}): StoredAnalysis | null {
  if (r.a_label === null || r.a_lang === null) return null
  return {
    lang: r.a_lang,
    label: r.a_label as Label,
    score: r.a_score ?? 0,
    topics: JSON.parse(r.a_topics ?? '[]'),
    themes: JSON.parse(r.a_themes ?? '[]'),
    scorer: r.a_scorer ?? '',
    version: r.a_version ?? 0,
    fallback: r.a_fallback,
  }
}

/** The analysis columns of `answer_analysis` alias `a`, as analysisOf reads them. */
export const ANALYSIS_COLUMNS = (a = 'a') =>
  ['lang', 'label', 'score', 'topics', 'themes', 'scorer', 'version', 'fallback']
    .map((c) => `${a}.${c} AS a_${c}`)
    .join(', ')
