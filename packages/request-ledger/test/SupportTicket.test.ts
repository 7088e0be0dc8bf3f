import { assert, describe, it } from "@effect/vitest"
import { Result } from "effect"
import { LedgerEntry, SupportTicket } from "../src/index.ts"
import { sampleInput } from "./helpers.ts"

const entry = (id: string, overrides: Partial<LedgerEntry.RecordInput>) =>
  Result.getOrThrow(LedgerEntry.make(sampleInput(overrides), id, "2026-11-25T10:00:05.000Z"))

const call = "01a21464-b8be-7000-8000-50ce1bfc15ab"
const throttled = {
  callId: call,
  httpStatus: 503,
  errorCode: "RequestThrottled",
  errorClass: "throttled",
  errorType: "Sender",
  message: "Request is throttled\n(see quota)",
  outcome: "retried"
} as const
const first = entry("e1", { ...throttled, attempt: 1, requestId: "req-1", requestTimestamp: "2026-11-25T10:00:00Z" })
const second = entry("e2", {
  ...throttled,
  attempt: 2,
  requestId: "req-2",
  requestTimestamp: "2026-11-25T10:00:04Z",
  outcome: "gave-up",
  params: { ReportType: "_GET_ORDERS_DATA_", MWSAuthToken: "amzn.mws.secret-token", Signature: "sig" }
})

describe("SupportTicket.render", () => {
  it("renders the block support asks for, attempts in order, ready to paste", () => {
    assert.strictEqual(
      SupportTicket.render(second, [second, first]),
      [
        "MWS support request: example of RequestThrottled",
        "RequestId:          req-2",
        "Timestamp:          2026-11-25T10:00:04Z (the request's Timestamp parameter)",
        "Server timestamp:   2026-11-25T10:00:00.412Z (x-mws-timestamp)",
        "Section/operation:  Orders / ListOrders",
        "Seller id:          A2EXAMPLE",
        "Marketplace:        ATVPDKIKX0DER",
        "HTTP status:        503",
        "Error code:         RequestThrottled",
        "Error type:         Sender",
        "Error class:        throttled",
        "Message:            Request is throttled (see quota)",
        "Outcome:            gave up after the last retry: needs manual follow-up",
        `Attempt:            2 of call ${call}`,
        "Recorded at:        2026-11-25T10:00:05.000Z",
        "Request parameters: ReportType=_GET_ORDERS_DATA_",
        "",
        "Attempts of this call (2):",
        "  #1  RequestId req-1  Timestamp 2026-11-25T10:00:00Z  HTTP 503  RequestThrottled  retried",
        "  #2  RequestId req-2  Timestamp 2026-11-25T10:00:04Z  HTTP 503  RequestThrottled  gave-up"
      ].join("\n")
    )
  })

  it("says what it does not know instead of printing null, and holds no secret", () => {
    const bare = entry("e3", { requestId: null, serverTimestamp: null, marketplace: null, httpStatus: null })
    const ticket = SupportTicket.render(bare)
    assert.include(ticket, "RequestId:          (unknown)")
    assert.include(ticket, "HTTP status:        (unknown)")
    assert.notInclude(ticket, "null")
    assert.notInclude(SupportTicket.render(second, [first, second]), "amzn.mws")
    assert.notInclude(SupportTicket.render(second, [first, second]), "sig")
  })

  it("does not call a failed attempt 'not retryable': it may have been unsafe to repeat, or retries were off", () => {
    const failed = entry("e4", { ...throttled, attempt: 1, requestId: "req-4", outcome: "failed" })
    assert.include(
      SupportTicket.render(failed),
      "Outcome:            failed, not retried (not retryable, not safe to repeat, or retries were off)"
    )
  })

  it("describes what an example is for", () => {
    assert.strictEqual(SupportTicket.describeMatch({ errorCode: "QuotaExceeded" }), "error code QuotaExceeded")
    assert.strictEqual(SupportTicket.describeMatch({ errorClass: "transient" }), "error class transient")
  })
})
