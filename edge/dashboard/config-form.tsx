/**
 * @module dashboard/config-form: the parts every Settings form that edits one of the config's
 * lists (funnels, segments, slots) has: its frame (a legend, which names the form, and below
 * what it holds a button that adds an item and one that saves the whole list), each item's
 * fieldset with its id, and an item's labelled inputs. A refused save is shown at the field it
 * names (field-problem.tsx).
 */
import type { ComponentChildren } from 'preact'
import type { FieldProblem } from './field-problem'
import { t } from './i18n'

/**
 * `field`: the list's name in the config (and the id `useFieldProblem` was given); `list`: the
 * list to save, or undefined when the form itself says why not; `save` rejects with the
 * worker's refusal.
 */
export function ConfigForm<T>({
  field,
  problem: p,
  legend,
  list,
  save,
  add,
  addLabel,
  saveLabel,
  children,
}: {
  field: string
  problem: FieldProblem
  legend: string
  list: () => T[] | undefined
  save: (list: T[]) => Promise<void>
  add: () => void
  addLabel: string
  saveLabel: string
  children: ComponentChildren
}) {
  return (
    <form
      ref={p.form}
      noValidate
      class="config-form"
      aria-labelledby={`${field}-legend`}
      onSubmit={(e) => {
        e.preventDefault()
        p.clear()
        const l = list()
        if (l) save(l).catch((err) => p.refused(err, { [field]: l }))
      }}
    >
      <fieldset>
        <legend id={`${field}-legend`}>{legend}</legend>
        {children}
        <button type="button" onClick={add}>
          {addLabel}
        </button>{' '}
        <button type="submit">{saveLabel}</button>
      </fieldset>
    </form>
  )
}

/**
 * An item of the list (a funnel, a segment, a slot) as a fieldset marked with its config path
 * (`at`: `funnels[0]`), named by `legend`, the refusal's message for the whole item, then its id's
 * input and what `children` add. `attributes`: more of the fieldset's (its class).
 */
export function ConfigItem({
  problem: p,
  at,
  legend,
  id,
  setId,
  attributes,
  children,
}: {
  problem: FieldProblem
  at: string
  legend: string
  id: string
  setId: (id: string) => void
  attributes: Record<string, unknown>
  children: ComponentChildren
}) {
  return (
    <fieldset {...attributes} {...p.mark(at)}>
      <legend>{legend}</legend>
      {p.why(at)}
      <ItemField problem={p} label={t('ffId')} path={`${at}.id`} value={id} onInput={setId} />
      {children}
    </fieldset>
  )
}

/**
 * A labelled input of an item of the list (its id, a funnel's window), marked with its config
 * path (`funnels[0].window`), the refusal's message after it when it names it. `input`: more
 * attributes of the input (type, size).
 */
export function ItemField({
  problem: p,
  label,
  path,
  value,
  onInput,
  input,
}: {
  problem: FieldProblem
  label: string
  path: string
  value: string
  onInput: (value: string) => void
  input?: Record<string, unknown>
}) {
  return (
    <>
      <label>
        {label} <input {...input} value={value} onInput={(e) => onInput(e.currentTarget.value)} {...p.mark(path)} />
      </label>
      {p.why(path)}
    </>
  )
}
