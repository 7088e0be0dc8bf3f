import { assert, describe, it } from "@effect/vitest"
import { Schema } from "effect"
import { RetryDecision } from "../src/index.ts"

const retry: RetryDecision.RetryDecision = {
  attempt: 2,
  action: "retry",
  reason: "timeline",
  delayMs: 1_000,
  hinted: false,
  elapsedMs: 0,
  budgetTokens: 490,
  errorClass: "transient",
  code: "InternalError",
  requestId: "r-2",
  operation: "ListOrders"
}

describe("RetryDecision", () => {
  it("formats a decision on one line", () => {
    assert.strictEqual(
      RetryDecision.format(retry),
      "attempt 2 failed (transient InternalError, RequestId r-2): retry in 1000ms (timeline)"
    )
    assert.strictEqual(
      RetryDecision.format({ ...retry, hinted: true, delayMs: 20_000 }),
      "attempt 2 failed (transient InternalError, RequestId r-2): retry in 20000ms (timeline, server hint)"
    )
    assert.strictEqual(
      RetryDecision.format({
        attempt: 1,
        action: "stop",
        reason: "not-retryable",
        delayMs: 0,
        hinted: false,
        elapsedMs: 0,
        errorClass: "client"
      }),
      "attempt 1 failed (client): stop (not-retryable)"
    )
  })

  it("gives span attributes, leaving out what is unknown", () => {
    assert.deepStrictEqual(RetryDecision.spanAttributes(retry), {
      "retry.attempt": 2,
      "retry.action": "retry",
      "retry.reason": "timeline",
      "retry.delay_ms": 1_000,
      "retry.hinted": false,
      "retry.elapsed_ms": 0,
      "retry.error_class": "transient",
      "retry.budget_tokens": 490,
      "retry.code": "InternalError",
      "retry.request_id": "r-2",
      "retry.operation": "ListOrders"
    })
  })

  it("is plain data a ledger can store and read back", () => {
    const json = JSON.parse(JSON.stringify(Schema.encodeSync(RetryDecision.RetryDecision)(retry)))
    assert.deepStrictEqual(Schema.decodeUnknownSync(RetryDecision.RetryDecision)(json), retry)
    assert.throws(() => Schema.decodeUnknownSync(RetryDecision.RetryDecision)({ ...json, reason: "because" }))
  })
})
