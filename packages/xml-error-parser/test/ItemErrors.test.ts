import { assert, describe, it } from "@effect/vitest"
import { Result } from "effect"
import { ItemErrors, XmlDocument } from "../src/index.ts"
import * as bodies from "./fixtures/bodies.ts"

const items = (input: Parameters<typeof ItemErrors.fromSuccessBody>[0]) => {
  const result = ItemErrors.fromSuccessBody(input)
  if (Result.isFailure(result)) assert.fail(String(result.failure))
  return result.success
}

describe("ItemErrors.fromSuccessBody", () => {
  it("finds each failed item of a Products 200 with its identifier", () => {
    const found = items({
      body: bodies.productsWithItemErrors,
      status: 200,
      section: "Products",
      operation: "GetMatchingProductForId"
    })
    assert.deepStrictEqual(
      found.map((item) => [item.element, item.status, item.identifier, item.error.code, item.error.errorClass]),
      [
        [
          "GetMatchingProductForIdResult",
          "ClientError",
          { Id: "B00MISSING", IdType: "ASIN" },
          "InvalidParameterValue",
          "client"
        ],
        [
          "GetMatchingProductForIdResult",
          "ClientError",
          { Id: "0000000000000", IdType: "UPC" },
          "InvalidParameterValue",
          "client"
        ]
      ]
    )
    const [first] = found
    assert.strictEqual(first!.error.mwsMessage, "Invalid ASIN identifier B00MISSING for marketplace ATVPDKIKX0DER")
    assert.strictEqual(first!.error.requestId, "prod-req-1")
    assert.strictEqual(first!.error.httpStatus, 200)
    assert.strictEqual(first!.error.operation, "GetMatchingProductForId")
  })

  it("reads a status and an identifier given as child elements (GetMyFeesEstimate)", () => {
    const [item] = items({ body: bodies.feesEstimateWithError, status: 200, headers: { "x-mws-request-id": "h-1" } })
    assert.strictEqual(item!.status, "ClientError")
    assert.strictEqual(item!.error.code, "DataNotAvailable")
    assert.strictEqual(item!.error.type, "Receiver")
    assert.strictEqual(item!.error.requestId, "h-1")
    assert.deepStrictEqual(item!.identifier, {
      MarketplaceId: "ATVPDKIKX0DER",
      IdType: "ASIN",
      IdValue: "B00FEES",
      SellerInputIdentifier: "request-1"
    })
  })

  it("returns nothing for a body with no failed item", () => {
    const clean = bodies.productsWithItemErrors.replaceAll('status="ClientError"', 'status="Success"')
    assert.deepStrictEqual(items({ body: clean, status: 200 }), [])
  })

  it("refuses element names that could reach a prototype", () => {
    const body = bodies.productsWithItemErrors.replace(
      "<Products>",
      "<__proto__><polluted>1</polluted></__proto__><Products>"
    )
    const result = ItemErrors.fromSuccessBody({ body, status: 200 })
    assert.isTrue(Result.isFailure(result) && result.failure.reason === "unsafe-name")
    assert.isUndefined(({} as Record<string, unknown>).polluted)
  })

  it("fails with a typed value on a body that is not XML", () => {
    const result = ItemErrors.fromSuccessBody({ body: "<html>maintenance</html>", status: 200 })
    assert.isTrue(Result.isFailure(result))
    if (Result.isFailure(result)) assert.strictEqual(result.failure.reason, "html")
  })

  it("refuses a body nested deeper than maxDepth as too-deep", () => {
    const deep = `<R>${"<a>".repeat(40)}${"</a>".repeat(40)}</R>`
    const result = ItemErrors.fromSuccessBody({ body: deep, status: 200 })
    assert.isTrue(Result.isFailure(result) && result.failure.reason === "too-deep")
  })
})

describe("ItemErrors.fromDocument", () => {
  it("finds the same items in a tree already read, so the body is read once", () => {
    const read = XmlDocument.read(bodies.productsWithItemErrors, { maxDepth: 64 })
    assert.strictEqual(read._tag, "Parsed")
    if (read._tag !== "Parsed") return
    const input = { status: 200, section: "Products", operation: "GetMatchingProductForId" }
    const fromTree = ItemErrors.fromDocument(read, input)
    assert.deepStrictEqual(fromTree, items({ body: bodies.productsWithItemErrors, ...input }))
    assert.strictEqual(fromTree.length, 2)
    assert.strictEqual(fromTree[0]!.error.requestId, "prod-req-1")
  })

  it("gives identifiers decoded, as the tree holds them", () => {
    const body = bodies.productsWithItemErrors.replace('Id="B00MISSING"', 'Id="SKU&amp;1"')
    const read = XmlDocument.read(body)
    if (read._tag !== "Parsed") return assert.fail(read.problem)
    assert.deepStrictEqual(
      ItemErrors.fromDocument(read, { status: 200, headers: { "x-mws-request-id": "h" } })[0]!.identifier,
      {
        Id: "SKU&1",
        IdType: "ASIN"
      }
    )
  })
})
