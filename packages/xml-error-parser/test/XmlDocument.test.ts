import { assert, describe, it } from "@effect/vitest"
import { XmlDocument } from "../src/index.ts"
import { productsWithItemErrors } from "./fixtures/bodies.ts"

const parsed = (text: string, options?: XmlDocument.Options) => {
  const read = XmlDocument.read(text, options)
  if (read._tag === "Malformed") assert.fail(`${read.reason}: ${read.problem}`)
  return read
}

const refused = (text: string, options?: XmlDocument.Options) => {
  const read = XmlDocument.read(text, options)
  if (read._tag === "Parsed") assert.fail(`read: ${JSON.stringify(read)}`)
  return read
}

describe("XmlDocument.read", () => {
  it("reads a success body as fast-xml-parser with the hardened options does", () => {
    const read = parsed(
      `\uFEFF<?xml version="1.0" encoding="UTF-8"?>
<ns2:ListOrdersResponse xmlns:ns2="https://mws.amazonservices.com/Orders/2013-09-01">
  <ns2:ListOrdersResult>
    <NextToken>abc</NextToken>
    <Orders>
      <Order><AmazonOrderId>0123</AmazonOrderId><Title> Fish &amp; Chips &#233; &bogus; </Title></Order>
      <Order status="x &amp; y"><AmazonOrderId>2</AmazonOrderId><Empty/><Blank></Blank></Order>
    </Orders>
  </ns2:ListOrdersResult>
  <ResponseMetadata><RequestId>rid</RequestId></ResponseMetadata>
</ns2:ListOrdersResponse>`
    )
    assert.deepStrictEqual(read, {
      _tag: "Parsed",
      root: "ListOrdersResponse",
      document: {
        ListOrdersResult: {
          NextToken: "abc",
          Orders: {
            Order: [
              { AmazonOrderId: "0123", Title: "Fish & Chips é &bogus;" },
              { AmazonOrderId: "2", Empty: "", Blank: "", "@status": "x & y" }
            ]
          }
        },
        ResponseMetadata: { RequestId: "rid" }
      }
    })
  })

  it("keeps mixed content's text under #text, joined around CDATA and comments, as fast-xml-parser does", () => {
    assert.deepStrictEqual(parsed("<a k='v'> x <b/> y <![CDATA[ &amp;<z> ]]><!-- c --> w </a>").document, {
      b: "",
      "#text": "xy &<z> w",
      "@k": "v"
    })
    // A comment does not end a text run; a processing instruction does.
    assert.deepStrictEqual(parsed("<a>x <!--c--> y</a>").document, { "#text": "x  y" })
    assert.deepStrictEqual(parsed("<a>x <?pi?> y</a>").document, { "#text": "xy" })
    assert.deepStrictEqual(parsed("<a>A\r\nB\rC</a>").document, { "#text": "A\nB\nC" })
    assert.deepStrictEqual(parsed("<a>only text</a>").document, { "#text": "only text" })
    assert.deepStrictEqual(parsed("<a/>").document, {})
  })

  it("drops xmlns declarations and one prefix, renames Object.prototype method names as fast-xml-parser does", () => {
    const read = parsed(
      `<p:R xmlns="u" xmlns:p="w" p:Id="1" a:b:c="2"><p:toString>1</p:toString><valueOf/><x:Item/><y:Item/></p:R>`
    )
    assert.deepStrictEqual(read.document, {
      __toString: "1",
      __valueOf: "",
      Item: ["", ""],
      "@Id": "1",
      "@a:b:c": "2"
    })
    assert.strictEqual(Object.getPrototypeOf(read.document), Object.prototype)
  })

  it("refuses, with the reason the client reports", () => {
    const reasons = (text: string, options?: XmlDocument.Options) => {
      const read = refused(text, options)
      return [read.reason, read.problem]
    }
    assert.deepStrictEqual(reasons("<a>x</a>", { maxLength: 7 }), ["too-large", "over 7 characters"])
    const cases: ReadonlyArray<readonly [string, XmlDocument.Reason]> = [
      ['<!DOCTYPE r [<!ENTITY x "y">]><r>&x;</r>', "declaration"],
      // A declaration anywhere wins over what else is wrong, and is refused inside comments and CDATA too.
      ["<r><a></r><!ENTITY x 'y'>", "declaration"],
      ["<r><![CDATA[<!DOCTYPE x>]]></r>", "declaration"],
      ["<r><!-- <!ENTITY x 'y'> --></r>", "declaration"],
      ["<r>a & b</r>", "malformed-xml"],
      ["<r>&#0;</r>", "malformed-xml"],
      ["<r a='<'/>", "malformed-xml"],
      ['<?xml version="1.0" encoding="UTF-8" junk?><r/>', "malformed-xml"],
      ["<r><__proto__/></r>", "unsafe-name"],
      ["<r><x:constructor/></r>", "unsafe-name"],
      ["<r xmlns:prototype='u'/>", "unsafe-name"]
    ]
    for (const [text, reason] of cases) assert.strictEqual(reasons(text)[0], reason, text)
    assert.deepStrictEqual(reasons("<r><b>x</c></r>"), ["malformed-xml", "mismatched closing tag </c>"])
    assert.deepStrictEqual(reasons("<r><b>"), ["malformed-xml", "unclosed <b>"])
    assert.deepStrictEqual(reasons(""), ["no-root", "no root element"])
    assert.deepStrictEqual(reasons("<!-- only -->"), ["no-root", "no root element"])
    assert.deepStrictEqual(reasons("<a/><b/>"), ["no-root", "more than one root element"])
    assert.strictEqual(Object.getPrototypeOf({}), Object.prototype)
  })

  it("keeps an undeclared entity as written when fast-xml-parser's validator would, refuses other names", () => {
    assert.deepStrictEqual(parsed("<r a='&nbsp;'>&nbsp;x&copy_2;</r>").document, {
      "#text": "&nbsp;x&copy_2;",
      "@a": "&nbsp;"
    })
    assert.match(refused("<r>&a-b;</r>").problem, /^undeclared entity reference "&a-b;"/)
    assert.match(refused("<r>&é;</r>").problem, /^undeclared entity reference "&é;"/)
  })

  it("caps nesting at maxDepth levels, the root being level 1", () => {
    const nest = (levels: number) => `${"<a>".repeat(levels)}x${"</a>".repeat(levels)}`
    assert.strictEqual(parsed(nest(64), { maxDepth: 64 }).root, "a")
    assert.deepStrictEqual(refused(nest(65), { maxDepth: 64 }), {
      _tag: "Malformed",
      reason: "too-deep",
      problem: "nested deeper than 64 elements"
    })
    assert.strictEqual(refused(`${"<a>".repeat(64)}<b/>${"</a>".repeat(64)}`, { maxDepth: 64 }).reason, "too-deep")
    assert.strictEqual(refused(nest(33)).reason, "too-deep") // the default: Limits.DEFAULT_MAX_DEPTH
  })

  it("throws only on a broken option, naming it", () => {
    assert.throws(() => XmlDocument.read("<r/>", { maxDepth: 0 }), /maxDepth must be a positive integer, got 0/)
    assert.throws(() => XmlDocument.read("<r/>", { maxLength: 1.5 }), /maxLength must be a positive integer/)
  })

  it("stays linear on hostile shapes", () => {
    const MiB = 1024 * 1024
    const shapes = [
      `<r>${"<a>x</a>".repeat(MiB / 8)}</r>`,
      `<r ${Array.from({ length: 50_000 }, (_, i) => `a${i}="v"`).join(" ")}/>`,
      `<r>${"<!-- c -->".repeat(MiB / 10)}</r>`,
      `<r>${"<?p?>".repeat(MiB / 5)}<!-- <! --></r>`,
      `<r>${"&amp;".repeat(MiB / 5)}</r>`,
      `<r>${"&".repeat(MiB)}</r>`,
      `<r>${"<![CDATA[x]]>".repeat(MiB / 13)}</r>`
    ]
    for (const text of shapes) {
      const started = performance.now()
      XmlDocument.read(text, { maxLength: 2 * MiB })
      assert.isBelow(performance.now() - started, 1_000, text.slice(0, 40))
    }
  })

  it("reads the Products fixture the same as before (attributes decoded, values trimmed)", () => {
    const read = parsed(productsWithItemErrors)
    assert.strictEqual(read.root, "GetMatchingProductForIdResponse")
  })
})
