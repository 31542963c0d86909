/**
 * @module the demo's Planner page (planner.html), a client-rendered Preact app, as a site built
 * with a framework would be. Its hero is a slot the app renders itself with the Preact adapter's
 * useSlot (docs/personalisation.md, "Frameworks"): ciel's script stands back from it. Bundled with
 * Preact into /planner.js by rollup.config.mjs. Nothing here is part of ciel.
 */
import { render } from 'preact'
import { useState } from 'preact/hooks'
// `from 'ciel/preact'` in an app that installs the npm package: the same file.
import { useSlot } from '../snippet/adapters/preact'

function Hero() {
  // undefined while ciel decides (the demo's CSS rule keeps the slot hidden), then the variant, '' the default.
  const v = useSlot('hero', { variants: ['pricing', 'integrations'] })
  return (
    <section class="hero" data-ciel-slot="hero" data-ciel-framework="" data-ciel-shown={v}>
      {v === 'integrations' ? (
        <>
          <h1>Plan where your team already talks</h1>
          <p>Your Slack channels and GitHub issues land in the plan: nothing to copy over.</p>
          <a class="cta" href="/integrations">
            See integrations
          </a>
        </>
      ) : v === 'pricing' ? (
        <>
          <h1>Plan a team of any size from $0</h1>
          <p>Free up to 5 people; every plan starts with a 30-day trial.</p>
          <a class="cta" href="/pricing">
            Compare plans
          </a>
        </>
      ) : (
        <>
          <h1>Plan the quarter in an afternoon</h1>
          <p>Size your team below and see what Tandem costs.</p>
          <a class="cta" href="/onboarding">
            Start free
          </a>
        </>
      )}
    </section>
  )
}

/** What a team of `people` pays a month: free up to 5, then $8 a person (pricing.html). */
const monthly = (people: number) => (people <= 5 ? 0 : people * 8)

function Estimate() {
  const [people, setPeople] = useState(5)
  const cost = monthly(people)
  return (
    <section class="features">
      <div class="card">
        <h2>Your team</h2>
        <p id="people">{people} people</p>
        <button type="button" id="fewer" disabled={people <= 1} onClick={() => setPeople(people - 1)}>
          Fewer
        </button>{' '}
        <button type="button" id="more" onClick={() => setPeople(people + 1)}>
          More
        </button>
      </div>
      <div class="card">
        <h2>Your plan</h2>
        <p id="estimate">{cost ? `Team: $${cost} a month` : 'Free: $0 a month'}</p>
      </div>
    </section>
  )
}

render(
  <>
    <Hero />
    <Estimate />
  </>,
  document.getElementById('planner')!,
)
