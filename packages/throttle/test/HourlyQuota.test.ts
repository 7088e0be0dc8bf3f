import { assert, describe, it } from "@effect/vitest"
import { HourlyQuota } from "../src/index.ts"

const HOUR = 3_600_000

describe("HourlyQuota", () => {
  it("counts requests in a window that opens with the first one", () => {
    let state = HourlyQuota.empty
    for (let request = 0; request < 3; request++) state = HourlyQuota.record(3, HOUR, state, 1000 * request)
    assert.deepStrictEqual([state.used, state.resetsAt], [3, HOUR])
    assert.strictEqual(HourlyQuota.waitFor(3, HOUR, state, 1, 5000), HOUR - 5000)
    assert.strictEqual(HourlyQuota.waitFor(3, HOUR, state, 1, HOUR), 0)
    assert.deepStrictEqual(HourlyQuota.refresh(state, HOUR), { ...state, used: 0, resetsAt: 0 })
  })

  it("projects further windows for a long queue", () => {
    const state = HourlyQuota.record(2, HOUR, HourlyQuota.empty, 0)
    // one used; requests 2..2 fit, 3..4 in the next window, 5..6 in the one after
    assert.strictEqual(HourlyQuota.waitFor(2, HOUR, state, 1, 0), 0)
    assert.strictEqual(HourlyQuota.waitFor(2, HOUR, state, 3, 0), HOUR)
    assert.strictEqual(HourlyQuota.waitFor(2, HOUR, state, 5, 0), 2 * HOUR)
  })

  it("counts nothing when no quota is known", () => {
    const state = HourlyQuota.record(undefined, HOUR, HourlyQuota.empty, 0)
    assert.deepStrictEqual(state, HourlyQuota.empty)
    assert.strictEqual(HourlyQuota.waitFor(undefined, HOUR, state, 1000, 0), 0)
  })

  it("adopts the server's window and count from the headers", () => {
    const local = HourlyQuota.record(80, HOUR, HourlyQuota.empty, 0)
    const synced = HourlyQuota.observe(80, HOUR, local, { max: 80, remaining: 10, resetsAt: 600_000 }, 1000)
    assert.deepStrictEqual([synced.used, synced.resetsAt, synced.learnedMax], [70, 600_000, 80])
    // An older response from the same window never lowers the count.
    const stale = HourlyQuota.observe(80, HOUR, synced, { max: 80, remaining: 40, resetsAt: 600_000 }, 2000)
    assert.strictEqual(stale.used, 70)
    // A response from a new window replaces it.
    const next = HourlyQuota.observe(80, HOUR, synced, { max: 80, remaining: 79, resetsAt: 4_200_000 }, 700_000)
    assert.deepStrictEqual([next.used, next.resetsAt], [1, 4_200_000])
  })

  it("lets the announced maximum win over the catalog's", () => {
    const synced = HourlyQuota.observe(60, HOUR, HourlyQuota.empty, { max: 80, remaining: 80 }, 0)
    assert.strictEqual(HourlyQuota.maxOf(60, synced), 80)
    assert.strictEqual(HourlyQuota.maxOf(60, HourlyQuota.empty), 60)
  })

  it("ignores a reset that is already past", () => {
    const state = HourlyQuota.observe(80, HOUR, HourlyQuota.empty, { max: 80, remaining: 0, resetsAt: 500 }, 1000)
    assert.strictEqual(HourlyQuota.waitFor(80, HOUR, state, 1, 1000), 0)
  })

  it("blocks until the reset a QuotaExceeded names", () => {
    const blocked = HourlyQuota.exhaust(HOUR, HourlyQuota.empty, 900_000, 0)
    assert.strictEqual(HourlyQuota.waitFor(undefined, HOUR, blocked, 1, 100_000), 800_000)
    assert.strictEqual(HourlyQuota.waitFor(undefined, HOUR, blocked, 1, 900_000), 0)
    const windowEnd = HourlyQuota.exhaust(HOUR, HourlyQuota.record(30, HOUR, HourlyQuota.empty, 0), undefined, 10)
    assert.strictEqual(windowEnd.blockedUntil, HOUR)
  })
})
