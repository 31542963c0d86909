/** The same app in Vue 3 (render functions), with ciel/vue's useSlot. */
import { defineComponent, h, ref } from 'vue'
import { useSlot } from '../../../snippet/adapters/vue'
import { HERO, ROUTES, headline } from './headlines'

const Hero = defineComponent({
  props: { n: { type: Number, required: true } },
  setup(props) {
    const v = useSlot('hero', HERO)
    return () =>
      h('section', { 'data-ciel-slot': 'hero', 'data-ciel-framework': '', 'data-ciel-shown': v.value }, [
        h('h1', headline(v.value)),
        h('p', { id: 'inside' }, `inside ${props.n}`),
      ])
  },
})

export const App = defineComponent({
  setup() {
    const n = ref(0)
    const route = ref(0)
    const nav = () => {
      history.pushState(null, '', `#/${ROUTES[(route.value + 1) % ROUTES.length]}`)
      route.value++
    }
    return () =>
      h('div', { class: 'layout' }, [
        h('button', { id: 'nav', onClick: nav }, 'next page'),
        h(Hero, { n: n.value }),
        h('main', { key: route.value, id: 'page' }, `page ${ROUTES[route.value % ROUTES.length]} ${route.value}`),
        h('button', { id: 'count', onClick: () => n.value++ }, `count ${n.value}`),
      ])
  },
})
