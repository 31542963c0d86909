/** English (also the fallback for Latin-script words in answers of other languages). */
import type { LanguageData } from '../language'

export const en: LanguageData = {
  pos: `love* loving liked like great excellent amazing awesome best better good fast* quick* reliable perfect*
    easy easier easiest easily simple simpler clean cleaner clear helpful useful save* recommend* work works worked
    working nice happy fantastic brilliant smooth* intuitive well solid superb wonderful impressive impressed lovely
    beautiful painless seamless* flawless* straightforward efficient powerful handy convenient friendly responsive
    thank* thanks thx cool neat joy enjoy* delight* pleased satisfied glad gem lifesaver nailed worth fair affordable
    stable thrilled exactly incredible outstanding fabulous terrific super top-notch kudos bravo
    blazing snappy lightning polished elegant fun valuable responsive accurate`,
  neg: `hate* break breaks breaking terrible awful horrible bad worse worst slow* lag laggy lags lagging bug bugs buggy crash* broke broken
    fail* error* confus* expensive pricey overpriced costly lost lose losing useless annoy* frustrat* complain*
    problem* issue* difficult hard poor* ugly disappoint* stuck mess messy clunky cluttered unusable unclear
    unhelpful unreliable unstable outdated missing limited glitch* freez* froze frozen hangs hanging spinning
    forever ages waste* ridiculous outrageous scam sucks suck garbage trash junk nightmare painful pain tedious
    cumbersome complicated overwhelming awkward wrong incorrect inaccurate lacking lacks cancel* refund unsubscribe
    downtime outage timeout* blank empty disappear* vanish* gone nowhere unfortunately sadly angry mad upset
    waited:0.8 waiting:0.8 wait:0.5 gave:0.8 stopped:0.5 keeps:0.6 keep:0.5 kept:0.5 again:0.6 twice:0.6 why:0.5
    spent:0.6 took:0.5 tried:0.4 trying:0.3 reload*:0.6 refresh*:0.6 logged:0.5 kicked:0.8 nobody:0.8 noone:0.8
    charged:0.5 meh:0.8 cheap:0.3 unresponsive`,
  phrases: [
    ['would love', 0],
    ['would like', 0],
    ['would be nice', 0],
    ['would be great', 0],
    ['would be good', 0],
    ['would be cool', 0],
    ["it'd be nice", 0],
    ['be nice to', 0],
    ['nice to have', 0],
    ['please add', 0],
    ['looks like', 0],
    ['feels like', 0],
    ['i like to', 0],
    ['neither good nor bad', 0],
    ['not good not bad', 0],
    ['so so', 0],
    ['it is fine', 0],
    ["it's fine", 0],
    ['keep it up', 1],
    ['keep up the', 1],
    ['well done', 1],
    ['good job', 1],
    ['great job', 1],
    ['10/10', 1],
    ['5 stars', 1],
    ['game changer', 1],
    ['live without', 1.5],
    ['can not live without', 1.5],
    ['no brainer', 1],
    ['does nothing', -1],
    ['did nothing', -1],
    ['nothing happens', -1],
    ['nothing happened', -1],
    ['goes nowhere', -1],
    ['gave up', -1],
    ['give up', -1],
    ['giving up', -1],
    ['took forever', -1.2],
    ['takes forever', -1.2],
    ['took ages', -1.2],
    ['takes ages', -1.2],
    ['took me', -0.6],
    ['took a while', -0.8],
    ['had to', -0.6],
    ['have to', -0.5],
    ['logged out', -0.8],
    ['logs me out', -0.8],
    ['logging me out', -0.8],
    ['logged me out', -0.8],
    ['paying more', -1],
    ['pay more', -1],
    ['fewer features', -1],
    ['less features', -1],
    ['no reply', -1],
    ['no answer', -1],
    ['no response', -1],
    ['got back to me', 0],
    ['still waiting', -1],
    ['not happy', -1],
    ['not so much', -0.7],
    ['rip off', -1],
    ['kills me', -1],
    ['killing me', -1],
    ['learning curve', -0.5],
    ['could be better', -0.7],
    ['every time', -0.3],
    ['all the time', -0.3],
    ['oh great', -0.5],
    ['other than that', 'but'],
    ['apart from that', 'but'],
  ],
  not: `not no never nothing without hardly cannot none neither nor wasn't`,
  notNeutral: `sure know idea comment comments opinion yet decided thoughts`,
  but: `but however although otherwise`,
  though: `though`,
  down: `bit slightly little somewhat kinda kind sort`,
  up: `very really so extremely super totally absolutely incredibly highly truly way much`,
  too: `too`,
  ironic: `oh great|great,|great.|wow|sure,|yeah right|thanks for|thank you for|love paying|just what i needed|brilliant,`,
  click: `click clicked clicking pressed press hit hitting tapped tap tapping chose choose picked selected select`,
  stop: `a an the and or of to in on for with at by from is are was were be been being it its it's this that these
    those i i'm i've me my mine we our ours you your yours they them their he she his her as so if just also about
    up out there here what which who whom when where how all any some more most much can could would should will
    shall may might must do does did doing done have has had having am one get got gets getting than then into
    over under again only even still now ever own same such each other both too very really yet also because
    while until after before since via per us let lets let's i'd i'll we're we've you're they're there's that's
    what's happen happens happened thing things stuff lot lots way back first time times day days week month year`,
  generic: `good great love like nice thanks thank awesome amazing excellent bad terrible awful best worst ok okay fine
    perfect happy cool hate please
    take takes took taking taken give gives gave giving given make makes made find found try tried trying use used
    using want wanted need needed see seen saw ten two three four five six seven eight nine twenty minute minutes hour
    hours second seconds`,
  topics: {
    price: `price* pricing expensive pricey overpriced cheap* cost* costly pay paying paid payment* billing bill billed
      invoice* charge* charged refund* subscription* discount* money afford* plan plans tier* $ € £ dollar*`,
    speed: `slow* fast* speed* quick* lag* load* latency performance spinning forever wait* waited timeout* freez* froze
      frozen hang* sluggish snappy ages`,
    bugs: `bug* buggy crash* error* broke broken fail* glitch* 500 404 blank froze freez*`,
    onboarding: `onboarding setup set-up install* configur* signup sign-up register* registration tutorial walkthrough
      steps step verify* verification getting-started activation wizard`,
    team: `team* invite* invitation* colleague* coworker* member* user users seat* workspace* share* shared collaborat*
      permission* role* admin*`,
    support: `support* helpdesk service reply replied response responded agent* chat ticket* contact* staff`,
    docs: `doc docs documentation guide* article* example* faq* manual* tutorial* readme`,
    integrations: `integrat* slack zapier hubspot salesforce stripe jira github gitlab google sheets api webhook* connect*
      sync* plugin* sso shopify notion mixpanel segment`,
    data: `export* import* csv excel xlsx pdf report* data download* numbers rows backup* chart* graph* dashboard*
      metrics funnel*`,
    design: `design* ui ux layout* look looks ugly beautiful pretty theme* dark colour* color* font* interface
      navigation menu* cluttered button* icon* style`,
  },
}
