import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { TestClock } from "effect/testing"
import * as WaitProgress from "../src/commands/waitProgress.ts"
import type { AttemptReport } from "../src/MwsClient.ts"

const retried = (attempt: number, nextDelayMs: number): AttemptReport => ({
  section: "Orders",
  operation: "ListOrders",
  sellerId: "A1",
  attempt,
  callId: "c1",
  durationMs: 12,
  httpStatus: 503,
  errorCode: "ServiceUnavailable",
  outcome: "retried",
  reason: "transient",
  nextDelayMs
})

const sink = (terminal: boolean) => {
  const written: Array<string> = []
  return { written, sink: { terminal, colour: false, columns: 200, write: (text: string) => void written.push(text) } }
}

describe("waitProgress", () => {
  it("counts down in whole seconds, rounded up, then minutes and hours", () => {
    assert.deepStrictEqual([0, 1, 999, 9_000, 9_001, 60_000, 125_000, 3_780_000].map(WaitProgress.countdown), [
      "0 s",
      "1 s",
      "1 s",
      "9 s",
      "10 s",
      "1 min",
      "2 min 5 s",
      "1 h 3 min"
    ])
  })

  it.effect("on a terminal: one status line, redrawn each second, erased when the wait is over", () =>
    Effect.gen(function* () {
      const { written, sink: terminal } = sink(true)
      const progress = yield* WaitProgress.make(terminal)
      yield* progress.onAttempt(retried(2, 3_000))
      assert.deepStrictEqual(written, [
        "\r\u001b[2K… attempt 2 of Orders/ListOrders: ServiceUnavailable (HTTP 503); retrying in 3 s"
      ])
      yield* TestClock.adjust("1 second")
      assert.match(written.at(-1)!, /retrying in 2 s$/)
      yield* TestClock.adjust("1 second")
      assert.match(written.at(-1)!, /retrying in 1 s$/)
      yield* TestClock.adjust("1 second")
      assert.strictEqual(written.at(-1), "\r\u001b[2K", "erased at the end of the wait")
      const count = written.length
      yield* TestClock.adjust("5 seconds")
      assert.strictEqual(written.length, count, "nothing drawn while nothing is waited for")
    }).pipe(Effect.scoped)
  )

  it.effect("clear erases a line still shown and stops the redraws", () =>
    Effect.gen(function* () {
      const { written, sink: terminal } = sink(true)
      const progress = yield* WaitProgress.make(terminal)
      yield* progress.onThrottleWait({
        section: "Orders",
        operation: "ListOrders",
        bucket: "Orders/ListOrders",
        waitMs: 54_000,
        limitedBy: "restore",
        queuedAhead: 0
      })
      assert.match(written.at(-1)!, /waiting for Orders\/ListOrders quota \(next slot in 54 s\)$/)
      yield* progress.clear
      assert.strictEqual(written.at(-1), "\r\u001b[2K")
      const count = written.length
      yield* TestClock.adjust("10 seconds")
      assert.strictEqual(written.length, count)
    }).pipe(Effect.scoped)
  )

  it.effect("off a terminal: one line per decision, short throttle waits untold, the hourly quota named", () =>
    Effect.gen(function* () {
      const { written, sink: log } = sink(false)
      const progress = yield* WaitProgress.make(log)
      yield* progress.onAttempt({ ...retried(1, 0), nextDelayMs: undefined, outcome: "success" })
      yield* progress.onThrottleWait({
        section: "Orders",
        operation: "ListOrders",
        bucket: "Orders/ListOrders",
        waitMs: WaitProgress.MIN_TOLD_WAIT_MS - 1,
        limitedBy: "restore",
        queuedAhead: 0
      })
      assert.deepStrictEqual(written, [])
      yield* progress.onAttempt(retried(1, 0))
      yield* progress.onThrottleWait({
        section: "Reports",
        operation: "RequestReport",
        bucket: "Reports/RequestReport",
        waitMs: 42 * 60_000,
        limitedBy: "hourly",
        queuedAhead: 2
      })
      assert.deepStrictEqual(written, [
        "mws: attempt 1 of Orders/ListOrders: ServiceUnavailable (HTTP 503); retrying in 0 s\n",
        "mws: waiting for the hourly quota of Reports/RequestReport (resets in 42 min, 2 queued ahead)\n"
      ])
      yield* TestClock.adjust("1 minute")
      assert.strictEqual(written.length, 2, "no redraw off a terminal")
    }).pipe(Effect.scoped)
  )
})
