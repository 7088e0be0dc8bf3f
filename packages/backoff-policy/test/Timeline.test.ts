import { assert, describe, it } from "@effect/vitest"
import { Duration, Effect, Fiber, Random, Schema } from "effect"
import { TestClock } from "effect/testing"
import { Timeline } from "../src/index.ts"
import { gaps, scripted } from "./utils.ts"

describe("Timeline.make", () => {
  it("resolves the documented timeline: at once, then 1s, 4s, 10s, 30s", () => {
    assert.deepStrictEqual(Timeline.documented.delaysMs, [0, 1_000, 4_000, 10_000, 30_000])
    assert.deepStrictEqual(Timeline.DOCUMENTED_DELAYS.map(Duration.toMillis), [0, 1_000, 4_000, 10_000, 30_000])
    assert.strictEqual(Timeline.documented.jitter, "none")
    assert.strictEqual(Timeline.documented.capMs, 30_000)
    assert.strictEqual(Timeline.documented.baseMs, 1_000)
  })

  it("makes the immediate retry, the delays and the cap options", () => {
    assert.deepStrictEqual(Timeline.make({ immediateRetry: false }).delaysMs, [1_000, 4_000, 10_000, 30_000])
    assert.deepStrictEqual(Timeline.make({ delays: ["2 seconds"], immediateRetry: true }).delaysMs, [0, 2_000])
    assert.deepStrictEqual(Timeline.make({ delays: [] }).delaysMs, [])
    assert.strictEqual(Timeline.make({ maxDelay: "5 seconds" }).capMs, 5_000)
  })

  it("rejects a negative delay, naming it", () => {
    assert.throws(() => Timeline.make({ delays: [0, -5] }), /delays\[1\]/)
    assert.throws(() => Timeline.make({ maxDelay: Duration.infinity }), /maxDelay/)
  })
})

describe("Timeline.schedule with Effect.retry", () => {
  it.effect("retries at 0, 1, 4, 10 and 30 seconds after each failure, then fails with the last error", () =>
    Effect.gen(function* () {
      const { effect, times } = scripted((n) => `failure ${n}`)
      const fiber = yield* effect.pipe(Effect.retry(Timeline.schedule()), Effect.flip, Effect.forkChild)
      yield* TestClock.adjust(0)
      assert.deepStrictEqual(times, [0, 0])
      yield* TestClock.adjust(999)
      assert.strictEqual(times.length, 2)
      yield* TestClock.adjust("1 hour")
      assert.strictEqual(yield* Fiber.join(fiber), "failure 6")
      assert.deepStrictEqual(times, [0, 0, 1_000, 5_000, 15_000, 45_000])
    })
  )

  it.effect.prop(
    "full jitter stays inside each step and is the same for the same seed",
    [Schema.String],
    ([seed]) =>
      Effect.gen(function* () {
        const run = Effect.gen(function* () {
          const { effect, times } = scripted(() => "fail")
          const fiber = yield* effect.pipe(
            Effect.retry(Timeline.schedule({ jitter: "full" })),
            Effect.flip,
            Random.withSeed(seed),
            Effect.forkChild
          )
          yield* TestClock.adjust("2 minutes")
          yield* Fiber.join(fiber)
          return gaps(times)
        })
        const first = yield* run
        assert.deepStrictEqual(yield* run, first)
        assert.strictEqual(first.length, 5)
        first.forEach((gap, i) => {
          assert.isAtLeast(gap, 0)
          assert.isAtMost(gap, Timeline.documented.delaysMs[i]!)
        })
        assert.strictEqual(first[0], 0, "the immediate retry stays immediate")
      }),
    { arbitrary: { runs: 25 } }
  )
})
