/** @module dashboard/segment-name: the segment a view is narrowed to, said in the language shown. */
import type { ComponentChild } from 'preact'
import { isKey, t } from './i18n'
import { tx } from './i18n/nodes'

/** A segment's fields, as the API echoes its filter (`segment` a named one's id). */
export interface SegmentFields {
  segment?: string
  device?: string
  referrer?: string
  visitor?: string
}

/**
 * "segment vip · mobile · from google.com" from the filter the API echoes (its `label` is the
 * same in English); null for everyone. The site's own names are `<bdi>`, so they keep their
 * order inside a Hebrew or Arabic sentence.
 */
export function segmentName(s: SegmentFields): ComponentChild {
  const parts: ComponentChild[] = []
  if (s.segment) parts.push(<>{tx('segNamed', { segment: <bdi>{s.segment}</bdi> })}</>)
  if (s.device) parts.push(isKey(s.device) ? t(s.device) : <bdi>{s.device}</bdi>)
  if (s.referrer)
    parts.push(s.referrer === 'direct' ? t('segDirect') : <>{tx('segFrom', { referrer: <bdi>{s.referrer}</bdi> })}</>)
  if (s.visitor) parts.push(t(s.visitor === 'new' ? 'segNew' : 'segReturning'))
  return parts.length ? <>{parts.flatMap((p, i) => (i ? [' · ', p] : [p]))}</> : null
}
