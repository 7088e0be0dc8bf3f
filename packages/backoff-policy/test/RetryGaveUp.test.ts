import { assert, describe, it } from "@effect/vitest"
import { Effect, Schema } from "effect"
import { RetryGaveUp } from "../src/index.ts"

const attempts: ReadonlyArray<RetryGaveUp.AttemptRecord> = [
  {
    attempt: 1,
    delayBeforeMs: 0,
    failedAt: "1970-01-01T00:00:00.000Z",
    errorClass: "transient",
    code: "InternalError",
    requestId: "r-1",
    timestamp: "2026-11-25T10:00:00.000Z",
    httpStatus: 500
  },
  { attempt: 2, delayBeforeMs: 0, failedAt: "1970-01-01T00:00:00.000Z", errorClass: "transient" }
]

describe("RetryGaveUp", () => {
  const error = new RetryGaveUp.RetryGaveUp({
    reason: "budget-empty",
    attempts,
    manualFollowUp: true,
    elapsedMs: 0,
    lastError: { code: "InternalError" }
  })

  it("prints the reason and every attempt's RequestId and Timestamp", () => {
    assert.strictEqual(
      error.message,
      "Gave up after 2 attempts (budget-empty), manual follow-up needed: " +
        "#1 InternalError RequestId r-1 Timestamp 2026-11-25T10:00:00.000Z; " +
        "#2 transient RequestId unknown Timestamp unknown"
    )
    assert.strictEqual(String(error), error.message)
    assert.strictEqual(error._tag, "RetryGaveUp")
    assert.isTrue(RetryGaveUp.isRetryGaveUp(error))
    assert.isFalse(RetryGaveUp.isRetryGaveUp(new Error("x")))
  })

  it("names the quota reset when it has one", () => {
    const quota = new RetryGaveUp.RetryGaveUp({
      reason: "quota-reset-too-far",
      attempts: attempts.slice(0, 1),
      manualFollowUp: true,
      elapsedMs: 0,
      resetsAt: "2026-11-25T11:00:00.000Z",
      lastError: undefined
    })
    assert.include(
      quota.message,
      "Gave up after 1 attempt (quota-reset-too-far, quota resets at 2026-11-25T11:00:00.000Z)"
    )
  })

  it.effect("serialises its attempts losslessly", () =>
    Effect.gen(function* () {
      const encoded = Schema.encodeSync(RetryGaveUp.RetryGaveUp)(error)
      const json = JSON.parse(JSON.stringify(encoded))
      const decoded = yield* Schema.decodeUnknownEffect(RetryGaveUp.RetryGaveUp)(json)
      assert.deepStrictEqual(decoded.attempts, attempts)
      assert.strictEqual(decoded.reason, "budget-empty")
      assert.isTrue(decoded.manualFollowUp)
    })
  )

  it("refuses a record without manual follow-up", () => {
    assert.throws(() =>
      Schema.decodeUnknownSync(RetryGaveUp.RetryGaveUp)({
        _tag: "RetryGaveUp",
        reason: "exhausted",
        attempts: [],
        manualFollowUp: false,
        elapsedMs: 0,
        lastError: null
      })
    )
  })
})
