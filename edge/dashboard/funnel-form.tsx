/**
 * @module dashboard/funnel-form: the site's funnels as a form: each funnel's id and window, its
 * steps in order (a step event, a page view, a custom event or a step of another funnel), added,
 * removed and moved with buttons. Saved as one list; the worker's refusal shows at its field.
 */
import type { FunnelConfig } from '../../snippet/contract/wire'
import { useFieldProblem } from './field-problem'
import { useDrafts } from './drafts'
import { ConfigForm, ConfigItem, ItemField } from './config-form'
import { RowButtons } from './row-buttons'
import { t } from './i18n'

type Kind = 'event' | 'page' | 'track' | 'step'
const KINDS: Kind[] = ['event', 'page', 'track', 'step']

interface StepDraft {
  kind: Kind
  /** The step event's name, the path, the custom event's name or 'funnel/step'. */
  value: string
  /** The step's name, for kinds other than `event` (whose name is its value); '' for the value. */
  name: string
  seconds: string
}
interface FunnelDraft {
  id: string
  window: string
  steps: StepDraft[]
}

const draftOf = (f: FunnelConfig): FunnelDraft => ({
  id: f.id,
  window: f.window === undefined ? '' : String(f.window),
  steps: f.steps.map((s) => {
    const kind: Kind =
      s.page !== undefined ? 'page' : s.track !== undefined ? 'track' : s.step !== undefined ? 'step' : 'event'
    const value = kind === 'event' ? s.id : s[kind]!
    return {
      kind,
      value,
      name: kind === 'event' || s.id === value ? '' : s.id,
      seconds: s.maxSeconds === undefined ? '' : String(s.maxSeconds),
    }
  }),
})

/** A number typed, or what was typed (the worker says why it is not one); undefined when empty. */
const numberOf = (s: string): number | undefined => (s.trim() === '' ? undefined : Number(s))

export function funnelsOf(drafts: FunnelDraft[]): FunnelConfig[] {
  return drafts.map((d) => {
    const f: FunnelConfig = {
      id: d.id.trim(),
      steps: d.steps.map((s) => {
        const value = s.value.trim()
        const step: FunnelConfig['steps'][number] = { id: s.kind === 'event' ? value : s.name.trim() || value }
        if (s.kind !== 'event') step[s.kind] = value
        const seconds = numberOf(s.seconds)
        if (seconds !== undefined) step.maxSeconds = seconds
        return step
      }),
    }
    const window = numberOf(d.window)
    if (window !== undefined) f.window = window
    return f
  })
}

const newStep = (): StepDraft => ({ kind: 'event', value: '', name: '', seconds: '' })

/** `save`: the list to save (empty: none); rejects with the worker's refusal. */
export function FunnelForm({
  funnels,
  save,
}: {
  funnels: FunnelConfig[]
  save: (list: FunnelConfig[]) => Promise<void>
}) {
  const [drafts, set] = useDrafts<FunnelDraft>(() => funnels.map(draftOf))
  const p = useFieldProblem('funnels')
  return (
    <ConfigForm
      field="funnels"
      problem={p}
      legend={t('ffLegend')}
      list={() => funnelsOf(drafts)}
      save={save}
      add={() => set((l) => l.push({ id: '', window: '', steps: [newStep()] }))}
      addLabel={t('ffAdd')}
      saveLabel={t('ffSave')}
    >
      {p.above()}
      {!drafts.length && <p class="note">{t('ffNone')}</p>}
      {drafts.map((d, i) => {
        const name = d.id || `${i + 1}`
        const at = `funnels[${i}]`
        return (
          <ConfigItem
            key={i}
            problem={p}
            at={at}
            legend={t('ffFunnel', { name })}
            id={d.id}
            setId={(v) => set((l) => (l[i]!.id = v))}
            attributes={{ class: 'funnel' }}
          >
            <ItemField
              problem={p}
              label={t('ffWindow')}
              path={`${at}.window`}
              value={d.window}
              onInput={(v) => set((l) => (l[i]!.window = v))}
              input={{ type: 'number', inputMode: 'numeric', size: 4 }}
            />
            <ol class="steps" {...p.mark(`${at}.steps`)}>
              {d.steps.map((s, j) => {
                const sat = `${at}.steps[${j}]`
                const n = t('ffStepOf', { name, n: j + 1 })
                const valueAt = `${sat}.${s.kind === 'event' ? 'id' : s.kind}`
                return (
                  <li key={j} {...p.mark(sat)}>
                    <select
                      aria-label={`${n}: ${t('ffKind')}`}
                      value={s.kind}
                      onChange={(e) => set((l) => (l[i]!.steps[j]!.kind = (e.currentTarget.value as Kind) || 'event'))}
                    >
                      {KINDS.map((k) => (
                        <option value={k} key={k}>
                          {t(`ffKind:${k}`)}
                        </option>
                      ))}
                    </select>{' '}
                    <input
                      aria-label={`${n}: ${t(`ffKind:${s.kind}`)}`}
                      value={s.value}
                      size={16}
                      onInput={(e) => set((l) => (l[i]!.steps[j]!.value = e.currentTarget.value))}
                      {...p.mark(valueAt)}
                    />{' '}
                    {s.kind !== 'event' && (
                      <input
                        aria-label={`${n}: ${t('ffName')}`}
                        placeholder={t('ffNameHint')}
                        value={s.name}
                        size={10}
                        onInput={(e) => set((l) => (l[i]!.steps[j]!.name = e.currentTarget.value))}
                        {...p.mark(`${sat}.id`)}
                      />
                    )}{' '}
                    <input
                      type="number"
                      aria-label={`${n}: ${t('ffSeconds')}`}
                      placeholder={t('ffSecondsHint')}
                      size={6}
                      value={s.seconds}
                      onInput={(e) => set((l) => (l[i]!.steps[j]!.seconds = e.currentTarget.value))}
                      {...p.mark(`${sat}.maxSeconds`)}
                    />{' '}
                    <RowButtons name={n} index={j} count={d.steps.length} set={set} rows={(l) => l[i]!.steps} />
                    {[...new Set([valueAt, `${sat}.id`, `${sat}.maxSeconds`, sat])].map(p.why)}
                  </li>
                )
              })}
            </ol>
            {p.why(`${at}.steps`)}
            <button type="button" onClick={() => set((l) => l[i]!.steps.push(newStep()))}>
              {t('ffAddStep', { name })}
            </button>{' '}
            <button type="button" onClick={() => set((l) => l.splice(i, 1))}>
              {t('ffRemoveFunnel', { name })}
            </button>
          </ConfigItem>
        )
      })}
    </ConfigForm>
  )
}
