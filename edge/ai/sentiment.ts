/**
 * @module ai/sentiment: the sentiment of one written answer by Workers AI, when the deploy binds
 * `AI` (`[ai] binding = "AI"`). Called only by the scoring job (jobs/score.ts), once per answer
 * when it arrives, never when the insights are read. Nothing here calls a host of its own:
 * Workers AI is a binding of the account the worker runs on. What is asked and how the reply
 * is read: domain/sentiment-prompt.ts.
 */
import type { Label } from '../domain/text/analyse'
import { PROMPT_VERSION, readReply, REPLY_SCHEMA, sentimentMessages } from '../domain/sentiment-prompt'

/** A multilingual instruction model with JSON mode. */
export const AI_MODEL = '@cf/meta/llama-3.1-8b-instruct'
/** What is stored as the scorer of an answer Workers AI labelled. */
export const AI_SCORER = `workers-ai ${AI_MODEL} prompt ${PROMPT_VERSION}`
/** A call that has not answered by then has failed (the offline scorer stands in). */
const TIMEOUT_MS = 20_000

/** What the scorer needs of the binding (tests give a fake). */
export interface AiBinding {
  run(model: string, input: object): Promise<unknown>
}

/** Workers AI's label and score of the answer, or why it could not give them. */
export async function aiSentiment(
  ai: AiBinding,
  text: string,
  lang: string,
): Promise<{ label: Label; score: number } | { error: string }> {
  let timer: ReturnType<typeof setTimeout> | undefined
  try {
    const reply = await Promise.race([
      ai.run(AI_MODEL, {
        messages: sentimentMessages(text, lang),
        response_format: { type: 'json_schema', json_schema: REPLY_SCHEMA },
        // The same answer gets the same label every time.
        temperature: 0,
        max_tokens: 40,
      }),
      new Promise<never>((_, fail) => {
        timer = setTimeout(() => fail(new Error(`no answer in ${TIMEOUT_MS / 1000} s`)), TIMEOUT_MS)
      }),
    ])
    return readReply(reply)
  } catch (e) {
    return { error: `the call failed: ${e instanceof Error ? e.message : String(e)}`.slice(0, 200) }
  } finally {
    clearTimeout(timer)
  }
}
