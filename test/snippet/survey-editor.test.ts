/** The dashboard's survey editor: how it writes texts, where it puts the worker's message, what it saves. */
import { describe, expect, it } from 'vitest'
import demo from '../../demo-site/sites.json'
import { cleaned, editable, fieldOf, languagesIn, problemOf, withText } from '../../edge/dashboard/survey-editor'
import { validateSite } from '../../edge/domain/site'
import type { SiteConfig } from '../../snippet/contract/wire'

describe('survey editor', () => {
  it('keeps a text in the site language alone a plain string, and makes it a map once another language is written', () => {
    expect(withText(undefined, 'en', 'How likely?', 'en')).toBe('How likely?')
    expect(withText('How likely?', 'he', 'עד כמה?', 'en')).toEqual({ en: 'How likely?', he: 'עד כמה?' })
    expect(withText({ en: 'How likely?', he: 'עד כמה?' }, 'he', '', 'en')).toBe('How likely?')
    // Hebrew alone is a map: a plain string would be read as the site's language.
    expect(withText(undefined, 'he', 'עד כמה?', 'en')).toEqual({ he: 'עד כמה?' })
    expect(withText({ he: 'עד כמה?' }, 'he', '', 'en')).toBeUndefined()
  })

  it("finds the field the worker's message names", () => {
    expect(fieldOf('config.surveys[4].trigger.path must be a URL path starting with /')).toBe('trigger.path')
    expect(fieldOf('config.surveys[0].questions[1].options[0].text.he must be a non-empty string')).toBe(
      'questions[1].options[0].text.he',
    )
    expect(fieldOf("surveys[2] 'nps': audience.segment names no segment of the site ('vip')")).toBe('audience.segment')
    expect(fieldOf('config is larger than 64 KB')).toBe('')
  })

  it('puts the message at the field the refusal names in its path, whatever the message says', () => {
    // As api.ts's ApiError carries a body `{error, path}`.
    const refused = Object.assign(new Error('must be a URL path starting with /'), {
      path: 'config.surveys[4].trigger.path',
    })
    expect(problemOf(refused)).toEqual({
      at: 'trigger.path',
      message: 'must be a URL path starting with /',
      here: 'must be a URL path starting with /',
    })
    // A refusal without a path: the field its message starts with, in words, the survey by its id.
    expect(problemOf(new Error('config.surveys[0].sample must be a share from 0 to 1'), [{ id: 'nps' }])).toEqual({
      at: 'sample',
      message: 'Survey “nps” › share asked must be a share from 0 to 1',
      here: 'Must be a share from 0 to 1',
    })
  })

  it('saves no empty parts: no empty trigger, audience, branches or unchecked switches', () => {
    expect(
      cleaned({
        id: 's',
        on: false,
        questions: [
          { id: 'q1', type: 'nps', text: 'How likely?', required: true, branch: [] },
          { id: 'q2', type: 'text', text: 'Why?', required: false, other: false },
          { id: 'q3', type: 'single', text: 'Which?', options: [{ id: 'a', text: 'A' }], other: false },
        ],
        trigger: {},
        audience: { paths: [] },
        thanks: { text: undefined },
        sample: undefined,
      }),
    ).toEqual({
      id: 's',
      on: false,
      questions: [
        { id: 'q1', type: 'nps', text: 'How likely?', required: true },
        { id: 'q2', type: 'text', text: 'Why?' },
        { id: 'q3', type: 'single', text: 'Which?', options: [{ id: 'a', text: 'A' }] },
      ],
    })
  })

  it("saves each of the demo's surveys, opened and saved unchanged, as a valid survey of the same questions", () => {
    const config = ((Array.isArray(demo) ? demo[0] : demo) as { config: unknown }).config as SiteConfig
    const surveys = config.surveys!.map((s) => cleaned(editable(s)))
    const r = validateSite('demo', { config: { ...config, surveys } })
    expect(r.ok ? null : r.error).toBeNull()
    const legacy = config.surveys!.find((s) => s.kind === 'nps' && s.followUp)!
    expect(cleaned(editable(legacy)).questions).toEqual([
      { id: 'nps', type: 'nps', text: legacy.question, required: true },
      { id: 'followUp', type: 'text', text: legacy.followUp, required: true },
    ])
  })
})

describe('the languages of a survey', () => {
  it('are the keys of its texts, not its ids or branch targets', () => {
    const survey = {
      id: 'nps',
      questions: [
        { id: 'q1', type: 'nps' as const, text: { en: 'How likely?', he: 'עד כמה?' }, branch: [{ max: 6, to: 'q2' }] },
        { id: 'q2', type: 'single' as const, text: 'Why?', options: [{ id: 'a', text: { pl: 'Cena' } }] },
      ],
      labels: { send: { ar: 'إرسال' } },
    }
    expect(languagesIn(survey, 'en')).toEqual(['en', 'he', 'pl', 'ar'])
  })
})
