/**
 * @module dashboard/preview: the survey editor's live preview (`/dashboard/preview`, in an
 * iframe). It shows the survey with the snippet's own survey chunk, the very file pages load,
 * so what the editor shows is what a visitor will see: same UI, words, branching and language
 * pick, right to left for Hebrew and Arabic. The editor posts `{survey, lang, language}` to
 * this frame (postMessage); each change shows the survey again. Nothing is recorded: the chunk's
 * events go nowhere.
 *
 * Only the dashboard that frames this page can show a survey in it: a message counts only from
 * this origin and from the parent window, and no other site may frame the page (the build's
 * `_headers`). A link to it shows nothing, so it cannot be made to show someone's words on a
 * ciel page.
 */
import type { Ctx } from '../../snippet/contract/context'
import type { SurveyConfig } from '../../snippet/contract/wire'

/** The survey chunk's file (`c/survey-[hash].js`), baked in by the build. */
declare const __SURVEY__: string

interface Shown {
  survey: SurveyConfig
  /** The visitor's language: the page's `<html lang>`. */
  lang: string
  /** The site's default language (the fallback of texts given by language). */
  language?: string
}

type Chunk = { show(s: string, ctx: Ctx): Promise<void> }
let chunk: Promise<Chunk> | undefined
let queue: Promise<unknown> = Promise.resolve()

/** Shows the survey the editor sent. */
async function draw(p: Shown) {
  document.querySelectorAll('[data-ciel-survey]').forEach((old) => old.remove())
  document.documentElement.lang = p.lang
  if (!chunk) chunk = import(new URL('/' + __SURVEY__, location.href).href) as Promise<Chunk>
  const ctx: Ctx = {
    emit() {},
    config: { surveys: [p.survey], language: p.language },
    ready: Promise.resolve(),
    listen() {},
  }
  // As the page asking for it (`ciel('survey', id)`): at once, whatever its trigger says.
  await (await chunk).show(p.survey.id, ctx)
  document.body.dataset.shown = p.lang
}

// The survey shows as the page asked for it, which takes the keyboard to its first question:
// here only when the preview itself has the focus, never from the editor being typed in.
const focus = HTMLElement.prototype.focus
HTMLElement.prototype.focus = function (this: HTMLElement, o?: FocusOptions) {
  if (document.hasFocus()) focus.call(this, o)
}

addEventListener('message', (e: MessageEvent<Shown>) => {
  if (e.origin !== location.origin || parent === window || e.source !== parent) return
  const p = e.data
  if (typeof p !== 'object' || !p?.survey || typeof p.lang !== 'string') return
  // One at a time: the newest wins.
  queue = queue.then(
    () => draw(p),
    () => draw(p),
  )
})
document.body.dataset.listening = ''
