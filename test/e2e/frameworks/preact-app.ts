/** The same app in Preact, with ciel/preact's useSlot. */
import { h } from 'preact'
import { useState } from 'preact/hooks'
import { useSlot } from '../../../snippet/adapters/preact'
import { HERO, ROUTES, headline } from './headlines'

function Hero({ n }: { n: number }) {
  const v = useSlot('hero', HERO)
  return h(
    'section',
    { 'data-ciel-slot': 'hero', 'data-ciel-framework': '', 'data-ciel-shown': v } as Record<string, unknown>,
    h('h1', null, headline(v)),
    h('p', { id: 'inside' }, `inside ${n}`),
  )
}

export function App() {
  const [n, setN] = useState(0)
  const [route, setRoute] = useState(0)
  const nav = () => {
    history.pushState(null, '', `#/${ROUTES[(route + 1) % ROUTES.length]}`)
    setRoute(route + 1)
  }
  return h(
    'div',
    { class: 'layout' },
    h('button', { id: 'nav', onClick: nav }, 'next page'),
    h(Hero, { n }),
    h('main', { key: route, id: 'page' }, `page ${ROUTES[route % ROUTES.length]} ${route}`),
    h('button', { id: 'count', onClick: () => setN(n + 1) }, `count ${n}`),
  )
}
