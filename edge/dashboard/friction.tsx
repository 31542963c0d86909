/** @module dashboard/friction: where visitors rage-click, click in vain or meet errors, and the forms they leave. */
import type { Friction as Answer } from './api'
import { short } from './format'
import { Table } from './table'

const SIGNAL: { [type: string]: string } = {
  rage_click: 'Rage click',
  dead_click: 'Dead click',
  error_click: 'Error click',
}

export function Friction({ friction }: { friction: Answer }) {
  return (
    <section aria-labelledby="friction">
      <h2 id="friction">Friction hotspots</h2>
      {friction.hotspots.length === 0 ? (
        <p class="note">No rage, dead or error clicks yet.</p>
      ) : (
        <Table
          caption="Hotspots"
          csv="friction-hotspots"
          rows={friction.hotspots}
          rowKey={(h) => h.type + h.page + h.path}
          rowHeads={false}
          columns={[
            { head: 'Signal', cell: (h) => SIGNAL[h.type] ?? h.type },
            { head: 'Page', cell: (h) => short(h.page) },
            {
              head: 'Element',
              cell: (h) => (
                <>
                  <code>{h.path}</code> {h.text && <span class="text">“{h.text}”</span>}
                </>
              ),
            },
            { head: 'Visitors', cell: (h) => h.visitors },
            { head: 'Times', cell: (h) => h.events },
          ]}
        />
      )}
      {friction.forms.length > 0 && (
        <Table
          caption="Forms left unsubmitted"
          rows={friction.forms}
          rowKey={(f) => f.page + f.form + f.lastField}
          rowHeads={false}
          columns={[
            { head: 'Page', cell: (f) => short(f.page) },
            { head: 'Form', cell: (f) => f.form || '(unnamed)' },
            { head: 'Last field touched', cell: (f) => f.lastField },
            { head: 'Visitors', cell: (f) => f.visitors },
          ]}
        />
      )}
    </section>
  )
}
