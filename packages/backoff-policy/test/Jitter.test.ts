import { assert, describe, it } from "@effect/vitest"
import { Schema } from "effect"
import { Jitter } from "../src/index.ts"

const Millis = Schema.Int.check(Schema.isBetween({ minimum: 0, maximum: 600_000 }))
const PositiveMillis = Schema.Int.check(Schema.isBetween({ minimum: 1, maximum: 600_000 }))
const Unit = Schema.Finite.check(Schema.isBetween({ minimum: 0, maximum: 0.999_999_999 }))

const step = (delayMs: number, baseMs: number, previousMs: number, capMs: number): Jitter.Step => ({
  delayMs,
  baseMs,
  previousMs,
  capMs
})

describe("Jitter.apply", () => {
  it("follows the blog's formulas at the extremes of the random number", () => {
    const s = step(4_000, 1_000, 2_000, 30_000)
    assert.strictEqual(Jitter.apply("none", s, 0.7), 4_000)
    assert.strictEqual(Jitter.apply("full", s, 0), 0)
    assert.strictEqual(Jitter.apply("full", s, 0.5), 2_000)
    assert.strictEqual(Jitter.apply("equal", s, 0), 2_000)
    assert.strictEqual(Jitter.apply("equal", s, 0.5), 3_000)
    assert.strictEqual(Jitter.apply("decorrelated", s, 0), 1_000, "random_between(base, ...) starts at base")
    assert.strictEqual(Jitter.apply("decorrelated", s, 0.5), 3_500, "half way between 1000 and 3 * 2000")
  })

  it("keeps the immediate retry immediate under every strategy", () => {
    for (const jitter of Jitter.Jitter.literals) {
      assert.strictEqual(Jitter.apply(jitter, step(0, 1_000, 5_000, 30_000), 0.9), 0)
    }
  })

  it("applies the cap after the jitter", () => {
    assert.strictEqual(Jitter.apply("decorrelated", step(30_000, 1_000, 25_000, 30_000), 0.99), 30_000)
    assert.strictEqual(Jitter.apply("none", step(60_000, 1_000, 1_000, 30_000), 0.5), 30_000)
    assert.strictEqual(Jitter.apply("equal", step(60_000, 1_000, 1_000, 20_000), 0.5), 20_000)
  })

  it.prop("none is the delay, capped", [PositiveMillis, PositiveMillis, Millis, Unit], ([delay, base, cap, random]) => {
    assert.strictEqual(Jitter.apply("none", step(delay, base, base, cap), random), Math.min(cap, delay))
  })

  it.prop(
    "full stays in [0, min(cap, delay)]",
    [PositiveMillis, PositiveMillis, Millis, Unit],
    ([delay, base, cap, random]) => {
      const value = Jitter.apply("full", step(delay, base, base, cap), random)
      assert.isTrue(Number.isInteger(value))
      assert.isAtLeast(value, 0)
      assert.isAtMost(value, Math.min(cap, delay))
    }
  )

  it.prop(
    "equal stays in [min(cap, delay / 2), min(cap, delay)]",
    [PositiveMillis, PositiveMillis, Millis, Unit],
    ([delay, base, cap, random]) => {
      const value = Jitter.apply("equal", step(delay, base, base, cap), random)
      assert.isTrue(Number.isInteger(value))
      assert.isAtLeast(value, Math.floor(Math.min(cap, delay / 2)))
      assert.isAtMost(value, Math.min(cap, delay))
    }
  )

  it.prop(
    "decorrelated stays in [min(cap, base), min(cap, 3 * previous)]",
    [PositiveMillis, PositiveMillis, PositiveMillis, Millis, Unit],
    ([delay, base, previous, cap, random]) => {
      const value = Jitter.apply("decorrelated", step(delay, base, previous, cap), random)
      assert.isTrue(Number.isInteger(value))
      assert.isAtLeast(value, Math.min(cap, base))
      assert.isAtMost(value, Math.min(cap, Math.max(base, 3 * previous)))
    }
  )

  it.prop(
    "never exceeds the cap and grows with the random number",
    [Schema.Literals(Jitter.Jitter.literals), PositiveMillis, PositiveMillis, PositiveMillis, Millis, Unit, Unit],
    ([jitter, delay, base, previous, cap, r1, r2]) => {
      const s = step(delay, base, previous, cap)
      const [low, high] = r1 <= r2 ? [r1, r2] : [r2, r1]
      assert.isAtMost(Jitter.apply(jitter, s, high), cap)
      assert.isAtMost(Jitter.apply(jitter, s, low), Jitter.apply(jitter, s, high))
    }
  )
})
