/** The JSON Schema editors get (`GET /v1/schema/site`) describes segment rules, recursively. */
import { SELF } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'

type Schema = { [k: string]: any }

/**
 * A JSON Schema check for the keywords the site schema uses ($ref to $defs, anyOf, type, enum,
 * properties, required, additionalProperties, items, sizes, pattern): enough to see what an
 * editor would accept.
 */
function accepts(root: Schema, s: Schema, x: unknown): boolean {
  if (s.$ref) return accepts(root, root.$defs[s.$ref.replace('#/$defs/', '')], x)
  if (s.anyOf && !s.anyOf.some((o: Schema) => accepts(root, o, x))) return false
  if (s.enum && !s.enum.includes(x)) return false
  const type = Array.isArray(x) ? 'array' : x === null ? 'null' : typeof x
  if (s.type && ![s.type].flat().some((t: string) => t === type || (t === 'integer' && Number.isInteger(x))))
    return false
  if (typeof x === 'string') {
    if (s.pattern && !new RegExp(s.pattern).test(x)) return false
    if (x.length < (s.minLength ?? 0) || x.length > (s.maxLength ?? Infinity)) return false
  }
  if (typeof x === 'number' && (x < (s.minimum ?? -Infinity) || x > (s.maximum ?? Infinity))) return false
  if (Array.isArray(x)) {
    if (x.length < (s.minItems ?? 0) || x.length > (s.maxItems ?? Infinity)) return false
    if (s.items && !x.every((i) => accepts(root, s.items, i))) return false
  }
  if (type === 'object') {
    const o = x as { [k: string]: unknown }
    if ((s.required ?? []).some((k: string) => !(k in o))) return false
    for (const [k, v] of Object.entries(o)) {
      const p = s.properties?.[k] ?? s.additionalProperties
      if (p === false || (p && p !== true && !accepts(root, p, v))) return false
    }
  }
  return true
}

const siteSchema = async () => (await (await SELF.fetch('https://edge.example/v1/schema/site')).json()) as Schema

describe('GET /v1/schema/site', () => {
  it('defines a rule once, as its five forms, each holding rules again', async () => {
    const schema = await siteSchema()
    const rule = schema.$defs.rule
    expect(rule.anyOf.map((form: Schema) => Object.keys(form.properties))).toEqual([
      ['all'],
      ['any'],
      ['not'],
      ['segment'],
      ['field', 'op', 'value'],
    ])
    const [all, any, not] = rule.anyOf
    expect([all.properties.all.items, any.properties.any.items, not.properties.not]).toEqual([
      { $ref: '#/$defs/ruleOrSegment' },
      { $ref: '#/$defs/ruleOrSegment' },
      { $ref: '#/$defs/ruleOrSegment' },
    ])
    expect(schema.$defs.ruleOrSegment.anyOf).toContainEqual({ $ref: '#/$defs/rule' })
    expect(rule.anyOf[4].properties.op.enum).toContain('within')
    const config = schema.properties.config.properties
    expect(config.segments.items.properties.rule).toEqual({ $ref: '#/$defs/rule' })
    expect(config.surveys.items.properties.audience.properties.segment).toEqual({ $ref: '#/$defs/ruleOrSegment' })
  })

  it('lets an editor accept a nested rule and flag a typo three levels down', async () => {
    const schema = await siteSchema()
    const site = (rule: unknown) => ({ config: { segments: [{ id: 'fans', rule }] } })
    const nested = {
      all: ['returning', { not: { any: [{ field: 'nps.score', op: 'lte', value: 6 }, { segment: 'churned' }] } }],
    }
    expect(accepts(schema, schema, site(nested))).toBe(true)
    expect(
      accepts(schema, schema, site({ all: ['returning', { not: { any: [{ field: 'nps.score', op: 'less' }] } }] })),
    ).toBe(false)
    expect(accepts(schema, schema, site({ not: { field: 'sessions', op: 'gt', value: 1, vlaue: 2 } }))).toBe(false)
    expect(accepts(schema, schema, site({ any: [] }))).toBe(false)
  })
})
