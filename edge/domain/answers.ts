/**
 * @module answers: which signed survey answers count. Pure; the visitor shard keeps the state.
 *
 * A signed offer (offers.ts) proves the worker offered the survey to that visitor; it does not
 * stop whoever holds it from sending the same answer many times. So per visitor, survey and
 * question one answer counts per re-ask period: the first given with an offer, and again the
 * first with an offer made a whole period later. The period is the survey's `recontactDays`, or
 * a day (the least gap between two surveys the worker offers) for a survey without one: a
 * feedback button pressed again the next day counts again. It is measured between the offers'
 * times, which the worker signed (the page cannot set them), so one offer counts once and
 * answers dated back gain nothing. An answer to a question the survey does not have never
 * counts (a one-question survey's answers all answer its question). The rest are stored flagged `FLAG.extra`: counted apart, left out of NPS and CSAT,
 * never alerting.
 *
 * What this cannot stop: a script can make up new visitor ids, and each can earn an offer (a
 * page reports `survey_shown` of a survey it showed on request, and the worker signs it), so one
 * answer per made-up visitor counts. Each costs two requests, which the per-address rate limit
 * counts (middleware/rate.ts); an offer is bound to its visitor id, so it cannot be shared.
 */
import type { SurveyConfig, WireEvent } from '../../snippet/contract/wire'
import { questionsOf } from '../../snippet/contract/survey-model'
import { answerOf } from './alerts'
import { offerTime } from './offers'
import { SURVEY_GAP_MS } from './surveys'

const DAY_MS = 86_400_000

/** A signed answer asking to count: its event, survey question, offer time and re-ask period. */
export interface AnswerClaim {
  id: string
  survey: string
  /** The question (a one-question survey's follow-up comment: `followUp`). */
  q: string
  /** When its offer was made (ms, the worker's clock). */
  at: number
  /** The survey's re-ask period (ms). */
  period: number
}

/**
 * The claims of a batch's answers that carry a valid offer (`signed`), in batch order, and the
 * ids of those that answer no question of their survey (`stray`: never counted). Answers to a
 * survey the site no longer has claim nothing (no report or alert reads them).
 */
export function answerClaims(
  surveys: SurveyConfig[] | undefined,
  events: WireEvent[],
  signed: (e: WireEvent) => boolean,
): { claims: AnswerClaim[]; stray: string[] } {
  const claims: AnswerClaim[] = []
  const stray: string[] = []
  for (const e of events) {
    if ((e.type !== 'survey_answer' && e.type !== 'survey_comment') || !e.hash || !signed(e)) continue
    const survey = surveys?.find((s) => s.id === e.name)
    if (!survey) continue
    // A one-question survey's answers answer its one question (its comments, the follow-up).
    const q =
      e.type === 'survey_comment' ? 'followUp' : survey.questions ? answerOf(e.props)?.q : questionsOf(survey)[0]!.id
    if (e.type === 'survey_answer' && !questionsOf(survey).some((x) => x.id === q)) {
      stray.push(e.id)
      continue
    }
    const period = survey.recontactDays ? survey.recontactDays * DAY_MS : SURVEY_GAP_MS
    claims.push({ id: e.id, survey: survey.id, q: q!, at: offerTime(e.hash), period })
  }
  return { claims, stray }
}
