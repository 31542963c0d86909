/** @module dashboard/segment-form: device, new or returning, referrer, named segment: a segment of the insights. */
import { useEffect, useState } from 'preact/hooks'
import type { Segment } from './api'
import { t } from './i18n'

export function SegmentForm({
  legend,
  idPrefix,
  value,
  referrers,
  active,
  onApply,
  onClear,
  clearLabel,
  named = [],
}: {
  legend: string
  idPrefix: string
  value: Segment
  referrers: string[]
  /** The site's named segments (rules over visitor profiles). */
  named?: string[]
  active: boolean
  onApply(s: Segment): void
  onClear(): void
  clearLabel: string
}) {
  const [device, setDevice] = useState(value.device ?? '')
  const [visitor, setVisitor] = useState(value.visitor ?? '')
  const [referrer, setReferrer] = useState(value.referrer ?? '')
  const [segment, setSegment] = useState(value.segment ?? '')
  // The fields follow the segment shown (back and forward change it too).
  useEffect(() => {
    setDevice(value.device ?? '')
    setVisitor(value.visitor ?? '')
    setReferrer(value.referrer ?? '')
    setSegment(value.segment ?? '')
  }, [value.device, value.visitor, value.referrer, value.segment])
  return (
    <form
      class="segment"
      aria-label={legend}
      onSubmit={(e) => {
        e.preventDefault()
        const s: Segment = {}
        if (device) s.device = device
        if (visitor) s.visitor = visitor
        if (referrer.trim()) s.referrer = referrer.trim()
        if (segment) s.segment = segment
        onApply(s)
      }}
    >
      <span class="legend">{legend}</span>
      {named.length > 0 && (
        <label>
          {t('segment')}{' '}
          <select name="segment" value={segment} onChange={(e) => setSegment(e.currentTarget.value)}>
            <option value="">{t('any')}</option>
            {named.map((n) => (
              // A segment's id: the site's own name, not words to translate.
              <option value={n} key={n} dir="auto" translate={false}>
                {n}
              </option>
            ))}
          </select>
        </label>
      )}
      <label>
        {t('device')}{' '}
        <select name="device" value={device} onChange={(e) => setDevice(e.currentTarget.value)}>
          <option value="">{t('any')}</option>
          <option value="mobile">{t('mobile')}</option>
          <option value="tablet">{t('tablet')}</option>
          <option value="desktop">{t('desktop')}</option>
        </select>
      </label>
      <label>
        {t('visitors')}{' '}
        <select name="visitor" value={visitor} onChange={(e) => setVisitor(e.currentTarget.value)}>
          <option value="">{t('all')}</option>
          <option value="new">{t('newVisitors')}</option>
          <option value="returning">{t('returning')}</option>
        </select>
      </label>
      <label>
        {t('referrer')}{' '}
        <input
          name="referrer"
          list={`${idPrefix}-referrers`}
          value={referrer}
          placeholder={t('any')}
          dir="auto"
          size={12}
          onInput={(e) => setReferrer(e.currentTarget.value)}
        />
      </label>
      <datalist id={`${idPrefix}-referrers`}>
        {referrers.map((r) => (
          <option value={r} key={r} />
        ))}
      </datalist>
      <button type="submit">{t('apply')}</button>
      {active && (
        <button
          type="button"
          onClick={() => {
            setDevice('')
            setVisitor('')
            setReferrer('')
            setSegment('')
            onClear()
          }}
        >
          {clearLabel}
        </button>
      )}
    </form>
  )
}
