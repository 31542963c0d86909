/**
 * @module dashboard/insights: the Insights view, every section in reading order, on the data of
 * one site, period and segment (loaded at once by the app; the sections with controls of their
 * own, funnels compared, journeys, who will convert, visitors, load the rest).
 */
import type { Insights } from './api'
import { AdhocFunnel } from './adhoc-funnel'
import { Breakdown } from './breakdown'
import { Retention } from './retention'
import { CustomEvents, Traffic } from './traffic'
import { Friction } from './friction'
import { Funnels } from './funnels'
import { Journeys } from './journeys'
import { Overview } from './overview'
import { PersonalisationSection } from './personalisation'
import { PropensitySection } from './propensity'
import { Surveys } from './surveys'
import { Trends } from './trends'
import type { Go, View } from './url'
import { Visitors } from './visitors'
import { Vitals } from './vitals'

export function InsightsView({
  insights: i,
  site,
  view,
  go,
  referrers,
}: {
  insights: Insights
  site: string
  view: View
  go: Go
  referrers: string[]
}) {
  const { days, segment } = view
  const open = (id: string) => go({ open: id })
  const drill = (who: string) => go({ who })
  return (
    <>
      <Overview o={i.overview} />
      <Trends trends={i.trends} onDrill={drill} />
      <Funnels
        funnels={i.funnels}
        site={site}
        days={days}
        segment={segment}
        vs={view.vs}
        referrers={referrers}
        named={i.personalisation.segments.map((s) => s.id)}
        onCompare={(vs) => go({ vs })}
        onDrill={drill}
      />
      <Traffic pages={i.pages} sources={i.sources} onDrill={drill} />
      <CustomEvents events={i.events} onDrill={drill} />
      <Breakdown
        site={site}
        days={days}
        segment={segment}
        types={Object.keys(i.overview.events)}
        names={i.events.map((e) => e.name)}
        props={[...new Set(i.events.flatMap((e) => e.props.map((p) => p.key)))]}
        ask={view.breakdown}
        onAsk={(breakdown) => go({ breakdown })}
        onDrill={drill}
      />
      <Retention
        site={site}
        segment={segment}
        types={Object.keys(i.overview.events)}
        names={i.events.map((e) => e.name)}
        ask={view.retention}
        onAsk={(retention) => go({ retention })}
        onDrill={drill}
      />
      <AdhocFunnel
        key={JSON.stringify([site, view.steps, view.window])}
        site={site}
        days={days}
        segment={segment}
        steps={view.steps}
        window={view.window}
        pages={i.pages.pages.map((p) => p.page)}
        tracks={i.events.map((e) => e.name)}
        funnelSteps={i.funnels.flatMap((f) =>
          f.steps.flatMap((s) => (s.match.startsWith('step:') ? [s.match.slice(5)] : [])),
        )}
        go={go}
      />
      <Journeys
        site={site}
        days={days}
        segment={segment}
        from={view.from}
        goal={view.goal}
        entries={i.pages.entries.map((e) => e.page)}
        goals={i.events.map((e) => e.name)}
        onChange={go}
      />
      <Friction
        friction={i.friction}
        site={site}
        days={days}
        segment={segment}
        spot={view.spot}
        onSpot={(spot) => go({ spot })}
        onOpen={open}
      />
      <Surveys surveys={i.surveys} onDrill={drill} />
      <PersonalisationSection p={i.personalisation} onDrill={segment.segment ? undefined : drill} onArm={drill} />
      <PropensitySection key={site} site={site} days={days} onOpen={open} />
      <Vitals vitals={i.vitals} />
      <Visitors
        key={site}
        site={site}
        days={days}
        segment={segment}
        user={view.user}
        onFind={(user) => go({ user })}
        onOpen={open}
      />
    </>
  )
}
