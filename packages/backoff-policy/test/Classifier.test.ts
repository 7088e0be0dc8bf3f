import { assert, describe, it } from "@effect/vitest"
import { MwsError, UnparseableErrorBody } from "@mws-kit/error-codes"
import { Classifier } from "../src/index.ts"

describe("Classifier.fromMwsError", () => {
  it("copies the class, the identifiers and the request's Timestamp", () => {
    const view = Classifier.fromMwsError(
      MwsError.make({
        code: "RequestThrottled",
        httpStatus: 503,
        requestId: "r-1",
        requestTimestamp: "2026-11-25T10:00:00.000Z",
        serverTimestamp: "2026-11-25T10:00:00.400Z",
        operation: "ListOrders"
      })
    )
    assert.deepStrictEqual(view, {
      errorClass: "throttled",
      ambiguous: false,
      retryHint: undefined,
      code: "RequestThrottled",
      requestId: "r-1",
      timestamp: "2026-11-25T10:00:00.000Z",
      httpStatus: 503,
      operation: "ListOrders"
    })
  })

  it("falls back to the server timestamp", () => {
    const view = Classifier.fromMwsError(
      MwsError.make({ code: "InternalError", httpStatus: 500, serverTimestamp: "2026-11-25T10:00:00.400Z" })
    )
    assert.strictEqual(view.timestamp, "2026-11-25T10:00:00.400Z")
  })

  it("calls a 5xx other than 503 ambiguous: the service may have acted", () => {
    const ambiguous = (code: string, httpStatus: number) =>
      Classifier.fromMwsError(MwsError.make({ code, httpStatus })).ambiguous
    assert.isTrue(ambiguous("InternalError", 500))
    assert.isTrue(ambiguous("BadGatewayish", 502))
    assert.isTrue(ambiguous("GatewayTimeoutish", 504))
    assert.isFalse(ambiguous("ServiceUnavailable", 503))
    assert.isFalse(ambiguous("QuotaExceeded", 503))
    assert.isFalse(ambiguous("RequestThrottled", 503))
    assert.isFalse(ambiguous("InputStreamDisconnected", 400))
  })

  it("reads the retry hint, else the quota reset header", () => {
    const hint = { retryAfterMs: 2_000, source: "retry-after" } as const
    assert.deepStrictEqual(
      Classifier.fromMwsError(MwsError.make({ code: "ServiceUnavailable", httpStatus: 503, retryHint: hint }))
        .retryHint,
      hint
    )
    assert.deepStrictEqual(
      Classifier.fromMwsError(
        MwsError.make({ code: "QuotaExceeded", httpStatus: 503, quota: { resetsOn: "2026-11-25T11:00:00.000Z" } })
      ).retryHint,
      { resetsAt: "2026-11-25T11:00:00.000Z", source: "quota-header" }
    )
  })

  it("sees only a corrupted download as an integrity error", () => {
    const cls = (code: string, operation?: string) =>
      Classifier.fromMwsError(MwsError.make({ code, ...(operation === undefined ? {} : { operation }) })).errorClass
    assert.strictEqual(cls("ContentMD5DoesNotMatch", "GetReport"), "integrity")
    assert.strictEqual(cls("ContentMD5DoesNotMatch", "GetFeedSubmissionResult"), "integrity")
    assert.strictEqual(cls("ContentMD5DoesNotMatch"), "integrity")
    assert.strictEqual(cls("ContentMD5DoesNotMatch", "SubmitFeed"), "client")
    assert.strictEqual(cls("ContentMD5Missing", "SubmitFeed"), "client")
    assert.strictEqual(cls("ContentMD5Missing"), "client")
  })
})

describe("Classifier.mws", () => {
  it("reads MwsError and UnparseableErrorBody, and calls anything else unknown", () => {
    assert.strictEqual(Classifier.mws(MwsError.make({ code: "AccessDenied", httpStatus: 401 })).errorClass, "auth")
    const page = new UnparseableErrorBody.UnparseableErrorBody({
      reason: "html",
      errorClass: "transient",
      httpStatus: 504,
      requestId: "r-9",
      bodyBytes: 10,
      excerpt: "<html>"
    })
    assert.deepStrictEqual(Classifier.mws(page), {
      errorClass: "transient",
      ambiguous: true,
      retryHint: undefined,
      code: "Unparseable:html",
      requestId: "r-9",
      timestamp: undefined,
      httpStatus: 504,
      operation: undefined
    })
    assert.deepStrictEqual(Classifier.mws(new Error("boom")), { errorClass: "unknown" })
    assert.deepStrictEqual(Classifier.mws(undefined), { errorClass: "unknown" })
  })

  it("orMws tries the caller's classifier first", () => {
    class Timeout {
      readonly sent: boolean
      constructor(sent: boolean) {
        this.sent = sent
      }
    }
    const classify = Classifier.orMws((e: unknown) =>
      e instanceof Timeout ? { errorClass: "transient", transport: true, ambiguous: e.sent } : undefined
    )
    assert.deepStrictEqual(classify(new Timeout(true)), { errorClass: "transient", transport: true, ambiguous: true })
    assert.strictEqual(classify(MwsError.make({ code: "InternalError", httpStatus: 500 })).code, "InternalError")
    assert.strictEqual(classify("other").errorClass, "unknown")
  })
})
