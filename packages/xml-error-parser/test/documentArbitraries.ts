/**
 * Generated XML documents in the shapes MWS success bodies take, and in the
 * corners where a tree reader can go wrong: namespace prefixes (one, two, an
 * empty local name), `xmlns` declarations, repeated and shadowing names,
 * attributes with entities and line ends, mixed content, CDATA, comments and
 * processing instructions between text runs, CR LF, undeclared entities;
 * then the same documents mutated (truncated, spliced with XML syntax...).
 */
import fc from "fast-check"
import { mutationsOf } from "./arbitraries.ts"

/** Now and then, a name that could reach a prototype (refused, as `unsafe-name`). */
const rarely = (common: fc.Arbitrary<string>, reserved: string): fc.Arbitrary<string> =>
  fc.oneof({ arbitrary: common, weight: 40 }, { arbitrary: fc.constant(reserved), weight: 1 })

/** Element names: MWS's, prefixed, repeated, odd but valid, and names of `Object.prototype` methods. */
const elementName = rarely(
  fc.constantFrom(
    "Order",
    "Order",
    "AmazonOrderId",
    "Title",
    "ns2:Title",
    "a:Order",
    "Item",
    "b",
    "x-y.z",
    "_u",
    "é",
    "p:q:r",
    "a:",
    "toString",
    "valueOf",
    "hasOwnProperty",
    "isPrototypeOf",
    "__defineGetter__"
  ),
  "constructor"
)

/** Attribute names, with declarations, prefixes that collide once removed, and a reserved name. */
const attributeName = rarely(
  fc.constantFrom("Id", "IdType", "status", "xmlns", "xmlns:ns2", "ns2:Id", "a:b:c", "p:", "toString"),
  "prototype"
)

/** Pieces of text: words, white space of every kind, references of every kind, line ends, `>` and `]]`. */
const textPiece = fc.oneof(
  fc.constantFrom(
    "GREEN",
    "0123",
    " ",
    "  ",
    "\n  ",
    "\t",
    "\r\n",
    "\r",
    "&amp;",
    "&lt;tag&gt;",
    "&quot;&apos;",
    "&#233;",
    "&#x263A;",
    "&#32;",
    "&#10;",
    "&amp;lt;",
    "&nbsp;",
    "&#0065;",
    ">",
    "]]",
    "]",
    "\u00A0",
    "\uFEFF",
    "\u2028",
    "Fish & Chips".replace("&", "&amp;")
  ),
  fc.string({ maxLength: 6 }).map((text) => text.replace(/[<&]/g, "").replace(/]]>/g, ""))
)
const text = fc
  .array(textPiece, { minLength: 1, maxLength: 4 })
  .map((pieces) => pieces.join("").replaceAll("]]>", "]] >"))

/** CDATA content: anything but `]]>`, with references (decoded, as fast-xml-parser's value processor does). */
const cdata = fc
  .array(fc.constantFrom("x", " ", "<tag>", "&amp;", "&lt;", "]]", "\r\n", "a & b", ""), { maxLength: 4 })
  .map((pieces) => `<![CDATA[${pieces.join("")}]]>`)

const comment = fc.constantFrom("", " c ", "<tag>", "-a", "a-b", "&nbsp;").map((content) => `<!--${content}-->`)

const instruction = fc.constantFrom("<?pi?>", "<?target data='1'?>", "<?x-y a b?>")

/** An attribute value: text pieces without the quote used, and `'` or `"` of the other kind. */
const attributeValue = fc
  .array(fc.constantFrom("v", " ", "&amp;", "&#233;", "&lt;", "'", "\r\n", "\t", "&nbsp;", ">", "0"), {
    maxLength: 4
  })
  .map((pieces) => pieces.join(""))

const attributes = fc.uniqueArray(fc.tuple(attributeName, attributeValue, fc.boolean()), {
  selector: ([name]) => name,
  maxLength: 3
})

const serializeAttributes = (list: ReadonlyArray<readonly [string, string, boolean]>): string =>
  list
    .map(([name, value, single]) =>
      single ? ` ${name}='${value.replaceAll("'", "&apos;")}'` : ` ${name}="${value.replaceAll('"', "&quot;")}"`
    )
    .join("")

/** An element: an empty-element tag, or a start tag, content and the matching end tag. */
const { element } = fc.letrec<{ element: string; node: string }>((tie) => ({
  node: fc.oneof(
    { depthIdentifier: "xml", maxDepth: 5 },
    text,
    tie("element"),
    tie("element"),
    cdata,
    comment,
    instruction
  ),
  element: fc
    .tuple(elementName, attributes, fc.boolean(), fc.array(tie("node"), { maxLength: 5, depthIdentifier: "xml" }))
    .map(([name, list, empty, content]) =>
      empty && content.length === 0
        ? `<${name}${serializeAttributes(list)}/>`
        : `<${name}${serializeAttributes(list)}>${content.join("")}</${name}>`
    )
}))

const misc = fc.array(fc.oneof(fc.constantFrom(" ", "\n", "\r\n"), comment, instruction), { maxLength: 3 })

/** A whole document: an optional byte-order mark and declaration, comments around, one root. */
export const document: fc.Arbitrary<string> = fc
  .tuple(
    fc.constantFrom("", "", "\uFEFF"),
    fc.constantFrom("", '<?xml version="1.0"?>', '<?xml version="1.0" encoding="UTF-8"?>\n'),
    misc,
    element,
    misc
  )
  .map(([bom, declaration, before, root, after]) => bom + declaration + before.join("") + root + after.join(""))

/** Documents as generated, and mutated. */
export const anyDocument: fc.Arbitrary<string> = fc.oneof(document, mutationsOf(document))
