import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { restoreIntervalMs, simulateEffect } from "../src/timeline.ts"
import { codesByClass, firstCodeOf, formatDuration, operations, parseDelays } from "../src/timelineChoices.ts"

const times = (simulation: { readonly attempts: ReadonlyArray<{ readonly atMs: number }> }) =>
  simulation.attempts.map((a) => a.atMs)

describe("the retry timeline page's engine (backoff-policy's RetryPolicy.retry under a test clock)", () => {
  it.effect("the defaults retry 0, 1, 5, 15 and 45 s after the first failure, then give up", () =>
    Effect.gen(function* () {
      const simulation = yield* simulateEffect({ code: "InternalError" })
      assert.deepStrictEqual(times(simulation), [0, 0, 1_000, 5_000, 15_000, 45_000])
      assert.deepStrictEqual(
        simulation.attempts.map((a) => a.waitBeforeMs),
        [0, 0, 1_000, 4_000, 10_000, 30_000]
      )
      assert.deepStrictEqual(
        simulation.attempts.map((a) => a.reason),
        [undefined, "immediate", "timeline", "timeline", "timeline", "timeline"]
      )
      assert.strictEqual(simulation.errorClass, "transient")
      assert.strictEqual(simulation.stopReason, "exhausted")
      assert.strictEqual(simulation.endedWith, "RetryGaveUp")
    })
  )

  it.effect("RequestThrottled waits the operation's restore interval from the quota catalog", () =>
    Effect.gen(function* () {
      const listOrders = yield* simulateEffect({ code: "RequestThrottled", section: "Orders", operation: "ListOrders" })
      assert.deepStrictEqual(times(listOrders), [0, 60_000, 120_000, 180_000, 240_000])
      assert.strictEqual(listOrders.restoreIntervalMs, 60_000)
      const items = yield* simulateEffect({ code: "RequestThrottled", section: "Orders", operation: "ListOrderItems" })
      assert.deepStrictEqual(times(items), [0, 2_000, 4_000, 6_000, 8_000])
    })
  )

  it.effect("QuotaExceeded waits for a near reset once, and fails at once when the reset is too far", () =>
    Effect.gen(function* () {
      const near = yield* simulateEffect({ code: "QuotaExceeded", quotaResetInMs: 3 * 60_000 })
      assert.deepStrictEqual(times(near), [0, 180_000])
      assert.strictEqual(near.attempts[1]?.reason, "quota-reset")
      const far = yield* simulateEffect({ code: "QuotaExceeded", quotaResetInMs: 10 * 60_000 })
      assert.deepStrictEqual(times(far), [0])
      assert.strictEqual(far.stopReason, "quota-reset-too-far")
    })
  )

  it.effect("client and auth errors are not retried and end with the MwsError itself", () =>
    Effect.gen(function* () {
      for (const code of ["AccessDenied", "InvalidParameterValue"]) {
        const simulation = yield* simulateEffect({ code })
        assert.deepStrictEqual(times(simulation), [0], code)
        assert.strictEqual(simulation.stopReason, "not-retryable")
        assert.strictEqual(simulation.endedWith, "MwsError")
      }
    })
  )

  it.effect("custom delays, no immediate retry and jitter change the timeline; a seed replays it", () =>
    Effect.gen(function* () {
      const custom = yield* simulateEffect({
        code: "InternalError",
        policy: { delaysMs: [0, 2_000, 2_000], immediateRetry: false }
      })
      assert.deepStrictEqual(times(custom), [0, 2_000, 4_000])
      const jittered = yield* simulateEffect({ code: "InternalError", policy: { jitter: "full", seed: 7 } })
      const again = yield* simulateEffect({ code: "InternalError", policy: { jitter: "full", seed: 7 } })
      assert.deepStrictEqual(times(jittered), times(again))
      assert.notDeepEqual(times(jittered), [0, 0, 1_000, 5_000, 15_000, 45_000])
      for (const attempt of jittered.attempts.slice(2)) {
        assert.isAtMost(attempt.waitBeforeMs, 30_000, "full jitter never waits longer than the cap")
      }
    })
  )
})

describe("the timeline page's choices", () => {
  it("lists every catalog code once, under its class", () => {
    const groups = codesByClass()
    const codes = groups.flatMap((g) => g.codes.map((c) => c.code))
    assert.strictEqual(new Set(codes).size, codes.length)
    assert.include(codes, "RequestThrottled")
    assert.strictEqual(groups.find((g) => g.codes.some((c) => c.code === "RequestThrottled"))?.errorClass, "throttled")
    assert.strictEqual(firstCodeOf("throttled"), "RequestThrottled")
    assert.strictEqual(firstCodeOf("transient"), "InternalError")
  })

  it("lists the quota catalog's operations with their restore intervals", () => {
    const listOrders = operations().find((o) => o.id === "Orders/ListOrders")
    assert.strictEqual(listOrders?.restoreIntervalMs, 60_000)
    assert.strictEqual(restoreIntervalMs("Orders", "ListOrderItems"), 2_000)
    assert.isUndefined(restoreIntervalMs("Orders", "NoSuchOperation"))
  })

  it("parses custom delays in seconds and says what is wrong with bad ones", () => {
    assert.deepStrictEqual(parseDelays("0, 1, 4,10 30"), { delaysMs: [0, 1_000, 4_000, 10_000, 30_000] })
    assert.deepStrictEqual(parseDelays("0.5"), { delaysMs: [500] })
    assert.match((parseDelays("") as { error: string }).error, /at least one delay/)
    assert.match((parseDelays("1, -2") as { error: string }).error, /"-2" is not a number of seconds/)
    assert.match((parseDelays("1, soon") as { error: string }).error, /"soon"/)
  })

  it("formats durations as a reader says them", () => {
    assert.strictEqual(formatDuration(0), "0 s")
    assert.strictEqual(formatDuration(1_500), "1.5 s")
    assert.strictEqual(formatDuration(45_000), "45 s")
    assert.strictEqual(formatDuration(120_000), "2 min")
    assert.strictEqual(formatDuration(3_930_000), "1 h 5 min 30 s")
  })
})
