import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { RetryBudget } from "../src/index.ts"

describe("RetryBudget", () => {
  it("defaults to the AWS standard retry mode's quota", () => {
    const budget = RetryBudget.makeUnsafe()
    assert.strictEqual(budget.capacity, 500)
    assert.strictEqual(budget.available(), 500)
    assert.strictEqual(budget.retryCost, 5)
    assert.strictEqual(budget.timeoutCost, 10)
    assert.strictEqual(budget.successIncrement, 1)
    assert.deepStrictEqual(
      [
        RetryBudget.INITIAL_RETRY_TOKENS,
        RetryBudget.RETRY_COST,
        RetryBudget.TIMEOUT_RETRY_COST,
        RetryBudget.NO_RETRY_INCREMENT
      ],
      [500, 5, 10, 1]
    )
  })

  it("takes tokens while it holds enough, then refuses and counts refusals", () => {
    const budget = RetryBudget.makeUnsafe({ capacity: 12 })
    assert.isTrue(budget.tryAcquire(5))
    assert.isTrue(budget.tryAcquire(5))
    assert.isFalse(budget.tryAcquire(5))
    assert.isFalse(budget.tryAcquire(10))
    assert.strictEqual(budget.available(), 2)
    assert.strictEqual(budget.refused(), 2)
    assert.isTrue(budget.tryAcquire(2))
    assert.strictEqual(budget.available(), 0)
  })

  it("puts tokens back up to the capacity, never above", () => {
    const budget = RetryBudget.makeUnsafe({ capacity: 10 })
    budget.tryAcquire(5)
    budget.release(3)
    assert.strictEqual(budget.available(), 8)
    budget.release(100)
    assert.strictEqual(budget.available(), 10)
  })

  it("rejects a negative or infinite option, naming it", () => {
    assert.throws(() => RetryBudget.makeUnsafe({ capacity: -1 }), /capacity/)
    assert.throws(() => RetryBudget.makeUnsafe({ retryCost: Number.NaN }), /retryCost/)
    assert.throws(() => RetryBudget.makeUnsafe({ timeoutCost: Number.POSITIVE_INFINITY }), /timeoutCost/)
  })

  it("unlimited never refuses", () => {
    for (let i = 0; i < 1_000; i++) assert.isTrue(RetryBudget.unlimited.tryAcquire(10))
    assert.strictEqual(RetryBudget.unlimited.available(), Number.POSITIVE_INFINITY)
  })

  it.effect("one bucket per process by default; a layer gives a fresh one", () =>
    Effect.gen(function* () {
      const a = yield* RetryBudget.RetryBudget
      const b = yield* RetryBudget.RetryBudget
      assert.strictEqual(a, b)
      assert.strictEqual(a.capacity, 500)
      const layered = yield* RetryBudget.RetryBudget.pipe(
        Effect.provide(RetryBudget.RetryBudget.layer({ capacity: 7 }))
      )
      assert.notStrictEqual(layered, a)
      assert.strictEqual(layered.available(), 7)
      const made = yield* RetryBudget.make({ retryCost: 2 })
      assert.strictEqual(made.retryCost, 2)
      assert.strictEqual(made.available(), 500)
    })
  )
})
