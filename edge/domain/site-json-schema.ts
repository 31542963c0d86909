/** @module site-json-schema: the site schema as JSON Schema, for editors (`$schema` in a sites.json). */
import { toJsonSchema } from '@valibot/to-json-schema'
import { SiteInputSchema } from './site'

let cached: object | undefined

export function siteJsonSchema(): object {
  // Checks valibot cannot express (unique ids, origins, sizes) stay the worker's: the editor gets the shape.
  cached ??= {
    ...toJsonSchema(SiteInputSchema, { errorMode: 'ignore' }),
    title: 'ciel site',
    description: 'A site for PUT /v1/admin/sites/:key (see README, "Sites").',
  }
  return cached
}
