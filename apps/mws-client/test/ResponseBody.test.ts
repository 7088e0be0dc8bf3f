import { assert, describe, it } from "@effect/vitest"
import { ResponseBody } from "../src/index.ts"

const metadata: ResponseBody.ResponseMetadata = {
  requestId: "r",
  requestTimestamp: "t",
  serverTimestamp: undefined,
  httpStatus: 200,
  quota: undefined,
  callId: "c",
  attempt: 1,
  durationMs: 1,
  throttleWaitMs: 0
}

describe("ResponseBody", () => {
  it("parses a success body: namespaces dropped, values kept as strings, entities decoded", () => {
    const outcome = ResponseBody.parse(
      `<?xml version="1.0"?><ns2:ListOrdersResponse xmlns:ns2="https://mws.amazonservices.com/Orders/2013-09-01"><ns2:ListOrdersResult><NextToken>abc</NextToken><Orders><Order><AmazonOrderId>0123</AmazonOrderId><Title>Fish &amp; Chips &#233; &#x263A; &bogus;</Title></Order><Order status="x"><AmazonOrderId>2</AmazonOrderId></Order></Orders></ns2:ListOrdersResult><ResponseMetadata><RequestId>rid</RequestId></ResponseMetadata></ns2:ListOrdersResponse>`
    )
    assert.strictEqual(outcome._tag, "Parsed")
    if (outcome._tag !== "Parsed") return
    assert.strictEqual(outcome.root, "ListOrdersResponse")
    const result = ResponseBody.resultOf(outcome.document, "ListOrders")
    assert.strictEqual(ResponseBody.text(result, "NextToken"), "abc")
    const orders = ResponseBody.list(
      ResponseBody.child(result, "Orders"),
      "Order"
    ) as ReadonlyArray<ResponseBody.XmlObject>
    assert.strictEqual(orders.length, 2)
    assert.strictEqual(orders[0]!.AmazonOrderId, "0123")
    assert.strictEqual(orders[0]!.Title, "Fish & Chips é ☺ &bogus;")
    assert.strictEqual(orders[1]!["@status"], "x")
    assert.strictEqual(ResponseBody.bodyRequestId(outcome.document), "rid")
  })

  it("refuses DOCTYPE and entity declarations, malformed and truncated XML, reserved names", () => {
    const bomb = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]><a>&lol2;</a>`
    assert.deepInclude(ResponseBody.parse(bomb), { _tag: "Malformed", reason: "declaration" })
    assert.deepInclude(ResponseBody.parse("<a><b>x</c></a>"), { _tag: "Malformed", reason: "malformed-xml" })
    assert.deepInclude(ResponseBody.parse("<ListOrdersResponse><ListOrdersResult><Orders>"), {
      _tag: "Malformed",
      reason: "malformed-xml"
    })
    assert.deepInclude(ResponseBody.parse("<a><__proto__>x</__proto__></a>"), {
      _tag: "Malformed",
      reason: "unsafe-name"
    })
    assert.strictEqual(Object.getPrototypeOf({}), Object.prototype)
    assert.strictEqual(ResponseBody.parse("")._tag, "Malformed")
    assert.deepInclude(ResponseBody.parse("<a>1</a><b>2</b>"), { _tag: "Malformed" })
  })

  it("caps nesting", () => {
    const deep = `${"<a>".repeat(100)}x${"</a>".repeat(100)}`
    assert.strictEqual(ResponseBody.parse(deep)._tag, "Malformed")
  })
})

describe("ResponseBody.check (the client's check of every 2xx body)", () => {
  it("accepts well-formed bodies: attributes with > inside quotes, comments, CDATA, reserved words in text", () => {
    assert.isUndefined(
      ResponseBody.check(
        `<?xml version="1.0"?><R a="x>y" b='&lt;'><!-- <c> --><T><![CDATA[<not a tag>]]></T><Title>a constructor kit</Title><E/></R>`
      )
    )
  })

  it("refuses what XML forbids that the scan before let through: < in an attribute, a bare &, text after the root", () => {
    assert.deepInclude(ResponseBody.check(`<R b='<'/>`), { reason: "malformed-xml" })
    assert.deepInclude(ResponseBody.check("<R>Fish & Chips</R>"), { reason: "malformed-xml" })
    assert.deepInclude(ResponseBody.check("<R/>junk"), { reason: "malformed-xml" })
    assert.deepInclude(ResponseBody.check("<R><![CDATA[<!DOCTYPE x>]]></R>"), { reason: "declaration" })
  })

  it("refuses truncated, unbalanced, multi-root and hostile bodies", () => {
    assert.deepInclude(ResponseBody.check("<R><A>1</A><B>"), { reason: "malformed-xml" })
    assert.deepInclude(ResponseBody.check("<R><A>1</B></R>"), { reason: "malformed-xml" })
    assert.deepInclude(ResponseBody.check("<R><A>1</A></R></X>"), { reason: "malformed-xml" })
    assert.deepInclude(ResponseBody.check('<R><A x="1'), { reason: "malformed-xml" })
    assert.deepInclude(ResponseBody.check("<A/><B/>"), { reason: "no-root" })
    assert.deepInclude(ResponseBody.check("<R><constructor>x</constructor></R>"), { reason: "unsafe-name" })
    assert.deepInclude(ResponseBody.check(`<R prototype="1"/>`), { reason: "unsafe-name" })
    assert.deepInclude(ResponseBody.check(`<!DOCTYPE x><R/>`), { reason: "declaration" })
  })

  it("uses the tree it is given, without parsing again", () => {
    const read = ResponseBody.parse("<R><ListResult><Status>GREEN</Status></ListResult></R>")
    assert.strictEqual(read._tag, "Parsed")
    if (read._tag !== "Parsed") return
    const response = ResponseBody.makeResponse({
      section: "Orders",
      operation: "List",
      xml: "not parsed again",
      document: read.document,
      itemErrors: [],
      metadata
    })
    assert.strictEqual(response.document, read.document)
    assert.strictEqual(response.result.Status, "GREEN")
  })

  it("builds the tree lazily, once", () => {
    const response = ResponseBody.makeResponse({
      section: "Orders",
      operation: "GetServiceStatus",
      xml: "<GetServiceStatusResponse><GetServiceStatusResult><Status>GREEN</Status></GetServiceStatusResult></GetServiceStatusResponse>",
      itemErrors: [],
      metadata
    })
    assert.strictEqual(response.result.Status, "GREEN")
    assert.strictEqual(response.document, response.document)
    assert.deepInclude(JSON.parse(JSON.stringify(response)), { result: { Status: "GREEN" } })
  })
})
