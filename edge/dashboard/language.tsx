/**
 * @module dashboard/language: which language the dashboard is shown in, and the switch that
 * changes it. The choice is kept in localStorage (it is the reader's, not the view's: a link
 * shared with a colleague opens in theirs); `<html lang dir>` follow it, so Hebrew and Arabic
 * mirror the layout (the CSS uses logical properties). A language other than English is shown
 * once its catalogue (a chunk of its own) is here, so no English shows before it.
 */
import { direction, LANGUAGE_NAMES, LOCALES, loadLocale, type Locale, pickLocale, setLocale, t } from './i18n'

const PICKED = 'ciel-dashboard-lang'

/** The reader's languages, their browser's first. */
const browserLanguages = (): readonly string[] => navigator.languages ?? [navigator.language]

/** How many languages were asked for: only the last one asked is shown, whichever chunk comes first. */
let asked = 0

/**
 * Shows the page in `l` once its catalogue is here: messages, `<html lang dir>`, and remembers it
 * when picked. Resolves to the language shown: English if `l`'s chunk could not be fetched, null
 * if another language was asked for meanwhile (that one is shown).
 */
export async function applyLocale(l: Locale, picked = false): Promise<Locale | null> {
  const mine = ++asked
  const shown = (await loadLocale(l)) ? l : 'en'
  if (mine !== asked) return null
  setLocale(shown, browserLanguages())
  document.documentElement.lang = shown
  document.documentElement.dir = direction(shown)
  if (picked && shown === l)
    try {
      localStorage.setItem(PICKED, l)
    } catch {
      // Storage refused (a private window's quota): the choice lasts as long as the page.
    }
  return shown
}

/** The language picked before with the switch, else the browser's; applied to the page once its words are here. */
export async function startLocale(): Promise<Locale> {
  let picked: string | null = null
  try {
    picked = localStorage.getItem(PICKED)
  } catch {
    // No storage: the browser's language.
  }
  return (await applyLocale(pickLocale(browserLanguages(), picked))) ?? 'en'
}

export function LanguageSwitch({ value, onChange }: { value: Locale; onChange: (l: Locale) => void }) {
  return (
    <label class="language">
      {t('language')}{' '}
      <select
        value={value}
        onChange={(e) => {
          const select = e.currentTarget
          void applyLocale(select.value as Locale, true).then((shown) => {
            if (!shown) return
            // Its chunk failed: the switch says English, as the page does (the state may not change).
            select.value = shown
            onChange(shown)
          })
        }}
      >
        {LOCALES.map((l) => (
          // Each language in its own words and direction, whatever the page's.
          <option value={l} key={l} lang={l} dir={direction(l)}>
            {LANGUAGE_NAMES[l]}
          </option>
        ))}
      </select>
    </label>
  )
}
