/**
 * @module dashboard/row-buttons: the buttons of a row of a config form (a funnel's step, a slot's
 * rule, a segment's condition): up and down, and remove, each named for its row to a screen reader
 * ("Funnel checkout, step 3: Up").
 */
import { move } from './drafts'
import { t } from './i18n'

/**
 * `name`: the row's name; `rows`: its list in the drafts, for `set` (useDrafts) to change;
 * `index`, `count`: its place in that list. `reorder: false`: only remove.
 */
export function RowButtons<D>({
  name,
  index,
  count,
  set,
  rows,
  reorder = true,
}: {
  name: string
  index: number
  count: number
  set: (f: (drafts: D[]) => void) => void
  rows: (drafts: D[]) => unknown[]
  reorder?: boolean
}) {
  const named = () => <span class="sr-only">{name}: </span>
  return (
    <>
      {reorder && (
        <>
          <button type="button" disabled={index === 0} onClick={() => set((l) => move(rows(l), index, -1))}>
            {named()}
            {t('ffUp')}
          </button>
          <button type="button" disabled={index === count - 1} onClick={() => set((l) => move(rows(l), index, 1))}>
            {named()}
            {t('ffDown')}
          </button>
        </>
      )}
      <button type="button" onClick={() => set((l) => rows(l).splice(index, 1))}>
        {named()}
        {t('ffRemove')}
      </button>
    </>
  )
}
