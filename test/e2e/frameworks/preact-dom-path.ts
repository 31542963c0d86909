/** react-dom-path.ts's app in Preact: the documented slot markup, an element added inside the slot by a click. */
import { h } from 'preact'
import { useState } from 'preact/hooks'

export function App() {
  const [n, setN] = useState(0)
  return h(
    'main',
    null,
    h(
      'section',
      { 'data-ciel-slot': 'hero' } as Record<string, unknown>,
      h('template', { 'data-variant': 'pricing' } as Record<string, unknown>, h('h1', null, 'Plans from $0')),
      h('template', { 'data-variant': 'integrations' } as Record<string, unknown>, h('h1', null, 'Works with Slack')),
      n > 0 ? h('p', { id: 'inside' }, `inside ${n}`) : null,
      h('h1', null, 'Default headline'),
    ),
    h('button', { id: 'count', onClick: () => setN(n + 1) }, `count ${n}`),
  )
}
