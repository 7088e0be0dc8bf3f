import { assert, describe, it } from "@effect/vitest"
import { TransportError } from "../src/index.ts"

describe("TransportError", () => {
  it("tells a request that never left from one that may have been processed", () => {
    const refused = Object.assign(new TypeError("fetch failed"), { cause: { code: "ECONNREFUSED" } })
    assert.deepStrictEqual(TransportError.classifyCause(refused), {
      kind: "refused",
      sent: false,
      errorCode: "ECONNREFUSED"
    })
    assert.deepStrictEqual(TransportError.classifyCause({ code: "ENOTFOUND" }), {
      kind: "dns",
      sent: false,
      errorCode: "ENOTFOUND"
    })
    assert.deepStrictEqual(TransportError.classifyCause({ code: "UND_ERR_SOCKET" }), {
      kind: "reset",
      sent: true,
      errorCode: "UND_ERR_SOCKET"
    })
    assert.deepStrictEqual(TransportError.classifyCause(new Error("?")), { kind: "other", sent: true })
  })

  it("is a transient, below-HTTP failure for the retry policy, ambiguous once sent", () => {
    const error = new TransportError.MwsTransportError({
      kind: "timeout",
      sent: true,
      section: "Orders",
      operation: "ListOrders",
      requestTimestamp: "2026-11-25T10:00:00.000Z",
      timeoutMs: 120000
    })
    assert.deepInclude(TransportError.classify(error), {
      errorClass: "transient",
      transport: true,
      ambiguous: true,
      code: "Transport:timeout"
    })
    assert.include(error.message, "no full response within 120000 ms")
    assert.include(error.message, "Timestamp 2026-11-25T10:00:00.000Z")
    assert.isUndefined(TransportError.classify(new Error("x")))
  })

  it("keeps the RequestId of a response whose body broke off after the headers", () => {
    const error = new TransportError.MwsTransportError({
      kind: "reset",
      sent: true,
      section: "Reports",
      operation: "GetReport",
      requestTimestamp: "2026-11-25T10:00:00.000Z",
      errorCode: "UND_ERR_SOCKET",
      httpStatus: 200,
      requestId: "b7afc6c3-aaaa",
      serverTimestamp: "2026-11-25T10:00:00.120Z"
    })
    assert.strictEqual(
      error.message,
      "Transport:reset (connection reset before a full response, UND_ERR_SOCKET) on Reports/GetReport after HTTP 200, " +
        "RequestId b7afc6c3-aaaa, Timestamp 2026-11-25T10:00:00.000Z; the request may have been processed"
    )
    assert.deepInclude(TransportError.classify(error), { requestId: "b7afc6c3-aaaa", httpStatus: 200, ambiguous: true })
  })
})
