/**
 * @module ai/sentiment: sentiment of written answers behind one interface, two implementations:
 * Workers AI when the worker has an `AI` binding (a deploy with `[ai] binding = "AI"`), and the
 * offline lexicon (domain/sentiment.ts) otherwise, which is what `npm start` uses. Nothing here
 * calls a host of its own: Workers AI is a binding of the account the worker runs on.
 */
import type { Env } from '../env'
import { polarity, type Polarity } from '../domain/sentiment'

export interface SentimentModel {
  name: 'workers-ai' | 'lexicon'
  classify(answers: { text: string; lang: string }[]): Promise<Polarity[]>
}

export const lexiconModel: SentimentModel = {
  name: 'lexicon',
  classify: async (answers) => answers.map((a) => polarity(a.text, a.lang)),
}

/** A multilingual instruction model on Workers AI; an answer it cannot classify falls back to the lexicon. */
export const AI_MODEL = '@cf/meta/llama-3.1-8b-instruct'
const PROMPT =
  'You classify answers to a customer survey of a software product. The answer may be in English, Polish, ' +
  'Hebrew or Arabic. Reply with exactly one word: positive, neutral or negative. Mixed answers: the point ' +
  'the customer makes (usually after "but"). Requests and facts without feeling: neutral.'

export function workersAiModel(ai: Ai, most = 200): SentimentModel {
  return {
    name: 'workers-ai',
    async classify(answers) {
      return Promise.all(
        answers.map(async (a, i) => {
          if (i >= most) return polarity(a.text, a.lang) // bounded cost per request
          try {
            const r = (await (ai as any).run(AI_MODEL, {
              messages: [
                { role: 'system', content: PROMPT },
                { role: 'user', content: a.text.slice(0, 1000) },
              ],
              max_tokens: 4,
            })) as { response?: string }
            const word = /positive|neutral|negative/.exec(String(r.response ?? '').toLowerCase())?.[0]
            return (word as Polarity | undefined) ?? polarity(a.text, a.lang)
          } catch {
            return polarity(a.text, a.lang)
          }
        }),
      )
    },
  }
}

/** Workers AI when bound, else the offline lexicon. */
export const sentimentModel = (env: Env): SentimentModel => (env.AI ? workersAiModel(env.AI) : lexiconModel)
