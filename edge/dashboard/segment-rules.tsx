/**
 * @module dashboard/segment-rules: the site's segments as a rule builder: each segment's id and
 * description, and its conditions (a profile field, an operator, a value; or membership of
 * another segment; each may be negated), all or any of them, with the number of visitors the
 * rule matches now. A rule the builder cannot show (groups in groups) is edited as JSON in place.
 */
import { useEffect, useState } from 'preact/hooks'
import type { SegmentConfig, SegmentRule } from '../../snippet/contract/wire'
import { useFieldProblem } from './field-problem'
import { useDrafts } from './drafts'
import { ConfigForm, ConfigItem, ItemField } from './config-form'
import { RowButtons } from './row-buttons'
import { useAdmin } from './load'
import { atFieldMessage } from './problem'
import { t } from './i18n'
import { tx } from './i18n/nodes'
import { period } from './format'

type Op = 'eq' | 'ne' | 'gt' | 'gte' | 'lt' | 'lte' | 'in' | 'exists' | 'within' | 'contains'
const OPS: Op[] = ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'in', 'contains', 'exists', 'within']
/** The field of a condition naming another segment: `{segment: id}`. */
const IN_SEGMENT = 'segment'
/** Profile fields offered (any other the worker reads may be typed: `traits.plan`, `interests.pricing`). */
const FIELDS = [
  'sessions',
  'pageviews',
  'events',
  'returning',
  'firstSeen',
  'lastSeen',
  'device',
  'country',
  'user',
  'topInterest',
  'entry.path',
  'entry.referrer',
  'entry.source',
  'entry.medium',
  'entry.campaign',
  'nps.score',
  'nps.group',
  'nps.at',
  'csat.score',
  'csat.at',
  ...['rage', 'dead', 'error', 'abandon', 'stall'].flatMap((f) => [`friction.${f}`, `friction.${f}.last`]),
]

interface Condition {
  field: string
  op: Op
  value: string
  not: boolean
}
interface SegmentDraft {
  id: string
  description: string
  match: 'all' | 'any'
  conditions: Condition[]
  /** The rule as JSON text, when the builder cannot show it. */
  json?: string
}

const textOf = (v: unknown) => (v === undefined ? '' : Array.isArray(v) ? v.join(', ') : String(v))

/** One row of the builder from a rule, or null when it is not one (a group). */
function conditionOf(r: SegmentRule | string, not = false): Condition | null {
  if (typeof r === 'string') return { field: IN_SEGMENT, op: 'eq', value: r, not }
  if ('segment' in r) return { field: IN_SEGMENT, op: 'eq', value: r.segment, not }
  if ('field' in r) return { field: r.field, op: r.op, value: textOf(r.value), not }
  if ('not' in r && !not) return conditionOf(r.not, true)
  return null
}

function draftOf(s: SegmentConfig): SegmentDraft {
  const base = { id: s.id, description: s.description ?? '' }
  const r = s.rule
  const group = 'all' in r ? ('all' as const) : 'any' in r ? ('any' as const) : null
  const items: (SegmentRule | string)[] =
    group === 'all' ? (r as { all: SegmentRule[] }).all : group ? (r as { any: SegmentRule[] }).any : [r]
  const conditions = items.map((x) => conditionOf(x))
  if (conditions.every((c) => c)) return { ...base, match: group ?? 'all', conditions: conditions as Condition[] }
  return { ...base, match: 'all', conditions: [], json: JSON.stringify(r, null, 2) }
}

/** A value as typed: a number or true/false when it reads as one (the worker says when it must). */
function scalar(s: string): string | number | boolean {
  const t = s.trim()
  if (t === 'true' || t === 'false') return t === 'true'
  return t !== '' && Number.isFinite(Number(t)) ? Number(t) : t
}
type Value = Extract<SegmentRule, { field: string }>['value']
function valueOf(c: Condition): Value {
  if (c.op === 'exists') return c.value.trim() === '' ? undefined : scalar(c.value)
  if (c.op === 'in')
    return c.value
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean)
      .map((x) => scalar(x) as string | number)
  if (c.op === 'contains') return c.value
  return scalar(c.value)
}

function ruleOfCondition(c: Condition): SegmentRule {
  let r: SegmentRule
  if (c.field === IN_SEGMENT) r = { segment: c.value.trim() }
  else {
    const value = valueOf(c)
    r = value === undefined ? { field: c.field.trim(), op: c.op } : { field: c.field.trim(), op: c.op, value }
  }
  return c.not ? { not: r } : r
}

/** The rule of a draft (undefined: its JSON does not parse), and where each row lands in it. */
export function ruleOf(d: SegmentDraft): SegmentRule | undefined {
  if (d.json !== undefined) {
    try {
      return JSON.parse(d.json) as SegmentRule
    } catch {
      return undefined
    }
  }
  if (d.conditions.length === 1 && d.match === 'all') return ruleOfCondition(d.conditions[0]!)
  return d.match === 'all' ? { all: d.conditions.map(ruleOfCondition) } : { any: d.conditions.map(ruleOfCondition) }
}
/** The config path of row `j` of segment `i`. */
const rowPath = (d: SegmentDraft, i: number, j: number) =>
  `segments[${i}].rule${d.conditions.length === 1 && d.match === 'all' ? '' : `.${d.match}[${j}]`}${d.conditions[j]!.not ? '.not' : ''}`

/** How many visitors the rule matches now, of the period's: the worker's count, a moment after the last change. */
function LiveSize({ siteKey, rule, days }: { siteKey: string; rule: SegmentRule | undefined; days: number }) {
  const admin = useAdmin()
  const [said, setSaid] = useState('…')
  const key = JSON.stringify(rule)
  useEffect(() => {
    if (rule === undefined) return setSaid('–')
    let stop = false
    const timer = setTimeout(
      () =>
        admin.countSegment(siteKey, rule, days).then(
          (r) =>
            !stop &&
            setSaid(
              t(r.capped ? 'srLiveCapped' : 'srLive', {
                n: r.visitors,
                counted: r.counted,
                period: period(r.days).toLowerCase(),
              }),
            ),
          (e) => !stop && setSaid(t('srNotCounted', { why: atFieldMessage(e) })),
        ),
      400,
    )
    return () => ((stop = true), clearTimeout(timer))
  }, [key, days])
  return <output aria-live="polite">{said}</output>
}

const newCondition = (): Condition => ({ field: 'sessions', op: 'gte', value: '', not: false })

/** `save`: the list to save (empty: none); rejects with the worker's refusal. */
export function SegmentRules({
  siteKey,
  segments,
  funnels,
  save,
}: {
  siteKey: string
  segments: SegmentConfig[]
  /** The site's funnel ids: their `funnels.<id>` fields are offered. */
  funnels: string[]
  save: (list: SegmentConfig[]) => Promise<void>
}) {
  const [drafts, set] = useDrafts<SegmentDraft>(() => segments.map(draftOf))
  const [days, setDays] = useState(30)
  const [bad, setBad] = useState('')
  const p = useFieldProblem('segments')
  const fields = [
    ...FIELDS,
    ...funnels.flatMap((f) => [`funnels.${f}`, `funnels.${f}.step`, `funnels.${f}.at`, `propensity.${f}`]),
  ]
  return (
    <ConfigForm
      field="segments"
      problem={p}
      legend={t('srLegend')}
      list={() => {
        setBad('')
        const list: SegmentConfig[] = []
        for (const d of drafts) {
          const rule = ruleOf(d)
          if (rule === undefined) return void setBad(t('srBadJson', { name: d.id || list.length + 1 }))
          list.push({ id: d.id.trim(), ...(d.description.trim() ? { description: d.description.trim() } : {}), rule })
        }
        return list
      }}
      save={save}
      add={() => set((l) => l.push({ id: '', description: '', match: 'all', conditions: [newCondition()] }))}
      addLabel={t('srAdd')}
      saveLabel={t('srSave')}
    >
      <p class="note">
        {tx('srIntro', { doc: <code>docs/personalisation.md#the-profile</code> })}{' '}
        <label class="inline">
          {t('srSizesOver')}{' '}
          <select value={String(days)} onChange={(e) => setDays(Number(e.currentTarget.value))}>
            {[7, 30, 90].map((n) => (
              <option value={String(n)} key={n}>
                {t('days', { n })}
              </option>
            ))}
          </select>
        </label>
      </p>
      {p.above()}
      <p role="alert" class="error">
        {bad}
      </p>
      <datalist id="segment-fields">
        {[IN_SEGMENT, ...fields].map((f) => (
          <option value={f} key={f} />
        ))}
      </datalist>
      {!drafts.length && <p class="note">{t('srNone')}</p>}
      {drafts.map((d, i) => {
        const name = d.id || `${i + 1}`
        const at = `segments[${i}]`
        return (
          <ConfigItem
            key={i}
            problem={p}
            at={at}
            legend={t('srSegment', { name })}
            id={d.id}
            setId={(v) => set((l) => (l[i]!.id = v))}
            attributes={{ class: 'segment-rule', 'data-segment': d.id }}
          >
            <ItemField
              problem={p}
              label={t('srDescription')}
              path={`${at}.description`}
              value={d.description}
              onInput={(v) => set((l) => (l[i]!.description = v))}
            />
            {d.json !== undefined ? (
              <label>
                {t('srJson', { name })}
                <textarea
                  rows={6}
                  spellcheck={false}
                  value={d.json}
                  onInput={(e) => set((l) => (l[i]!.json = e.currentTarget.value))}
                  {...p.mark(`${at}.rule`)}
                />
              </label>
            ) : (
              <div {...p.mark(`${at}.rule`)}>
                <label>
                  {t('srMatch')}{' '}
                  <select
                    value={d.match}
                    onChange={(e) => set((l) => (l[i]!.match = e.currentTarget.value === 'any' ? 'any' : 'all'))}
                  >
                    <option value="all">{t('srAll')}</option>
                    <option value="any">{t('srAny')}</option>
                  </select>
                </label>
                <ol class="conditions">
                  {d.conditions.map((c, j) => {
                    const n = t('srConditionOf', { name, n: j + 1 })
                    const row = rowPath(d, i, j)
                    const segmentRow = c.field === IN_SEGMENT
                    const put = (f: (c: Condition) => void) => set((l) => f(l[i]!.conditions[j]!))
                    return (
                      <li key={j} {...p.mark(row)}>
                        <label class="inline">
                          <input
                            type="checkbox"
                            checked={c.not}
                            onChange={(e) => put((x) => (x.not = e.currentTarget.checked))}
                          />{' '}
                          {t('srNot')}
                          <span class="sr-only"> ({n})</span>
                        </label>{' '}
                        <input
                          aria-label={`${n}: ${t('srField')}`}
                          list="segment-fields"
                          size={14}
                          value={c.field}
                          onInput={(e) => put((x) => (x.field = e.currentTarget.value))}
                          {...p.mark(`${row}.field`)}
                        />{' '}
                        {!segmentRow && (
                          <select
                            aria-label={`${n}: ${t('srOperator')}`}
                            value={c.op}
                            onChange={(e) => put((x) => (x.op = (e.currentTarget.value as Op) || 'eq'))}
                            {...p.mark(`${row}.op`)}
                          >
                            {OPS.map((o) => (
                              <option value={o} key={o}>
                                {t(`op:${o}`)}
                              </option>
                            ))}
                          </select>
                        )}{' '}
                        <input
                          aria-label={`${n}: ${t(segmentRow ? 'srSegmentId' : 'srValue')}`}
                          size={12}
                          value={c.value}
                          onInput={(e) => put((x) => (x.value = e.currentTarget.value))}
                          {...p.mark(`${row}.${segmentRow ? 'segment' : 'value'}`)}
                        />{' '}
                        <RowButtons
                          name={n}
                          index={j}
                          count={d.conditions.length}
                          set={set}
                          rows={(l) => l[i]!.conditions}
                          reorder={false}
                        />
                        {[`${row}.field`, `${row}.op`, `${row}.value`, `${row}.segment`, row].map(p.why)}
                      </li>
                    )
                  })}
                </ol>
                <button type="button" onClick={() => set((l) => l[i]!.conditions.push(newCondition()))}>
                  {t('srAddCondition', { name })}
                </button>
              </div>
            )}
            {p.why(`${at}.rule`)}
            <p>
              {t('srNow', { name })} <LiveSize siteKey={siteKey} rule={ruleOf(d)} days={days} />
            </p>
            <button type="button" onClick={() => set((l) => l.splice(i, 1))}>
              {t('srRemove', { name })}
            </button>
          </ConfigItem>
        )
      })}
    </ConfigForm>
  )
}
