import { assert, describe, it } from "@effect/vitest"
import { Duration, Effect, Exit, Fiber, Scope } from "effect"
import { TestClock } from "effect/testing"
import { Ledger, type LedgerEntry, type LedgerStore, MemoryStore } from "../src/index.ts"
import { emptyQuery } from "./contract.ts"
import { captureLogs, controllable, ledgerOver, sampleInput, tempDir } from "./helpers.ts"

/** Lets forked fibers (the writer) run until they wait again. */
const settle = Effect.gen(function* () {
  for (let i = 0; i < 20; i++) yield* Effect.yieldNow
})

/** A memory store whose writes the test can make fail, and what the logs said. */
const setup = Effect.gen(function* () {
  const { control, store } = controllable(yield* MemoryStore.make)
  return { control, store }
})

const count = (store: LedgerStore.LedgerStoreShape) =>
  Effect.map(store.find({ ...emptyQuery, limit: 10_000 }), (found) => found.length)

describe("Ledger batching", () => {
  it.effect("returns before the write, and writes the batch within the flush interval", () =>
    Effect.gen(function* () {
      const { control, store } = yield* setup
      const ledger = yield* ledgerOver(store)
      for (let i = 0; i < 3; i++) yield* ledger.record(sampleInput({ requestId: `r${i}` }))
      yield* settle
      assert.strictEqual(yield* ledger.pending, 3)
      assert.strictEqual(control.writes, 0)
      yield* TestClock.adjust(Duration.toMillis(Ledger.DEFAULT_FLUSH_INTERVAL) - 1)
      assert.strictEqual(control.writes, 0, "not before the interval")
      yield* TestClock.adjust(1)
      yield* settle
      assert.strictEqual(yield* ledger.pending, 0)
      assert.deepStrictEqual(control.batchSizes, [3])
    })
  )

  it.effect("writes a full batch at once, without waiting for the interval", () =>
    Effect.gen(function* () {
      const { control, store } = yield* setup
      const ledger = yield* ledgerOver(store, { batchSize: 10 })
      for (let i = 0; i < 25; i++) yield* ledger.record(sampleInput({ requestId: `r${i}` }))
      yield* settle
      assert.deepStrictEqual(control.batchSizes.slice(0, 2), [10, 10])
      assert.strictEqual(yield* ledger.pending, 5)
      yield* ledger.flush
      assert.deepStrictEqual(control.batchSizes, [10, 10, 5])
      assert.strictEqual(yield* count(store), 25)
    })
  )

  it.effect("flush waits for everything recorded before it", () =>
    Effect.gen(function* () {
      const { store } = yield* setup
      const ledger = yield* ledgerOver(store, { flushInterval: "1 hour" })
      const recorded: Array<LedgerEntry.LedgerEntry> = []
      for (let i = 0; i < 5; i++) recorded.push(yield* ledger.record(sampleInput({ requestId: `r${i}` })))
      yield* ledger.flush
      assert.strictEqual(yield* ledger.pending, 0)
      assert.deepStrictEqual(yield* ledger.find({ order: "oldest" }), recorded)
      yield* ledger.flush // nothing pending: returns at once
    })
  )

  it.effect("sync mode: concurrent records share a write, and each returns once committed", () =>
    Effect.gen(function* () {
      const { control, store } = yield* setup
      const ledger = yield* ledgerOver(store, { durability: "sync" })
      const entries = yield* Effect.forEach(
        Array.from({ length: 50 }, (_, i) => i),
        (i) => ledger.record(sampleInput({ requestId: `s${i}` })),
        { concurrency: "unbounded" }
      )
      assert.strictEqual(entries.length, 50)
      assert.isAtMost(control.writes, 2, `50 sync records took ${control.writes} writes`)
      assert.strictEqual(yield* count(store), 50)
      assert.strictEqual(ledger.durability, "sync")
    })
  )

  it.effect("an invalid entry fails alone; the entries around it are recorded", () =>
    Effect.gen(function* () {
      const { store } = yield* setup
      const ledger = yield* ledgerOver(store)
      yield* ledger.record(sampleInput({ requestId: "before" }))
      const error = yield* Effect.flip(
        ledger.record(sampleInput({ attempt: 0, params: { Signature: "SECRET-SIGNATURE-VALUE" } }))
      )
      assert.strictEqual(error._tag, "LedgerEntryInvalid")
      assert.include(error.message, "attempt")
      assert.notInclude(error.message, "SECRET-SIGNATURE-VALUE")
      yield* ledger.record(sampleInput({ requestId: "after" }))
      yield* ledger.flush
      assert.deepStrictEqual(
        (yield* ledger.find({ order: "oldest" })).map((e) => e.requestId),
        ["before", "after"]
      )
    })
  )
})

describe("Ledger when the store fails", () => {
  it.effect("keeps entries in the buffer, fails flush with a typed error, and writes them once after recovery", () =>
    Effect.gen(function* () {
      const { control, store } = yield* setup
      const logs = captureLogs()
      yield* Effect.gen(function* () {
        const ledger = yield* ledgerOver(store)
        control.failing = true
        for (let i = 0; i < 5; i++) yield* ledger.record(sampleInput({ requestId: `r${i}` }))
        const error = yield* Effect.flip(ledger.flush)
        assert.strictEqual(error._tag, "LedgerStoreError")
        assert.strictEqual(yield* ledger.pending, 5)
        control.failing = false
        yield* TestClock.adjust(Ledger.RETRY_BASE)
        yield* settle
        assert.strictEqual(yield* ledger.pending, 0)
        const stored = yield* ledger.find({})
        assert.strictEqual(stored.length, 5)
        assert.strictEqual(new Set(stored.map((e) => e.entryId)).size, 5)
      }).pipe(Effect.provide(logs.layer))
      assert.isTrue(logs.lines.some((line) => line.includes("store write failed") && line.includes("5 entries kept")))
    })
  )

  it.effect("with two batches in flight, a failed first one rewinds both: every entry lands exactly once", () =>
    Effect.gen(function* () {
      const { control, store } = yield* setup
      const ledger = yield* ledgerOver(store, { batchSize: 10 })
      control.failNext = 1
      const recorded: Array<LedgerEntry.LedgerEntry> = []
      for (let i = 0; i < 20; i++) recorded.push(yield* ledger.record(sampleInput({ requestId: `r${i}` })))
      yield* settle
      assert.deepStrictEqual(control.batchSizes, [10, 10], "both batches were sent at once")
      assert.strictEqual(control.failedWrites, 1)
      assert.strictEqual(yield* ledger.pending, 20, "the second batch's success does not count before the first")
      yield* TestClock.adjust(Ledger.RETRY_BASE)
      yield* settle
      assert.strictEqual(yield* ledger.pending, 0)
      assert.deepStrictEqual(yield* ledger.find({ order: "oldest" }), recorded)
    })
  )

  it.effect("backs off between attempts: doubling from retryBase up to retryMax", () =>
    Effect.gen(function* () {
      const { control, store } = yield* setup
      const ledger = yield* ledgerOver(store, { retryBase: 100, retryMax: 400, flushInterval: 0 })
      control.failing = true
      yield* ledger.record(sampleInput())
      yield* settle
      const attemptsAt: Array<number> = [control.writes]
      for (const step of [99, 1, 199, 1, 399, 1, 399, 1]) {
        yield* TestClock.adjust(step)
        yield* settle
        attemptsAt.push(control.writes)
      }
      // Attempt 1 at once; then after 100, 200, 400 and 400 (capped) ms.
      assert.deepStrictEqual(attemptsAt, [1, 1, 2, 2, 3, 3, 4, 4, 5])
    })
  )

  it.effect("keeps writing after a store defect: it counts as a failed write", () =>
    Effect.gen(function* () {
      const memory = yield* MemoryStore.make
      let defects = 1
      const store = {
        ...memory,
        write: (entries: ReadonlyArray<LedgerEntry.LedgerEntry>) =>
          defects-- > 0 ? Effect.die(new Error("driver bug")) : memory.write(entries)
      }
      const ledger = yield* ledgerOver(store)
      yield* ledger.record(sampleInput({ requestId: "survives" }))
      const error = yield* Effect.flip(ledger.flush)
      assert.strictEqual(error._tag, "LedgerStoreError")
      assert.include(error.message, "driver bug")
      yield* TestClock.adjust(Ledger.RETRY_BASE)
      yield* ledger.flush
      assert.strictEqual((yield* ledger.byRequestId("survives")).length, 1)
    })
  )

  it.effect("refuses records past the buffer bound with a typed error and one log line per episode", () =>
    Effect.gen(function* () {
      const { control, store } = yield* setup
      const logs = captureLogs()
      yield* Effect.gen(function* () {
        const ledger = yield* ledgerOver(store, { maxBuffered: 3, flushInterval: 0 })
        control.failing = true
        for (let i = 0; i < 3; i++) yield* ledger.record(sampleInput({ requestId: `r${i}` }))
        yield* settle
        const refused = yield* Effect.flip(ledger.record(sampleInput({ requestId: "r3" })))
        assert.strictEqual(refused._tag, "LedgerBufferFull")
        assert.include(refused.message, "3 entries are waiting")
        assert.include(refused.message, "injected failure")
        assert.strictEqual((yield* Effect.flip(ledger.record(sampleInput())))._tag, "LedgerBufferFull")
        const fullLines = () => logs.lines.filter((line) => line.includes("buffer is full")).length
        assert.strictEqual(fullLines(), 1, "one line for the episode, not one per refusal")
        assert.strictEqual(yield* ledger.pending, 3, "nothing buffered was dropped")

        control.failing = false
        yield* TestClock.adjust(Ledger.RETRY_BASE)
        yield* settle
        assert.strictEqual(yield* ledger.pending, 0)
        assert.strictEqual(yield* count(store), 3)

        // A second episode logs again.
        control.failing = true
        for (let i = 0; i < 4; i++) yield* Effect.ignore(ledger.record(sampleInput()))
        assert.strictEqual(fullLines(), 2)
      }).pipe(Effect.provide(logs.layer))
    })
  )

  it.effect("closing with a failing store ends, and logs how many entries it could not write", () =>
    Effect.gen(function* () {
      const { control, store } = yield* setup
      const logs = captureLogs()
      yield* Effect.gen(function* () {
        const scope = yield* Scope.make()
        const ledger = yield* ledgerOver(store, { spillDirectory: yield* tempDir }).pipe(Scope.provide(scope))
        control.failing = true
        for (let i = 0; i < 4; i++) yield* ledger.record(sampleInput())
        const closing = yield* Effect.forkChild(Scope.close(scope, Exit.void))
        yield* Fiber.join(closing)
      }).pipe(Effect.provide(logs.layer))
      assert.isTrue(
        logs.lines.some((line) => line.includes("closing with 4 entries") && line.includes("injected failure")),
        logs.lines.join("\n")
      )
    })
  )
})

describe("Ledger settings", () => {
  it.effect("rejects invalid settings with a typed error naming the setting", () =>
    Effect.gen(function* () {
      const store = yield* MemoryStore.make
      const settingOf = (options: Ledger.Options) =>
        Effect.map(Effect.flip(ledgerOver(store, options)), (error) => {
          assert.strictEqual(error._tag, "LedgerConfigError")
          return error.setting
        })
      assert.strictEqual(yield* settingOf({ batchSize: 0 }), "batchSize")
      assert.strictEqual(yield* settingOf({ maxBuffered: 1.5 }), "maxBuffered")
      assert.strictEqual(yield* settingOf({ flushInterval: -1 }), "flushInterval")
      assert.strictEqual(yield* settingOf({ retryBase: 500, retryMax: 100 }), "retryMax")
      assert.strictEqual(yield* settingOf({ durability: "eventually" as never }), "durability")
      assert.strictEqual(yield* settingOf({ allowParams: ["FulfillmentOrderId", "MWSAuthToken"] }), "allowParams")
      assert.strictEqual(yield* settingOf({ retention: "7 days" }), "retention")
    })
  )

  it.effect("keeps extra allow-listed parameters when configured", () =>
    Effect.gen(function* () {
      const ledger = yield* ledgerOver(yield* MemoryStore.make, { allowParams: ["DisplayableOrderId"] })
      const entry = yield* ledger.record(sampleInput({ params: { DisplayableOrderId: "X-1", Other: "y" } }))
      assert.deepStrictEqual(entry.params, { DisplayableOrderId: "X-1" })
    })
  )

  it.effect("rejects an invalid query with a typed error", () =>
    Effect.gen(function* () {
      const ledger = yield* ledgerOver(yield* MemoryStore.make)
      const error = yield* Effect.flip(ledger.find({ limit: 0 }))
      assert.strictEqual(error._tag, "LedgerConfigError")
      const badTime = yield* Effect.flip(ledger.stats({ from: new Date("not a date") }))
      assert.strictEqual(badTime._tag, "LedgerConfigError")
    })
  )
})
