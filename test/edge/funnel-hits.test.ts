/** A funnel's rows gathered by visitor (domain/funnel-hits.ts): who is followed, and whether the cap cut any. */
import { describe, expect, it } from 'vitest'
import { gatherHits, LISTED, type HitRows } from '../../edge/domain/funnel-hits'
import type { StepRule } from '../../edge/domain/funnel-steps'

const rules: StepRule[] = [
  { kind: 'track', name: 'start' },
  { kind: 'track', name: 'finish' },
]
// Two visitors whose rows are both steps (mask 3), on day 0, a second apart.
const rows: HitRows[] = [{ src: LISTED, mask: 3, day: 0, r: '"a",1000,"b",2000' }]

describe('a funnel read gathered by visitor', () => {
  it('says the followed were cut only when more started than the cap allows', () => {
    const exact = gatherHits(rules, rows, 10, 2)
    expect(exact.visitors.map((v) => v.visitor)).toEqual(['a', 'b'])
    expect(exact.truncated).toBe(false)
    const cut = gatherHits(rules, rows, 10, 1)
    expect(cut.visitors.map((v) => v.visitor)).toEqual(['a'])
    expect(cut.truncated).toBe(true)
  })
})
