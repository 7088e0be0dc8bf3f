/**
 * fast-xml-parser 5 set up for untrusted input, for code that parses other
 * MWS bodies (success responses, reports) and wants the same guarantees as
 * the error parser: no entity expansion, no DOCTYPE, values kept as strings,
 * nesting capped, reserved names refused.
 *
 * @since 0.1.0
 */
import type { X2jOptions } from "fast-xml-parser"

/**
 * Options of {@link parserOptions}.
 *
 * - `maxDepth`: the nesting cap (fast-xml-parser's `maxNestedTags`);
 * - `attributes`: keep attributes, prefixed `@` (default `false`).
 *
 * @category models
 * @since 0.1.0
 */
export interface Options {
  readonly maxDepth: number
  readonly attributes?: boolean | undefined
}

/**
 * fast-xml-parser options for untrusted input (storage-and-xml.md section 4):
 * no entity processing (decode the predefined ones afterwards with
 * {@link decodeEntities}, in one pass), values kept as strings (`0123` stays
 * `0123`), namespace prefixes dropped (MWS sections use different ones),
 * declarations and processing instructions ignored, nesting capped. Tag names
 * `__proto__`, `constructor` and `prototype` make the parser throw (its
 * `strictReservedNames`). Refuse declarations first with
 * {@link hasDeclaration}: the parser alone would skip them, not reject them.
 *
 * @example
 * ```ts
 * import { XMLParser } from "fast-xml-parser"
 * import { SafeXml } from "@mws-kit/xml-error-parser"
 *
 * const parser = new XMLParser({
 *   ...SafeXml.parserOptions({ maxDepth: 64, attributes: true }),
 *   tagValueProcessor: (_name, value) => SafeXml.decodeEntities(value)
 * })
 * ```
 *
 * @category constructors
 * @since 0.1.0
 */
export const parserOptions = (options: Options): Partial<X2jOptions> => ({
  processEntities: false,
  htmlEntities: false,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  removeNSPrefix: true,
  ignoreAttributes: options.attributes !== true,
  attributeNamePrefix: "@",
  allowBooleanAttributes: false,
  maxNestedTags: options.maxDepth
})

const DECLARATION = /<!(DOCTYPE|ENTITY|ELEMENT|ATTLIST|NOTATION)/i

/**
 * Whether the text declares a DOCTYPE, entities or other markup
 * declarations: refuse such a body before any parser sees it, so no entity
 * is ever expanded, internal or external.
 *
 * @category predicates
 * @since 0.1.0
 */
export const hasDeclaration = (text: string): boolean => DECLARATION.test(text)

const PREDEFINED: Readonly<Record<string, string>> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" }

const ENTITY = /&(lt|gt|amp|quot|apos|#[0-9]{1,7}|#x[0-9a-fA-F]{1,6});/g

/**
 * Decodes the five predefined XML entities and numeric character
 * references in one pass. Nothing is expanded recursively, no other entity
 * exists (`&foo;` stays as written), and an out-of-range reference stays as
 * written.
 *
 * @example
 * ```ts
 * import { SafeXml } from "@mws-kit/xml-error-parser"
 *
 * SafeXml.decodeEntities("a &lt;b&gt; &#233; &foo;") // "a <b> é &foo;"
 * ```
 *
 * @category parsing
 * @since 0.1.0
 */
export const decodeEntities = (text: string): string => {
  if (!text.includes("&")) return text
  return text.replace(ENTITY, (whole, name: string) => {
    if (name.charCodeAt(0) !== 35 /* # */) return Object.hasOwn(PREDEFINED, name) ? PREDEFINED[name]! : whole
    const code =
      name.charCodeAt(1) === 120 /* x */ ? Number.parseInt(name.slice(2), 16) : Number.parseInt(name.slice(1), 10)
    return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : whole
  })
}
