import { assert, describe, it } from "@effect/vitest"
import { Schema } from "effect"
import { ErrorClass } from "../src/index.ts"

const Status = Schema.Int.check(Schema.isBetween({ minimum: 0, maximum: 1000 }))

describe("ErrorClass.fromHttpStatus", () => {
  it("classifies by status family", () => {
    assert.strictEqual(ErrorClass.fromHttpStatus(503), "throttled")
    assert.strictEqual(ErrorClass.fromHttpStatus(429), "throttled")
    assert.strictEqual(ErrorClass.fromHttpStatus(500), "transient")
    assert.strictEqual(ErrorClass.fromHttpStatus(502), "transient")
    assert.strictEqual(ErrorClass.fromHttpStatus(504), "transient")
    assert.strictEqual(ErrorClass.fromHttpStatus(400), "client")
    assert.strictEqual(ErrorClass.fromHttpStatus(404), "client")
    assert.strictEqual(ErrorClass.fromHttpStatus(499), "client")
    assert.strictEqual(ErrorClass.fromHttpStatus(200), "unknown")
    assert.strictEqual(ErrorClass.fromHttpStatus(302), "unknown")
    assert.strictEqual(ErrorClass.fromHttpStatus(undefined), "unknown")
    assert.strictEqual(ErrorClass.fromHttpStatus(Number.NaN), "unknown")
    assert.strictEqual(ErrorClass.fromHttpStatus(503.5), "unknown")
  })

  it.prop("gives every integer status exactly the family rule", [Status], ([status]) => {
    const expected =
      status === 429 || status === 503
        ? "throttled"
        : status >= 500 && status < 600
          ? "transient"
          : status >= 400 && status < 500
            ? "client"
            : "unknown"
    assert.strictEqual(ErrorClass.fromHttpStatus(status), expected)
  })

  it("has advice for every class and calls only the waiting classes retryable", () => {
    for (const cls of ErrorClass.all) assert.isAbove(ErrorClass.advice[cls].length, 0)
    assert.deepStrictEqual(ErrorClass.all.filter(ErrorClass.isRetryable), [
      "transient",
      "throttled",
      "quota-exceeded",
      "not-ready",
      "integrity"
    ])
  })
})
