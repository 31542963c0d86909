/** @module site-json-schema: the site schema as JSON Schema, for editors (`$schema` in a sites.json). */
import { toJsonSchema } from '@valibot/to-json-schema'
import { SiteInputSchema } from './site'
import { RuleForms, RuleOrSegmentForms } from './segments'

let cached: object | undefined

export function siteJsonSchema(): object {
  // Checks valibot cannot express (unique ids, origins, sizes) stay the worker's: the editor gets the shape.
  // Segment rules are recursive: one definition each (`#/$defs/rule`), referring to each other.
  cached ??= {
    ...toJsonSchema(SiteInputSchema, {
      errorMode: 'ignore',
      definitions: { rule: RuleForms, ruleOrSegment: RuleOrSegmentForms },
    }),
    title: 'ciel site',
    description: 'A site for PUT /v1/admin/sites/:key (see docs/http-api.md, "Sites").',
  }
  return cached
}
