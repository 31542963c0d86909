/**
 * @module dashboard/slot-form: the site's slots as a form: each slot's id, the variants its pages
 * carry, and its rules in order (when a visitor is in a segment, or matches a rule given as JSON,
 * show a variant), added, removed and moved with buttons. A slot's experiment (its own form) and
 * interests are kept as they are. The worker's refusal shows at its field.
 */
import type { SegmentRule, SlotConfig } from '../../snippet/contract/wire'
import { useFieldProblem } from './field-problem'
import { useDrafts } from './drafts'
import { ConfigForm, ConfigItem, ItemField } from './config-form'
import { RowButtons } from './row-buttons'
import { t } from './i18n'
import { tx } from './i18n/nodes'

interface RuleDraft {
  /** A segment id, or a rule as JSON. */
  when: string
  variant: string
}
interface SlotDraft {
  id: string
  variants: string
  rules: RuleDraft[]
  /** What the form does not edit (experiment, byInterest), saved as it was. */
  kept: Omit<SlotConfig, 'id' | 'variants' | 'rules'>
}

const draftOf = ({ id, variants, rules, ...kept }: SlotConfig): SlotDraft => ({
  id,
  variants: (variants ?? []).join(', '),
  rules: (rules ?? []).map((r) => ({
    when: typeof r.when === 'string' ? r.when : JSON.stringify(r.when),
    variant: r.variant,
  })),
  kept,
})

/** A `when` as typed: JSON when it looks like an object (kept as text when it does not parse: the worker says why). */
function whenOf(s: string): string | SegmentRule {
  const t = s.trim()
  if (!t.startsWith('{')) return t
  try {
    return JSON.parse(t) as SegmentRule
  } catch {
    return t
  }
}

export function slotsOf(drafts: SlotDraft[]): SlotConfig[] {
  return drafts.map((d) => {
    const variants = d.variants
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean)
    return {
      id: d.id.trim(),
      ...(variants.length ? { variants } : {}),
      ...(d.rules.length ? { rules: d.rules.map((r) => ({ when: whenOf(r.when), variant: r.variant.trim() })) } : {}),
      ...d.kept,
    }
  })
}

/** `save`: the list to save (empty: none); rejects with the worker's refusal. */
export function SlotForm({
  slots,
  segments,
  save,
}: {
  slots: SlotConfig[]
  /** The site's segment ids, offered for `when`. */
  segments: string[]
  save: (list: SlotConfig[]) => Promise<void>
}) {
  const [drafts, set] = useDrafts<SlotDraft>(() => slots.map(draftOf))
  const p = useFieldProblem('slots')
  return (
    <ConfigForm
      field="slots"
      problem={p}
      legend={t('sfLegend')}
      list={() => slotsOf(drafts)}
      save={save}
      add={() => set((l) => l.push({ id: '', variants: '', rules: [{ when: '', variant: '' }], kept: {} }))}
      addLabel={t('sfAdd')}
      saveLabel={t('sfSave')}
    >
      <p class="note">{tx('sfNote', { template: <code>&lt;template data-variant&gt;</code> })}</p>
      {p.above()}
      <datalist id="slot-segments">
        {segments.map((s) => (
          <option value={s} key={s} />
        ))}
      </datalist>
      {drafts.map((d, i) => {
        const name = d.id || `${i + 1}`
        const at = `slots[${i}]`
        return (
          <ConfigItem
            key={i}
            problem={p}
            at={at}
            legend={t('sfSlot', { name })}
            id={d.id}
            setId={(v) => set((l) => (l[i]!.id = v))}
            attributes={{ class: 'slot' }}
          >
            <ItemField
              problem={p}
              label={t('sfVariants')}
              path={`${at}.variants`}
              value={d.variants}
              onInput={(v) => set((l) => (l[i]!.variants = v))}
            />
            <ol class="rules" {...p.mark(`${at}.rules`)}>
              {d.rules.map((r, j) => {
                const rat = `${at}.rules[${j}]`
                const n = t('sfRuleOf', { name, n: j + 1 })
                return (
                  <li key={j} {...p.mark(rat)}>
                    <input
                      aria-label={`${n}: ${t('sfWhen')}`}
                      list="slot-segments"
                      size={18}
                      value={r.when}
                      onInput={(e) => set((l) => (l[i]!.rules[j]!.when = e.currentTarget.value))}
                      {...p.mark(`${rat}.when`)}
                    />{' '}
                    <input
                      aria-label={`${n}: ${t('sfShow')}`}
                      size={12}
                      value={r.variant}
                      onInput={(e) => set((l) => (l[i]!.rules[j]!.variant = e.currentTarget.value))}
                      {...p.mark(`${rat}.variant`)}
                    />{' '}
                    <RowButtons name={n} index={j} count={d.rules.length} set={set} rows={(l) => l[i]!.rules} />
                    {[`${rat}.when`, `${rat}.variant`, rat].map(p.why)}
                  </li>
                )
              })}
            </ol>
            {p.why(`${at}.rules`)}
            <p class="note">
              {d.kept.experiment ? `${t('sfExperiment', { id: d.kept.experiment.id })} ` : ''}
              {d.kept.byInterest ? t('sfByInterest') : ''}
            </p>
            <button type="button" onClick={() => set((l) => l[i]!.rules.push({ when: '', variant: '' }))}>
              {t('sfAddRule', { name })}
            </button>{' '}
            <button type="button" onClick={() => set((l) => l.splice(i, 1))}>
              {t('sfRemoveSlot', { name })}
            </button>
          </ConfigItem>
        )
      })}
    </ConfigForm>
  )
}
