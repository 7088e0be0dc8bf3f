import { assert, describe, it } from "@effect/vitest"
import { Clock, Duration, Effect, Option, Result } from "effect"
import { TestClock } from "effect/testing"
import { type LedgerEntry, MemoryStore, Retention } from "../src/index.ts"
import { ledgerOver, random, sampleInput } from "./helpers.ts"

const HOUR = 3_600_000
const DAY = 24 * HOUR

describe("Retention.resolve", () => {
  it("defaults to the documented 30 days, pruned hourly in the background", () => {
    assert.deepStrictEqual(
      Retention.resolve(),
      Result.succeed({ retentionMillis: 30 * DAY, pruneIntervalMillis: HOUR, backgroundPrune: true })
    )
    assert.strictEqual(Duration.toMillis(Retention.DEFAULT_RETENTION), 30 * DAY)
  })

  it("refuses a retention under 30 days unless allowShorterRetention is set, naming the setting", () => {
    const refused = Retention.resolve({ retention: "7 days" })
    assert.isTrue(Result.isFailure(refused))
    if (Result.isFailure(refused)) {
      assert.strictEqual(refused.failure.setting, "retention")
      assert.include(refused.failure.detail, "allowShorterRetention")
      assert.include(refused.failure.detail, "30 days")
    }
    assert.isTrue(Result.isFailure(Retention.resolve({ retention: 30 * DAY - 1 })))
    assert.isTrue(Result.isSuccess(Retention.resolve({ retention: 30 * DAY })))
    assert.isTrue(Result.isSuccess(Retention.resolve({ retention: "45 days" })))
    assert.deepStrictEqual(
      Result.map(Retention.resolve({ retention: "7 days", allowShorterRetention: true }), (p) => p.retentionMillis),
      Result.succeed(7 * DAY)
    )
  })

  it("refuses durations that are not positive and finite", () => {
    for (const retention of [0, -1, "Infinity", Number.NaN] as const) {
      const result = Retention.resolve({ retention, allowShorterRetention: true })
      assert.isTrue(Result.isFailure(result), String(retention))
    }
    const interval = Retention.resolve({ pruneInterval: 0 })
    assert.isTrue(Result.isFailure(interval) && interval.failure.setting === "pruneInterval")
  })

  it("keeps an entry exactly as old as the retention", () => {
    assert.strictEqual(Retention.cutoff(100 * DAY, { retentionMillis: 30 * DAY }), 70 * DAY)
  })
})

describe("background pruning, under the test clock", () => {
  it.effect("never removes anything younger than the retention, and removes everything older", () =>
    Effect.gen(function* () {
      const ledger = yield* ledgerOver(yield* MemoryStore.make, { flushInterval: 0 })
      const next = random(2026)
      const recorded: Array<LedgerEntry.LedgerEntry> = []
      const record = Effect.gen(function* () {
        recorded.push(yield* ledger.record(sampleInput({ requestId: `r${recorded.length}` })))
        yield* ledger.flush
      })
      // 45 days of traffic: one entry on every hour and one a millisecond before
      // it (so each hourly prune meets an entry exactly as old as the retention,
      // which stays, and one a millisecond older, which goes), and a few at
      // random times between.
      for (let hour = 0; hour < 45 * 24; hour++) {
        yield* record
        let elapsed = 0
        for (let extra = Math.floor(next() * 3); extra > 0; extra--) {
          const step = 1 + Math.floor(next() * (HOUR - elapsed - 3))
          yield* TestClock.adjust(step)
          elapsed += step
          yield* record
        }
        yield* TestClock.adjust(HOUR - 1 - elapsed)
        yield* record
        yield* TestClock.adjust(1)
        const last = Option.getOrThrow(yield* ledger.lastPrune)
        const prunedAt = Date.parse(last.prunedAt)
        assert.strictEqual(prunedAt, yield* Clock.currentTimeMillis, "the fiber pruned on the hour")
        if (hour % 24 !== 0 && hour < 44 * 24) continue
        const stored = new Set((yield* ledger.find({ limit: 10_000 })).map((e) => e.entryId))
        for (const entry of recorded) {
          const at = Date.parse(entry.recordedAt)
          if (at >= prunedAt - 30 * DAY) assert.isTrue(stored.has(entry.entryId), `kept: ${entry.recordedAt}`)
          else assert.isFalse(stored.has(entry.entryId), `removed: ${entry.recordedAt}`)
        }
      }
      const oldest = (yield* ledger.find({ order: "oldest", limit: 1 }))[0]!
      assert.strictEqual(Date.parse(oldest.recordedAt), 45 * DAY - 30 * DAY)
    })
  )

  it.effect("can be turned off: only an on-demand prune removes old entries", () =>
    Effect.gen(function* () {
      const ledger = yield* ledgerOver(yield* MemoryStore.make, { backgroundPrune: false })
      yield* ledger.record(sampleInput())
      yield* ledger.flush
      yield* TestClock.adjust(40 * DAY)
      assert.strictEqual((yield* ledger.find({})).length, 1)
      assert.isTrue(Option.isNone(yield* ledger.lastPrune))
      assert.strictEqual((yield* ledger.prune).removed, 1)
      assert.strictEqual((yield* ledger.find({})).length, 0)
    })
  )
})
