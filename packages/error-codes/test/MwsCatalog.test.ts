import { assert, describe, it } from "@effect/vitest"
import { ErrorCatalog, ErrorClass, MwsCatalog } from "../src/index.ts"

// "Table 1. Common HTTP error status codes", MWS Developer Guide, Handling errors,
// restated row by row so that a change to the catalog that drifts from the docs fails here.
const documentedTable = [
  ["InputStreamDisconnected", 400, "There was an error reading the input stream."],
  [
    "InvalidParameterValue",
    400,
    "An invalid parameter value was used, or the request size exceeded the maximum accepted size, or the request expired."
  ],
  ["AccessDenied", 401, "Access was denied."],
  ["InvalidAccessKeyId", 403, "An invalid AWSAccessKeyId value was used."],
  ["SignatureDoesNotMatch", 403, "The signature used does not match the server's calculated signature value."],
  ["InvalidAddress", 404, "An invalid API section or operation value was used, or an invalid path was used."],
  ["InternalError", 500, "There was an internal service failure."],
  ["QuotaExceeded", 503, "The total number of requests in an hour was exceeded."],
  ["RequestThrottled", 503, "The frequency of requests was greater than allowed."]
] as const

describe("MwsCatalog", () => {
  it("lists the nine common codes exactly as the documented table, in its order", () => {
    assert.deepStrictEqual(
      MwsCatalog.commonCodes.map((entry) => [entry.code, entry.httpStatus, entry.description]),
      documentedTable.map((row) => [...row])
    )
    for (const entry of MwsCatalog.commonCodes) {
      assert.strictEqual(entry.section, "Common")
      assert.isTrue(entry.documented)
    }
  })

  it.each(documentedTable)("finds %s with its documented status through lookup", (code, status) => {
    assert.strictEqual(ErrorCatalog.lookup(MwsCatalog.catalog, code)?.httpStatus, status)
  })

  it("gives the 5xx common codes the class their handling needs", () => {
    const classOf = (code: string) => ErrorCatalog.lookup(MwsCatalog.catalog, code)?.errorClass
    assert.strictEqual(classOf("InternalError"), "transient")
    assert.strictEqual(classOf("RequestThrottled"), "throttled")
    assert.strictEqual(classOf("QuotaExceeded"), "quota-exceeded")
    assert.strictEqual(classOf("ServiceUnavailable"), "transient")
    assert.strictEqual(classOf("SignatureDoesNotMatch"), "auth")
    assert.strictEqual(classOf("ReportNotReady"), "not-ready")
    assert.strictEqual(classOf("FeedProcessingResultNotReady"), "not-ready")
    assert.strictEqual(classOf("ContentMD5DoesNotMatch"), "integrity")
  })

  it("gives every entry a valid class, a description and a source", () => {
    for (const entry of MwsCatalog.catalog.entries) {
      assert.include(ErrorClass.all, entry.errorClass, entry.code)
      assert.isAbove(entry.description.length, 0, entry.code)
      assert.isAbove(entry.source.length, 0, entry.code)
      assert.isTrue(
        entry.httpStatus === null || (entry.httpStatus >= 400 && entry.httpStatus <= 599),
        `${entry.code}: ${entry.httpStatus}`
      )
    }
  })

  it("has no two entries for the same code in the same section", () => {
    const keys = MwsCatalog.catalog.entries.map((entry) => `${entry.section}/${entry.code}`)
    assert.strictEqual(new Set(keys).size, keys.length)
  })

  it("knows the codes seen on the wire but in no published table", () => {
    for (const code of [
      "ValidationError",
      "MalformedInput",
      "ServiceUnavailable",
      "InvalidClientTokenId",
      "UserAgentHeaderMalformed",
      "UserAgentHeaderMissing",
      "UserAgentHeaderMaximumLengthExceeded",
      "ContentMD5Missing",
      "ContentMD5DoesNotMatch",
      "InvalidQueryParameter",
      "ShipmentNotFoundException",
      "Internal Error"
    ]) {
      const entry = ErrorCatalog.lookup(MwsCatalog.catalog, code)
      assert.isDefined(entry, code)
      assert.isFalse(entry!.documented, code)
    }
  })

  it("leaves the status unknown where no source states one, and never invents it", () => {
    for (const code of ["FeedProcessingResultNotReady", "ReportNotReady", "MalformedInput", "Internal Error"]) {
      assert.isNull(ErrorCatalog.lookup(MwsCatalog.catalog, code)?.httpStatus, code)
    }
    assert.strictEqual(ErrorCatalog.lookup(MwsCatalog.catalog, "ValidationError")?.httpStatus, 400)
    assert.strictEqual(ErrorCatalog.lookup(MwsCatalog.catalog, "ServiceUnavailable")?.httpStatus, 503)
  })

  it("keeps per-section statuses for a code that two sections define differently", () => {
    assert.strictEqual(ErrorCatalog.lookup(MwsCatalog.catalog, "ResourceNotFound", "EasyShip")?.httpStatus, 400)
    assert.strictEqual(
      ErrorCatalog.lookup(MwsCatalog.catalog, "ResourceNotFound", "MerchantFulfillment")?.httpStatus,
      404
    )
    assert.deepStrictEqual(
      ErrorCatalog.lookupAll(MwsCatalog.catalog, "RegionNotSupported").map((entry) => entry.section),
      ["EasyShip", "MerchantFulfillment"]
    )
  })

  it("covers the documented section tables", () => {
    const sections = new Set(MwsCatalog.catalog.entries.map((entry) => entry.section))
    for (const section of [
      "Common",
      "Feeds",
      "Reports",
      "Finances",
      "Subscriptions",
      "EasyShip",
      "MerchantFulfillment",
      "FulfillmentInboundShipment",
      "ShipmentInvoicing"
    ]) {
      assert.isTrue(sections.has(section), section)
    }
    const inbound = MwsCatalog.catalog.entries.filter((entry) => entry.section === "FulfillmentInboundShipment")
    assert.isTrue(inbound.every((entry) => entry.httpStatus === 400))
    assert.strictEqual(inbound.length, 26)
  })
})
