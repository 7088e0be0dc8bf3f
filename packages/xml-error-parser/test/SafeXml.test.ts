import { assert, describe, it } from "@effect/vitest"
import { XMLParser } from "fast-xml-parser"
import { SafeXml } from "../src/index.ts"

describe("SafeXml", () => {
  const parser = new XMLParser({
    ...SafeXml.parserOptions({ maxDepth: 8, attributes: true }),
    tagValueProcessor: (_name, value) => SafeXml.decodeEntities(value)
  })

  it("keeps values as strings, drops namespace prefixes, keeps attributes when asked", () => {
    const tree = parser.parse('<ns:Root xmlns:ns="urn:x"><Id kind="asin">0123</Id><On>true</On></ns:Root>')
    assert.deepStrictEqual(tree, { Root: { Id: { "#text": "0123", "@kind": "asin" }, On: "true" } })
    const plain = new XMLParser(SafeXml.parserOptions({ maxDepth: 8 })).parse('<Root><Id kind="asin">7</Id></Root>')
    assert.deepStrictEqual(plain, { Root: { Id: "7" } })
  })

  it("decodes only the predefined entities and character references, in one pass", () => {
    assert.strictEqual(
      SafeXml.decodeEntities("a &lt;b&gt; &amp;lt; &#233;&#x1F600; &foo; &#0; &#xD800;"),
      "a <b> &lt; é😀 &foo; &#0; &#xD800;"
    )
    assert.strictEqual(parser.parse("<R>&amp;amp;</R>").R, "&amp;", "never decoded twice")
  })

  it("refuses declarations before parsing, and the parser refuses deep nesting and reserved names", () => {
    assert.isTrue(SafeXml.hasDeclaration('<!DOCTYPE r [<!ENTITY x "boom">]><r>&x;</r>'))
    assert.isTrue(SafeXml.hasDeclaration("<r><!entity x 'y'></r>"))
    assert.isFalse(SafeXml.hasDeclaration("<r><!-- a comment --><![CDATA[<!DOC]]></r>"))
    assert.throws(() => parser.parse(`${"<a>".repeat(20)}x${"</a>".repeat(20)}`))
    assert.throws(() => parser.parse("<r><__proto__>x</__proto__></r>"))
  })
})
