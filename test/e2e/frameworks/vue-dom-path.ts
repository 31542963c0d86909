/** react-dom-path.ts's app in Vue 3: the documented slot markup, an element added inside the slot by a click. */
import { defineComponent, h, ref } from 'vue'

export const App = defineComponent({
  setup() {
    const n = ref(0)
    return () =>
      h('main', [
        h('section', { 'data-ciel-slot': 'hero' }, [
          h('template', { 'data-variant': 'pricing' }, [h('h1', 'Plans from $0')]),
          h('template', { 'data-variant': 'integrations' }, [h('h1', 'Works with Slack')]),
          n.value > 0 ? h('p', { id: 'inside' }, `inside ${n.value}`) : null,
          h('h1', 'Default headline'),
        ]),
        h('button', { id: 'count', onClick: () => n.value++ }, `count ${n.value}`),
      ])
  },
})
