/** @module dashboard/visitors: recent visitors, a search by user id, and erasure (a visitor, or every device of a user). */
import { useEffect, useState } from 'preact/hooks'
import { erase, insightQuery, messageOf, type Segment, type VisitorSummary } from './api'
import { invalidate, useInsight, useToken } from './load'
import { Table } from './table'
import { VisitorButton } from './visitor'
import { comma, formatLocale, t } from './i18n'
import { tx } from './i18n/nodes'

export function Visitors({
  site,
  days,
  segment,
  user,
  onFind,
  onOpen,
}: {
  site: string
  days: number
  segment: Segment
  /** Those identified as this user ('': the most recent visitors of the segment). */
  user: string
  onFind(user: string): void
  onOpen(id: string): void
}) {
  const token = useToken()
  const [typed, setTyped] = useState(user)
  const [message, setMessage] = useState('')
  useEffect(() => setTyped(user), [user])
  const found = useInsight(
    'visitors',
    user ? insightQuery(site, days, {}, { limit: '20', user }) : insightQuery(site, days, segment, { limit: '20' }),
  )
  const list = found.data?.visitors

  const eraseThem = async (target: { visitor: string } | { user: string }, what: string) => {
    if (!confirm(t('eraseConfirm', { what }))) return
    try {
      // Large erasures go a page at a time: say how far along it is.
      const r = await erase(token, site, target, (done, left) => setMessage(t('erasing', { what, done, left })))
      setMessage(t('erased', { what, n: r.erased }))
      invalidate()
    } catch (e) {
      setMessage(messageOf(e))
    }
  }

  return (
    <section aria-labelledby="visitors">
      <h2 id="visitors">{t('visitors')}</h2>
      <form
        class="find"
        role="search"
        onSubmit={(e) => {
          e.preventDefault()
          onFind(typed.trim())
        }}
      >
        <label>
          {t('findUser')}{' '}
          <input value={typed} onInput={(e) => setTyped(e.currentTarget.value)} placeholder={t('findUserHint')} />
        </label>
        <button type="submit">{t('find')}</button>
        {user && (
          <button type="button" onClick={() => eraseThem({ user }, t('whatUser', { user }))}>
            {t('eraseUser')}
          </button>
        )}
      </form>
      <p role="status" class="status">
        {message || found.error}
      </p>
      {list && list.length === 0 && (
        <p class="note">{user ? tx('noUserVisitor', { user: <bdi>{user}</bdi> }) : t('noVisitor')}</p>
      )}
      {list && list.length > 0 && (
        <Table<VisitorSummary>
          caption={user ? tx('userVisitors', { user: <bdi>{user}</bdi> }) : t('recentVisitors')}
          csv="visitors"
          rows={list}
          rowKey={(v) => v.id}
          rowHeads={false}
          columns={[
            { head: t('colVisitor'), cell: (v) => <VisitorButton id={v.id} onOpen={onOpen} /> },
            { head: t('colUser'), cell: (v) => v.userId ?? '—' },
            { head: t('colLastSeen'), cell: (v) => new Date(v.lastSeen).toLocaleString(formatLocale()) },
            { head: t('colInterests'), cell: (v) => v.interests.map((i) => i.topic).join(comma()) || '—' },
            {
              head: <span class="sr-only">{t('actions')}</span>,
              cell: (v) => (
                <button type="button" onClick={() => eraseThem({ visitor: v.id }, t('whatVisitor', { visitor: v.id }))}>
                  {t('erase')}
                </button>
              ),
            },
          ]}
        />
      )}
    </section>
  )
}
