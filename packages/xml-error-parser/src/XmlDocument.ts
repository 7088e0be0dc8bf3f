/**
 * A whole XML document (an MWS success body, a report) read in one pass into
 * a plain tree, checking on the way that it is well-formed XML 1.0 with the
 * same reader the error parser uses: a typed problem instead of a tree when
 * it is not, never a throw, and time linear in the input whatever it holds.
 *
 * The tree has the shape fast-xml-parser 5 gives with `SafeXml.parserOptions`
 * (attributes kept) and `SafeXml.decodeEntities` as its value processors,
 * which is what MWS clients read: namespace prefixes dropped, attributes as
 * `@name`, text trimmed and decoded, values kept as strings, repeated
 * elements as arrays. A differential test holds the two to the same trees.
 *
 * @since 0.2.0
 */
import { readDocument } from "./internal/documentReader.ts"
import { positiveInteger } from "./internal/settings.ts"
import * as Limits from "./Limits.ts"

/**
 * A value of the tree: an element's text, an element with children or
 * attributes, or the elements of a repeated name.
 *
 * @category models
 * @since 0.2.0
 */
export type XmlValue = string | XmlObject | ReadonlyArray<XmlValue>

/**
 * An element with children or attributes: each child by its name without
 * prefix (an array when the name repeats), each attribute as `@name`, and its
 * own text, if any, as `#text`.
 *
 * @category models
 * @since 0.2.0
 */
export interface XmlObject {
  readonly [name: string]: XmlValue
}

/**
 * Why a text was refused:
 *
 * - `too-large`: longer than `maxLength`, not read at all;
 * - `declaration`: a DOCTYPE, entity or other markup declaration, anywhere;
 * - `malformed-xml`: not well-formed XML (truncated, mismatched tags, a bare
 *   `&`, a broken attribute...), the rule named in the problem;
 * - `unsafe-name`: an element or attribute named `__proto__`, `constructor`
 *   or `prototype` (with or without a prefix);
 * - `no-root`: no root element, or more than one;
 * - `too-deep`: elements nested deeper than `maxDepth`.
 *
 * @category models
 * @since 0.2.0
 */
export type Reason = "too-large" | "declaration" | "malformed-xml" | "unsafe-name" | "no-root" | "too-deep"

/**
 * A document read: its root element's name (without prefix) and content.
 * A root holding only text has it as `#text`; an empty root is `{}`.
 *
 * @category models
 * @since 0.2.0
 */
export interface Parsed {
  readonly _tag: "Parsed"
  readonly root: string
  readonly document: XmlObject
}

/**
 * A text refused, with why and what was wrong (bounded, safe to log).
 *
 * @category models
 * @since 0.2.0
 */
export interface Malformed {
  readonly _tag: "Malformed"
  readonly reason: Reason
  readonly problem: string
}

/**
 * What {@link read} gives.
 *
 * @category models
 * @since 0.2.0
 */
export type Outcome = Parsed | Malformed

/**
 * Bounds of {@link read}, each optional:
 *
 * - `maxDepth`: the deepest element nesting accepted (the root is level 1),
 *   {@link Limits.DEFAULT_MAX_DEPTH} by default;
 * - `maxLength`: the longest text read, in UTF-16 code units (the string's
 *   `length`), {@link Limits.DEFAULT_MAX_SUCCESS_BODY_BYTES} by default.
 *
 * @category models
 * @since 0.2.0
 */
export interface Options {
  readonly maxDepth?: number | undefined
  readonly maxLength?: number | undefined
}

/**
 * Reads a document in one pass into its tree, or says why it cannot. What is
 * refused: see {@link Reason}; the checks are those of XML 1.0 (one root,
 * tags that pair up exactly, names made of name characters, attributes
 * spaced, quoted, unique and without `<`, references that are the predefined
 * entities or characters XML allows, no bare `&`, no `]]>` in text, comments
 * without `--`), with one leniency kept from the parsers MWS clients used: a
 * reference to an undeclared entity (`&nbsp;`) is kept as written, not
 * refused. Control characters in text are not checked. It never throws on
 * any text; only a broken option (a zero, negative or fractional limit)
 * throws, at once, naming it.
 *
 * What is read, as fast-xml-parser reads it: comments, processing
 * instructions and the XML declaration are skipped; text is trimmed, then
 * decoded (the five predefined entities and character references, once);
 * CDATA is decoded the same way but not trimmed, and joins the text around
 * it; line ends read as `\n`; `xmlns` attributes are dropped; an element with
 * neither children, attributes nor text is `""`. An element named like an
 * `Object.prototype` method (`toString`, `hasOwnProperty`...) is kept as
 * `__toString`, as fast-xml-parser does.
 *
 * @example
 * ```ts
 * import { XmlDocument } from "@mws-kit/xml-error-parser"
 *
 * XmlDocument.read(
 *   `<ns2:ListOrdersResponse xmlns:ns2="https://mws.amazonservices.com/Orders/2013-09-01">
 *      <ListOrdersResult><Orders><Order><AmazonOrderId>0123</AmazonOrderId></Order></Orders></ListOrdersResult>
 *    </ns2:ListOrdersResponse>`,
 *   { maxDepth: 64 }
 * )
 * // { _tag: "Parsed", root: "ListOrdersResponse",
 * //   document: { ListOrdersResult: { Orders: { Order: { AmazonOrderId: "0123" } } } } }
 *
 * XmlDocument.read("<ListOrdersResponse><ListOrdersResult>")
 * // { _tag: "Malformed", reason: "malformed-xml", problem: "unclosed <ListOrdersResult>" }
 * ```
 *
 * @category parsing
 * @since 0.2.0
 */
export const read = (text: string, options: Options = {}): Outcome => {
  const maxLength =
    options.maxLength === undefined
      ? Limits.DEFAULT_MAX_SUCCESS_BODY_BYTES
      : positiveInteger("maxLength", options.maxLength)
  const maxDepth =
    options.maxDepth === undefined ? Limits.DEFAULT_MAX_DEPTH : positiveInteger("maxDepth", options.maxDepth)
  if (text.length > maxLength)
    return { _tag: "Malformed", reason: "too-large", problem: `over ${maxLength} characters` }
  const outcome = readDocument(text, maxDepth)
  if (outcome._tag === "Malformed") return outcome
  const { root, value } = outcome
  return {
    _tag: "Parsed",
    root,
    document: typeof value !== "string" ? value : value === "" ? {} : { "#text": value }
  }
}
