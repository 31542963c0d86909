/**
 * A React 19 app that uses the slot markup of docs/personalisation.md as is (the DOM path): a
 * click adds an element inside the slot, before its default headline, so React calls
 * insertBefore on nodes it made.
 */
import { createElement as h, useState } from 'react'

export function App() {
  const [n, setN] = useState(0)
  return h(
    'main',
    null,
    h(
      'section',
      { 'data-ciel-slot': 'hero' },
      h('template', { 'data-variant': 'pricing' }, h('h1', null, 'Plans from $0')),
      h('template', { 'data-variant': 'integrations' }, h('h1', null, 'Works with Slack')),
      n > 0 ? h('p', { id: 'inside' }, `inside ${n}`) : null,
      h('h1', null, 'Default headline'),
    ),
    h('button', { id: 'count', onClick: () => setN(n + 1) }, `count ${n}`),
  )
}
