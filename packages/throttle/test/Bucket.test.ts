import { assert, describe, it } from "@effect/vitest"
import * as fc from "fast-check"
import { Bucket } from "../src/index.ts"

const listOrders: Bucket.BucketSpec = { capacity: 6, intervalMs: 60_000 }

describe("Bucket", () => {
  it("starts full and lets a burst of `capacity` through at once", () => {
    let state = Bucket.full(0)
    for (let request = 0; request < 6; request++) {
      assert.strictEqual(Bucket.waitFor(listOrders, state, 1, 0), 0, `request ${request}`)
      state = Bucket.take(listOrders, state, 1, 0)
    }
    assert.strictEqual(Bucket.tokens(listOrders, state, 0), 0)
    assert.strictEqual(Bucket.waitFor(listOrders, state, 1, 0), 60_000)
  })

  it("restores continuously, one unit per interval, up to the capacity", () => {
    const empty = Bucket.drain(listOrders, Bucket.full(0), 0)
    assert.strictEqual(Bucket.tokens(listOrders, empty, 30_000), 0.5)
    assert.strictEqual(Bucket.tokens(listOrders, empty, 120_000), 2)
    assert.strictEqual(Bucket.tokens(listOrders, empty, 10 * 60_000), 6)
    assert.strictEqual(Bucket.waitFor(listOrders, empty, 1, 30_000), 30_000)
    assert.strictEqual(Bucket.waitFor(listOrders, empty, 3, 30_000), 150_000)
  })

  it("keeps the schedule when a request comes late (no drift)", () => {
    let state = Bucket.drain(listOrders, Bucket.full(0), 0)
    // allowed at 60 000; the caller only comes back at 60 700
    state = Bucket.take(listOrders, state, 1, 60_700)
    // the next unit is still due one interval after the first, at 120 000
    assert.strictEqual(Bucket.waitFor(listOrders, state, 1, 60_700), 59_300)
  })

  it("paces as a bucket smaller by the jitter allowance, at the same rate", () => {
    let state = Bucket.full(0)
    // 100 ms of jitter on a 60 s interval: the first 5 of the burst pass at once, the 6th 100 ms later
    for (let request = 0; request < 5; request++) {
      assert.strictEqual(Bucket.waitFor(listOrders, state, 1, 0, 100), 0)
      state = Bucket.take(listOrders, state, 1, 0)
    }
    assert.strictEqual(Bucket.waitFor(listOrders, state, 1, 0, 100), 100)
    state = Bucket.take(listOrders, state, 1, 100)
    assert.strictEqual(Bucket.waitFor(listOrders, state, 1, 100, 100), 60_000)
    state = Bucket.take(listOrders, state, 1, 60_100)
    // steady use: one interval apart, the allowance is not paid again
    assert.strictEqual(Bucket.waitFor(listOrders, state, 1, 60_100, 100), 60_000)
  })

  it("keeps every span of arrivals inside the bucket when arrivals lag sends by up to the allowance", () => {
    // Property: sends paced with an allowance J, each delayed by any amount in [0, J], arrive as a
    // sequence a plain bucket of the same capacity accepts (checked on every window of arrivals).
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10 }),
        fc.integer({ min: 5, max: 200 }),
        fc.integer({ min: 0, max: 300 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 400 }), fc.double({ min: 0, max: 1, noNaN: true })), {
          minLength: 1,
          maxLength: 50
        }),
        (capacity, intervalMs, requestedJitterMs, arrivals) => {
          const spec = { capacity, intervalMs }
          // The guarantee holds for allowances the bucket can absorb: at most (capacity - 1) intervals for
          // one-unit requests (larger allowances are capped to that, see the test below).
          const jitterMs = Math.min(requestedJitterMs, (capacity - 1) * intervalMs)
          let state = Bucket.full(0)
          let now = 0
          const seen: Array<number> = []
          for (const [gap, lag] of arrivals) {
            now += gap
            now += Bucket.waitFor(spec, state, 1, now, jitterMs)
            state = Bucket.take(spec, state, 1, now)
            seen.push(now + lag * jitterMs)
          }
          seen.sort((a, b) => a - b)
          for (let i = 0; i < seen.length; i++) {
            for (let j = i; j < seen.length; j++) {
              if (j - i + 1 > capacity + (seen[j]! - seen[i]!) / intervalMs + 1e-9) return false
            }
          }
          return true
        }
      )
    )
  })

  it("drains to empty, never to less", () => {
    const half = Bucket.take(listOrders, Bucket.full(0), 3, 0)
    const drained = Bucket.drain(listOrders, half, 1000)
    assert.strictEqual(Bucket.tokens(listOrders, drained, 1000), 0)
    assert.strictEqual(Bucket.waitFor(listOrders, drained, 1, 1000), 60_000)
    assert.deepStrictEqual(Bucket.drain(listOrders, drained, 1000), drained)
  })

  it("agrees with a token-counting bucket on any sequence of requests", () => {
    // Reference: the textbook bucket, in integer "unit-milliseconds" so it is exact.
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: 1, max: 5000 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 20_000 }), fc.integer({ min: 1, max: 30 })), { maxLength: 60 }),
        (capacity, intervalMs, requests) => {
          const spec = { capacity, intervalMs }
          let state = Bucket.full(0)
          let level = capacity * intervalMs // tokens * intervalMs
          let now = 0
          for (const [dt, rawCost] of requests) {
            now += dt
            level = Math.min(capacity * intervalMs, level + dt)
            const cost = Math.min(rawCost, capacity)
            const referenceAllows = level >= cost * intervalMs
            const allows = Bucket.waitFor(spec, state, cost, now) === 0
            if (allows !== referenceAllows) return false
            if (!allows && Bucket.waitFor(spec, state, cost, now) !== cost * intervalMs - level) return false
            if (allows) {
              state = Bucket.take(spec, state, cost, now)
              level -= cost * intervalMs
            }
            if (Math.abs(Bucket.tokens(spec, state, now) - level / intervalMs) > 1e-9) return false
          }
          return true
        }
      )
    )
  })

  it("grants a full, idle bucket at once even when the allowance exceeds its slack", () => {
    const spec = { capacity: 20, intervalMs: 200 }
    const now = 1_000_000
    // 20 items from a full bucket: no slack at all, any allowance.
    assert.strictEqual(Bucket.waitFor(spec, Bucket.full(now), 20, now, 250), 0)
    // 18 items: slack of 2 units (400 ms); an allowance of 1 s is capped to it.
    assert.strictEqual(Bucket.waitFor(spec, Bucket.full(now), 18, now, 1_000), 0)
    // A smaller allowance still applies to a bucket that is not full.
    const used = Bucket.take(spec, Bucket.full(now), 18, now)
    assert.strictEqual(Bucket.waitFor(spec, used, 1, now, 100), 0)
    assert.strictEqual(Bucket.waitFor(spec, used, 2, now, 100), 100)
  })
})
