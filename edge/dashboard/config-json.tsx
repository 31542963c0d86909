/**
 * @module dashboard/config-json: the config's lists (funnels, segments, slots, surveys) edited as
 * JSON, checked by the worker's own schema, its message shown next to the field; and a list's
 * form with, behind an advanced toggle, the JSON it saves. Either saves the whole list in one PATCH.
 */
import type { ComponentChildren } from 'preact'
import { useState } from 'preact/hooks'
import type { SiteConfig } from '../../snippet/contract/wire'
import { messageOf, type MergePatch, type SitePatch } from './api'
import { t } from './i18n'

/** One PATCH of the site; rejects with the worker's refusal. */
export type Save = (patch: SitePatch) => Promise<void>

/** The config's lists edited as JSON. */
type ListField = 'funnels' | 'segments' | 'slots' | 'surveys'

/**
 * Saves one of the config's lists with what the owner typed: JSON of no known type until the
 * worker's schema, which refuses the whole save, has checked it. Arrays replace the whole list
 * (merge patch); an empty list removes it.
 */
const saveList = (save: Save, field: ListField, list: unknown) =>
  save({ config: { [field]: Array.isArray(list) && !list.length ? null : list } as MergePatch<SiteConfig> })

interface JsonPart {
  label: string
  /** What the JSON holds, with an example (in a <code>). */
  hint: ComponentChildren
  saveLabel: string
  extra?: (parsed: unknown) => ComponentChildren
}

/** One part of the config, edited as JSON; the worker's schema says what is wrong. */
export function ConfigPart({
  label,
  field,
  value,
  hint,
  saveLabel,
  save,
  extra,
}: JsonPart & { field: ListField; value: unknown; save: Save }) {
  const [text, setText] = useState(JSON.stringify(value ?? [], null, 2))
  const [bad, setBad] = useState('')
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    parsed = undefined
  }
  const id = `cfg-${field}`
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault()
        if (parsed === undefined) return setBad(t('notJson'))
        setBad('')
        saveList(save, field, parsed).catch((err) => setBad(messageOf(err)))
      }}
    >
      <fieldset>
        <legend>{label}</legend>
        <label for={id}>{hint}</label>
        <textarea
          id={id}
          rows={8}
          spellcheck={false}
          value={text}
          aria-invalid={!!bad}
          aria-describedby={`${id}-error`}
          onInput={(e) => setText(e.currentTarget.value)}
        />
        <p id={`${id}-error`} role="alert" class="error">
          {bad}
        </p>
        {extra?.(parsed)}
        <button type="submit">{saveLabel}</button>
      </fieldset>
    </form>
  )
}

/**
 * A list of the config as a form, or (an advanced toggle, `edit`) as the JSON it saves. `form`
 * is given the list's save (rejects with the worker's refusal).
 */
export function JsonOrForm({
  field,
  value,
  save,
  edit,
  form,
  json,
}: {
  field: Exclude<ListField, 'surveys'>
  value: unknown
  save: Save
  edit: string
  form: (save: (list: unknown[]) => Promise<void>) => ComponentChildren
  json: JsonPart
}) {
  const [raw, setRaw] = useState(false)
  return (
    <div class="or-json">
      <label class="inline">
        <input type="checkbox" checked={raw} onChange={(e) => setRaw(e.currentTarget.checked)} /> {edit}
      </label>
      {raw ? (
        <ConfigPart {...json} field={field} value={value} save={save} />
      ) : (
        form((list) => saveList(save, field, list))
      )}
    </div>
  )
}
