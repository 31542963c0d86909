/**
 * @module dashboard/experiment-form: each slot's experiment in Settings, as a form: created on a
 * slot that has none (saved stopped, then started with its switch), started and stopped, and its
 * arms (variants), goal, guardrail, window, holdout, smallest lift worth detecting and allocation
 * (a fixed split or a bandit) edited. Every change is one save of the slots list; the worker's
 * message is said above (naming the slot) and beside the field it names.
 */
import { useState } from 'preact/hooks'
import type { ExperimentConfig, SlotConfig } from '../../snippet/contract/wire'
import type { Site, SitePatch } from './api'
import { tx } from './i18n/nodes'
import { t } from './i18n'
import { atFieldMessage, ownerMessage, pathOf } from './problem'

/** An experiment's field a refusal names (`config.slots[2].experiment.goal.type` → `goal.type`), for its input's name. */
const experimentField = (path: string) => /\.experiment\.([\w.]+)/.exec(path.replace(/\[\d+\]/g, ''))?.[1] ?? ''

/** A list typed with commas: `trial, annual` → ['trial', 'annual']. */
const listOf = (s: string) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean)

/** Event types a goal or guardrail is usually one of (others may be typed). */
const EVENT_TYPES = ['step', 'track', 'pageview', 'click', 'rage_click', 'dead_click', 'error_click', 'stall']

/** What a new experiment's form starts from: nothing chosen yet. */
const BLANK: ExperimentConfig = { id: '', variants: [], goal: { type: 'step' } }

interface Bad {
  slot: string
  field: string
  whole: string
  here: string
}

export function Experiments({ s, save }: { s: Site; save: (patch: SitePatch) => Promise<void> }) {
  const slots = s.config.slots ?? []
  const [bad, setBad] = useState<Bad | null>(null)
  /** Slots whose new experiment's form is open. */
  const [adding, setAdding] = useState<string[]>([])
  /** The whole slots list with one slot's experiment set: one PATCH. */
  const change = (slot: string, f: (e: ExperimentConfig | undefined) => ExperimentConfig) => {
    setBad(null)
    save({
      config: {
        slots: slots.map((x) => (x.id === slot ? { ...x, experiment: f(x.experiment && { ...x.experiment }) } : x)),
      },
    }).catch((e) =>
      setBad({ slot, field: experimentField(pathOf(e)), whole: ownerMessage(e, s), here: atFieldMessage(e) }),
    )
  }
  return (
    <fieldset>
      <legend>{t('expLegend')}</legend>
      <p id="experiments-error" role="alert" class="error">
        {bad?.whole}
      </p>
      <datalist id="exp-event-types">
        {EVENT_TYPES.map((x) => (
          <option value={x} key={x} />
        ))}
      </datalist>
      {!slots.length && <p class="note">{t('expNoSlot')}</p>}
      {slots.map((x) =>
        x.experiment ? (
          <ExperimentForm key={x.id} slot={x} e={x.experiment} bad={bad} change={change} />
        ) : adding.includes(x.id) ? (
          <ExperimentForm
            key={x.id}
            slot={x}
            e={BLANK}
            bad={bad}
            change={change}
            cancel={() => setAdding(adding.filter((a) => a !== x.id))}
          />
        ) : (
          <p key={x.id}>
            <button type="button" onClick={() => setAdding([...adding, x.id])}>
              {tx('expNew', { slot: <code>{x.id}</code> })}
            </button>
          </p>
        ),
      )}
    </fieldset>
  )
}

/** One experiment's form; `cancel`: a new one, not saved yet (saved stopped, with its id). */
function ExperimentForm({
  slot: x,
  e,
  bad,
  change,
  cancel,
}: {
  slot: SlotConfig
  e: ExperimentConfig
  bad: Bad | null
  change: (slot: string, f: (e: ExperimentConfig | undefined) => ExperimentConfig) => void
  cancel?: () => void
}) {
  const on = e.on !== false
  const fresh = !!cancel
  /** An input of the experiment, with the worker's message beside it when it names it. */
  const input = (label: string, name: string, value: unknown, more: Record<string, unknown> = {}) => {
    const named = bad?.slot === x.id && bad.field === name
    const id = `exp-${x.id}-${name.replace('.', '-')}`
    return (
      <>
        <label>
          {label}{' '}
          <input
            name={name}
            defaultValue={value === undefined ? '' : String(value)}
            aria-invalid={named || undefined}
            aria-describedby={named ? `${id}-error experiments-error` : undefined}
            {...more}
          />
        </label>{' '}
        {named && (
          <span id={`${id}-error`} class="error">
            {bad.here}
          </span>
        )}
      </>
    )
  }
  const event = { size: 10, list: 'exp-event-types' }
  return (
    <form
      class="experiment"
      noValidate
      aria-label={fresh ? t('expNewForm', { slot: x.id }) : t('expForm', { id: e.id, slot: x.id })}
      onSubmit={(ev) => {
        ev.preventDefault()
        const f = new FormData(ev.currentTarget)
        const field = (k: string) => String(f.get(k) ?? '').trim()
        const match = (k: 'goal' | 'guardrail') => {
          const m: ExperimentConfig['goal'] = { type: field(`${k}.type`) }
          for (const p of ['name', 'step'] as const) if (field(`${k}.${p}`)) m[p] = field(`${k}.${p}`)
          return m
        }
        const num = (k: string) => (field(k) === '' ? undefined : Number(field(k)))
        change(x.id, (ex) => ({
          ...(ex ?? { id: field('id'), on: false }),
          variants: listOf(field('variants')),
          goal: match('goal'),
          guardrail: field('guardrail.type') ? match('guardrail') : undefined,
          windowDays: num('windowDays'),
          holdout: num('holdout'),
          minimumLift: num('minimumLift'),
          allocation: field('allocation') === 'thompson' ? 'thompson' : 'split',
        }))
      }}
    >
      {fresh ? (
        <>
          <p>
            <code>
              <strong>{x.id}</strong>
            </code>
            : {input(t('expId'), 'id', '', { size: 16 })}
          </p>
          <p class="note">{t('expCreateNote')}</p>
        </>
      ) : (
        <p>
          <code>
            <strong>{x.id}</strong>
          </code>
          : <code>{e.id}</code>{' '}
          <button
            type="button"
            role="switch"
            aria-checked={on}
            aria-label={t('expRunning', { id: e.id })}
            onClick={() => change(x.id, (ex) => ({ ...ex!, on: !on }))}
          >
            {on ? t('expOn') : t('expOff')}
          </button>
        </p>
      )}
      {input(e.control === false ? t('expArmsOnly') : t('expArms'), 'variants', e.variants.join(', '), {
        list: x.variants ? `exp-${x.id}-variants` : undefined,
      })}
      {x.variants && (
        <datalist id={`exp-${x.id}-variants`}>
          {x.variants.map((v) => (
            <option value={v} key={v} />
          ))}
        </datalist>
      )}
      <br />
      {input(t('expGoalType'), 'goal.type', e.goal.type, event)}
      {input(t('expGoalName'), 'goal.name', e.goal.name, { size: 12 })}
      {input(t('expGoalStep'), 'goal.step', e.goal.step, { size: 10 })}
      <br />
      {input(t('expGuardType'), 'guardrail.type', e.guardrail?.type, event)}
      {input(t('expGuardName'), 'guardrail.name', e.guardrail?.name, { size: 12 })}
      {input(t('expGuardStep'), 'guardrail.step', e.guardrail?.step, { size: 10 })}
      <br />
      {input(t('expWindow'), 'windowDays', e.windowDays, { type: 'number', size: 4 })}
      {input(t('expHoldout'), 'holdout', e.holdout, { type: 'number', step: 'any', size: 4 })}
      {input(t('expLift'), 'minimumLift', e.minimumLift, { type: 'number', step: 'any', size: 4 })}
      <label>
        {t('expAllocation')}{' '}
        <select name="allocation">
          {/* selected, not the select's defaultValue: Preact has no default for a select */}
          <option value="split" selected={e.allocation !== 'thompson'}>
            {t('expSplit')}
          </option>
          <option value="thompson" selected={e.allocation === 'thompson'}>
            {t('expBandit')}
          </option>
        </select>
      </label>{' '}
      {fresh ? (
        <>
          <button type="submit">{t('expCreate')}</button>{' '}
          <button type="button" onClick={cancel}>
            {t('expCancel')}
          </button>
        </>
      ) : (
        <button type="submit">{tx('expSave', { id: <code>{e.id}</code> })}</button>
      )}
    </form>
  )
}
