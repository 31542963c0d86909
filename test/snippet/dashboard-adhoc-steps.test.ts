/** An ad hoc funnel's steps between the form, the URL and the API, and the worker's refusals turned towards the form's fields. */
import { describe, expect, it } from 'vitest'
import { askProblem, funnelOf, saveProblem, stepsOf, stepsText } from '../../edge/dashboard/adhoc-steps'
import { atFieldMessage, pathOf } from '../../edge/dashboard/problem'

/** A refusal as the worker sends it (api.ts's ApiError: a message and the field it names). */
class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly path: string,
  ) {
    super(message)
  }
}

describe('ad hoc funnel steps', () => {
  it('reads back from the URL as written, a path pattern with its own colons included', () => {
    const text = 'page:/plans/:plan,track:signup_started,step:onboarding/done'
    expect(stepsOf(text)).toEqual([
      { kind: 'page', value: '/plans/:plan' },
      { kind: 'track', value: 'signup_started' },
      { kind: 'step', value: 'onboarding/done' },
    ])
    expect(stepsText(stepsOf(text))).toBe(text)
  })

  it('saves each step under its value, and under kind:value when two steps share one', () => {
    const steps = stepsOf('page:/docs/*,track:/docs/*,track:paid')
    expect(funnelOf(' docs ', steps, '')).toEqual({
      id: 'docs',
      steps: [
        { id: 'page:/docs/*', page: '/docs/*' },
        { id: 'track:/docs/*', track: '/docs/*' },
        { id: 'paid', track: 'paid' },
      ],
    })
    expect(funnelOf('docs', steps, '14').window).toBe(14)
  })

  it('puts the worker’s refusal beside the step it quotes, the window, or the name', () => {
    const steps = stepsOf('page:/pricing,page:pricing')
    const at = (e: unknown) => [pathOf(e), atFieldMessage(e)]
    const step = new ApiError(
      400,
      "steps: 'page:pricing' must name a path starting with /, like page:/pricing",
      'steps',
    )
    expect(at(askProblem(step, steps))).toEqual([
      'steps[1].value',
      'Must name a path starting with /, like page:/pricing',
    ])
    const window = new ApiError(400, '?window must be a whole number of days from 1 to 90', 'window')
    expect(at(askProblem(window, steps))).toEqual(['window', 'Must be a whole number of days from 1 to 90'])
    const name = new ApiError(
      400,
      "config.funnels[2].id must be 1-64 letters, digits, '-' or '_'",
      'config.funnels[2].id',
    )
    expect(at(saveProblem(name, 2))).toEqual(['name', "Must be 1-64 letters, digits, '-' or '_'"])
    const page = new ApiError(
      400,
      'config.funnels[2].steps[0].page must be a URL path',
      'config.funnels[2].steps[0].page',
    )
    expect(at(saveProblem(page, 2))).toEqual(['steps[0].value', 'Must be a URL path'])
    // Another funnel's problem is not the form's.
    const other = new ApiError(400, 'config.funnels[0].id must be…', 'config.funnels[0].id')
    expect(saveProblem(other, 2)).toBe(other)
  })
})
