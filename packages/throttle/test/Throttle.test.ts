import { assert, describe, it } from "@effect/vitest"
import { type Duration, Effect, Exit, Fiber, Layer } from "effect"
import { TestClock } from "effect/testing"
import { MemoryStore, Throttle, ThrottleError, ThrottleStore } from "../src/index.ts"

const MINUTE = 60_000
const seller = { sellerId: "A1SELLER", developerId: "1234-5678-9012" } as const
const listOrders = { ...seller, section: "Orders", operation: "ListOrders" } as const

const withThrottle = <A, E>(effect: Effect.Effect<A, E, Throttle.Throttle>, config: Throttle.ThrottleConfig = {}) =>
  Effect.provide(effect, Throttle.Throttle.layerMemory(config))

/** Issues every request at once (in this order), advances the test clock, returns each grant time. */
const grantTimes = (requests: ReadonlyArray<Throttle.AcquireRequest>, advance: Duration.Input = "1 hour") =>
  Effect.gen(function* () {
    const throttle = yield* Throttle.Throttle
    const fibers = yield* Effect.forEach(requests, (request) => Effect.forkChild(throttle.acquire(request)))
    yield* TestClock.adjust(advance)
    const permits = yield* Effect.forEach(fibers, Fiber.join)
    return permits.map((permit) => permit.grantedAt)
  })

const repeat = <A>(value: A, times: number): Array<A> => Array.from({ length: times }, () => value)

describe("Throttle under the test clock", () => {
  it.effect("lets a burst of the maximum quota through, then waits exactly one restore interval", () =>
    withThrottle(
      Effect.gen(function* () {
        const times = yield* grantTimes(repeat(listOrders, 9))
        assert.deepStrictEqual(times, [0, 0, 0, 0, 0, 0, MINUTE, 2 * MINUTE, 3 * MINUTE])
      })
    )
  )

  it.effect("tells onWait how long each wait will be and why, before it; nothing for a permit granted at once", () =>
    withThrottle(
      Effect.gen(function* () {
        const waits: Array<Throttle.ThrottleWait> = []
        const onWait = (wait: Throttle.ThrottleWait) => Effect.sync(() => void waits.push(wait))
        const times = yield* grantTimes(repeat({ ...listOrders, onWait }, 8))
        assert.deepStrictEqual(times, [0, 0, 0, 0, 0, 0, MINUTE, 2 * MINUTE])
        // The 7th waits a restore; the 8th is queued behind it: a projected two restores, then its own.
        assert.deepStrictEqual(
          waits.map((w) => [w.operation, w.bucket, w.limitedBy, w.waitMs, w.queuedAhead]),
          [
            ["ListOrders", "Orders/ListOrders", "restore", MINUTE, 0],
            ["ListOrders", "Orders/ListOrders", "restore", 2 * MINUTE, 1],
            ["ListOrders", "Orders/ListOrders", "restore", MINUTE, 0]
          ]
        )
      })
    )
  )

  it.effect("allows for network jitter once per burst, when asked to", () =>
    withThrottle(
      Effect.gen(function* () {
        const times = yield* grantTimes(repeat(listOrders, 8))
        assert.deepStrictEqual(times, [0, 0, 0, 0, 0, 250, MINUTE + 250, 2 * MINUTE + 250])
      }),
      { jitterAllowance: "250 millis" }
    )
  )

  it.effect("holds the request until the very millisecond the bucket allows it", () =>
    withThrottle(
      Effect.gen(function* () {
        const throttle = yield* Throttle.Throttle
        for (let request = 0; request < 6; request++) yield* throttle.acquire(listOrders)
        const seventh = yield* Effect.forkChild(throttle.acquire(listOrders))
        yield* TestClock.adjust(MINUTE - 1)
        assert.isUndefined(seventh.pollUnsafe())
        yield* TestClock.adjust(1)
        const permit = yield* Fiber.join(seventh)
        assert.deepStrictEqual(
          [permit.grantedAt, permit.waitedMs, permit.bucket],
          [MINUTE, MINUTE, "Orders/ListOrders"]
        )
      })
    )
  )

  it.effect("shares a bucket between the operations the docs say share it, and only those", () =>
    withThrottle(
      Effect.gen(function* () {
        const times = yield* grantTimes([
          ...repeat(listOrders, 6),
          { ...listOrders, operation: "ListOrdersByNextToken" },
          { ...listOrders, operation: "GetOrder" }
        ])
        assert.deepStrictEqual(times, [0, 0, 0, 0, 0, 0, MINUTE, 0])
      })
    )
  )

  it.effect("keeps one bucket per seller and developer account pair", () =>
    withThrottle(
      Effect.gen(function* () {
        const times = yield* grantTimes([
          ...repeat(listOrders, 7),
          { ...listOrders, sellerId: "A2OTHER" },
          { ...listOrders, developerId: "another-app" },
          { ...listOrders, developerId: undefined }
        ])
        assert.deepStrictEqual(times.slice(6), [MINUTE, 0, 0, 0])
      })
    )
  )

  it.effect("charges per item where the restore is per item", () =>
    withThrottle(
      Effect.gen(function* () {
        // GetMatchingProduct: 20, two items a second (500 ms an item).
        const product = { ...seller, section: "Products", operation: "GetMatchingProduct" } as const
        const times = yield* grantTimes([
          { ...product, items: 20 },
          { ...product, items: 4 },
          { ...product, items: 1 },
          // per-request operations ignore items
          { ...listOrders, items: 50 }
        ])
        assert.deepStrictEqual(times, [0, 2000, 2500, 0])
      })
    )
  )

  it.effect("refuses an item count the bucket can never hold", () =>
    withThrottle(
      Effect.gen(function* () {
        const throttle = yield* Throttle.Throttle
        const product = { ...seller, section: "Products", operation: "GetMyPriceForSKU" } as const
        const tooMany = yield* Effect.flip(throttle.acquire({ ...product, items: 21 }))
        assert.strictEqual(tooMany._tag, "InvalidThrottleRequest")
        assert.match(tooMany.message, /21 items can never fit a bucket of 20/)
        const zero = yield* Effect.flip(throttle.acquire({ ...product, items: 0 }))
        assert.strictEqual(zero._tag, "InvalidThrottleRequest")
        assert.strictEqual((yield* throttle.inspect(product)).tokens, 20)
      })
    )
  )

  it.effect("serves waiters first come, first served, even when a later one needs fewer items", () =>
    withThrottle(
      Effect.gen(function* () {
        const throttle = yield* Throttle.Throttle
        const product = { ...seller, section: "Products", operation: "GetMatchingProduct" } as const
        yield* throttle.acquire({ ...product, items: 20 })
        // Empty bucket, 500 ms an item: A (10 items) arrives first, then B (1 item), then C (2 items).
        const times = yield* grantTimes([
          { ...product, items: 10 },
          { ...product, items: 1 },
          { ...product, items: 2 }
        ])
        assert.deepStrictEqual(times, [5000, 5500, 6500])
      })
    )
  )

  it.effect("keeps arrival order among equal requests", () =>
    withThrottle(
      Effect.gen(function* () {
        const throttle = yield* Throttle.Throttle
        const order: Array<number> = []
        const fibers = yield* Effect.forEach([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], (index) =>
          Effect.forkChild(Effect.tap(throttle.acquire(listOrders), () => Effect.sync(() => order.push(index))))
        )
        yield* TestClock.adjust("1 hour")
        yield* Effect.forEach(fibers, Fiber.join)
        assert.deepStrictEqual(order, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
      })
    )
  )

  it.effect("drains the bucket on RequestThrottled: the next request waits a full restore interval", () =>
    withThrottle(
      Effect.gen(function* () {
        const throttle = yield* Throttle.Throttle
        const items = { ...seller, section: "Orders", operation: "ListOrderItems" } as const
        yield* throttle.acquire(items)
        assert.strictEqual((yield* throttle.inspect(items)).tokens, 29)
        yield* TestClock.adjust(500)
        yield* throttle.reportThrottled(items)
        assert.strictEqual((yield* throttle.inspect(items)).tokens, 0)
        const next = yield* Effect.forkChild(throttle.acquire(items))
        yield* TestClock.adjust(1999)
        assert.isUndefined(next.pollUnsafe())
        yield* TestClock.adjust(1)
        assert.strictEqual((yield* Fiber.join(next)).grantedAt, 2500)
      })
    )
  )

  it.effect("pushes back a request already waiting when the bucket is drained", () =>
    withThrottle(
      Effect.gen(function* () {
        const throttle = yield* Throttle.Throttle
        for (let request = 0; request < 6; request++) yield* throttle.acquire(listOrders)
        const seventh = yield* Effect.forkChild(throttle.acquire(listOrders))
        yield* TestClock.adjust(MINUTE / 2)
        yield* throttle.reportThrottled(listOrders)
        yield* TestClock.adjust("1 hour")
        assert.strictEqual((yield* Fiber.join(seventh)).grantedAt, MINUTE / 2 + MINUTE)
      })
    )
  )

  it.effect("fails at once, consuming nothing, when the wait would exceed maxWait", () =>
    withThrottle(
      Effect.gen(function* () {
        const throttle = yield* Throttle.Throttle
        for (let request = 0; request < 6; request++) yield* throttle.acquire(listOrders)
        const error = yield* Effect.flip(throttle.acquire({ ...listOrders, maxWait: "30 seconds" }))
        assert.strictEqual(error._tag, "ThrottleWaitTooLong")
        if (error._tag !== "ThrottleWaitTooLong") return
        assert.deepStrictEqual(
          [error.allowedAt, error.waitMs, error.maxWaitMs, error.limitedBy, error.bucket],
          ["1970-01-01T00:01:00.000Z", MINUTE, 30_000, "restore", "Orders/ListOrders"]
        )
        // The refused request took nothing: the next one is still allowed after one interval.
        const times = yield* grantTimes([listOrders])
        assert.deepStrictEqual(times, [MINUTE])
      }),
      { maxWait: "10 minutes" }
    )
  )

  it.effect("counts the queue ahead: a waiter that could only pass after maxWait fails at once", () =>
    withThrottle(
      Effect.gen(function* () {
        const throttle = yield* Throttle.Throttle
        const fibers = yield* Effect.forEach(repeat(listOrders, 8), (request) =>
          Effect.forkChild(Effect.exit(throttle.acquire({ ...request, maxWait: "90 seconds" })))
        )
        yield* TestClock.adjust(0)
        const eighth = fibers[7]!.pollUnsafe()
        assert.isDefined(eighth, "the eighth request failed without waiting")
        yield* TestClock.adjust("1 hour")
        const exits = yield* Effect.forEach(fibers, Fiber.join)
        assert.deepStrictEqual(exits.map(Exit.isSuccess), [true, true, true, true, true, true, true, false])
        const failure = exits[7]!
        assert.isTrue(Exit.isFailure(failure))
        if (Exit.isFailure(failure)) {
          assert.match(String(failure.cause), /allowed at 1970-01-01T00:02:00\.000Z/)
        }
      })
    )
  )

  it.effect("lets the next waiter in when a waiter is interrupted", () =>
    withThrottle(
      Effect.gen(function* () {
        const throttle = yield* Throttle.Throttle
        for (let request = 0; request < 6; request++) yield* throttle.acquire(listOrders)
        const seventh = yield* Effect.forkChild(throttle.acquire(listOrders))
        const eighth = yield* Effect.forkChild(throttle.acquire(listOrders))
        yield* TestClock.adjust(10_000)
        yield* Fiber.interrupt(seventh)
        yield* TestClock.adjust("1 hour")
        assert.strictEqual((yield* Fiber.join(eighth)).grantedAt, MINUTE)
      })
    )
  )

  it.effect("counts the hourly quota and waits for the window to end", () =>
    withThrottle(
      Effect.gen(function* () {
        // SubmitFeed: 15, one every 2 minutes, 30 an hour.
        const submitFeed = { ...seller, section: "Feeds", operation: "SubmitFeed" } as const
        const times = yield* grantTimes(repeat(submitFeed, 31), "61 minutes")
        assert.deepStrictEqual(times.slice(0, 15), repeat(0, 15))
        assert.strictEqual(times[29], 15 * 2 * MINUTE)
        assert.strictEqual(times[30], 60 * MINUTE)
        const snapshot = yield* (yield* Throttle.Throttle).inspect(submitFeed)
        assert.deepStrictEqual(snapshot.hourly, {
          used: 1,
          max: 30,
          resetsAt: 120 * MINUTE,
          blockedUntil: undefined
        })
      }),
      { maxWait: "2 hours" }
    )
  )

  it.effect("syncs the hourly quota from the headers and waits for the reset they announce", () =>
    withThrottle(
      Effect.gen(function* () {
        const throttle = yield* Throttle.Throttle
        const reportList = { ...seller, section: "Reports", operation: "GetReportList" } as const
        const read = yield* throttle.observeHeaders(reportList, {
          "x-mws-quota-max": "60.0",
          "x-mws-quota-remaining": "0.0",
          "x-mws-quota-resetsOn": "1970-01-01T00:10:00.000Z"
        })
        assert.deepStrictEqual(read, { max: 60, remaining: 0, resetsAt: 10 * MINUTE })
        const refused = yield* Effect.flip(throttle.acquire({ ...reportList, maxWait: "5 minutes" }))
        assert.strictEqual(refused._tag, "ThrottleWaitTooLong")
        if (refused._tag === "ThrottleWaitTooLong") {
          assert.deepStrictEqual([refused.limitedBy, refused.allowedAt], ["hourly", "1970-01-01T00:10:00.000Z"])
        }
        const times = yield* grantTimes([{ ...reportList, maxWait: "15 minutes" }])
        assert.deepStrictEqual(times, [10 * MINUTE])
        const snapshot = yield* throttle.inspect(reportList)
        assert.deepStrictEqual(snapshot.hourly, { used: 1, max: 60, resetsAt: 70 * MINUTE, blockedUntil: undefined })
      })
    )
  )

  it.effect("does nothing for a response without quota headers", () =>
    withThrottle(
      Effect.gen(function* () {
        const throttle = yield* Throttle.Throttle
        const read = yield* throttle.observeHeaders(listOrders, { "x-mws-request-id": "b7afc6c3" })
        assert.isUndefined(read)
        assert.isUndefined((yield* throttle.inspect(listOrders)).hourly)
      })
    )
  )

  it.effect("blocks the hourly quota until the reset a QuotaExceeded names", () =>
    withThrottle(
      Effect.gen(function* () {
        const throttle = yield* Throttle.Throttle
        const submitFeed = { ...seller, section: "Feeds", operation: "SubmitFeed" } as const
        yield* throttle.reportQuotaExceeded(submitFeed, "Thu, 01 Jan 1970 00:25:00 GMT")
        const times = yield* grantTimes([{ ...submitFeed, maxWait: "1 hour" }])
        assert.deepStrictEqual(times, [25 * MINUTE])
      })
    )
  )

  it.effect("resolves GetServiceStatus in every section", () =>
    withThrottle(
      Effect.gen(function* () {
        const status = { ...seller, section: "Widgets", operation: "GetServiceStatus" } as const
        const times = yield* grantTimes(repeat(status, 3))
        assert.deepStrictEqual(times, [0, 0, 5 * MINUTE])
      })
    )
  )

  it.effect("refuses an unknown operation unless given a default quota", () =>
    Effect.gen(function* () {
      const unknown = { ...seller, section: "Widgets", operation: "ListWidgets" } as const
      const error = yield* withThrottle(Effect.flip(Effect.flatMap(Throttle.Throttle, (t) => t.acquire(unknown))))
      assert.strictEqual(error._tag, "UnknownOperation")
      const times = yield* withThrottle(grantTimes(repeat(unknown, 3)), {
        defaultQuota: { maxQuota: 2, restore: { amount: 1, everyMs: 10_000 }, per: "request" }
      })
      assert.deepStrictEqual(times, [0, 0, 10_000])
    })
  )

  it.effect("runs time faster by the time scale", () =>
    withThrottle(
      Effect.gen(function* () {
        const items = { ...seller, section: "Orders", operation: "ListOrderItems" } as const
        const times = yield* grantTimes(repeat(items, 32))
        assert.deepStrictEqual(times.slice(29), [0, 20, 40])
        const { ref } = yield* (yield* Throttle.Throttle).resolve({
          ...seller,
          section: "Feeds",
          operation: "SubmitFeed"
        })
        assert.strictEqual(ref.windowMs, 36_000)
      }),
      { timeScale: 100 }
    )
  )

  it.effect("runs an effect once permitted", () =>
    withThrottle(
      Effect.gen(function* () {
        const sent: Array<number> = []
        const send = (index: number) => Effect.sync(() => sent.push(index))
        const fibers = yield* Effect.forEach([1, 2, 3, 4, 5, 6, 7], (index) =>
          Effect.forkChild(send(index).pipe(Throttle.withPermit(listOrders)))
        )
        yield* TestClock.adjust(MINUTE - 1)
        assert.deepStrictEqual(sent, [1, 2, 3, 4, 5, 6])
        yield* TestClock.adjust(1)
        yield* Effect.forEach(fibers, Fiber.join)
        assert.deepStrictEqual(sent, [1, 2, 3, 4, 5, 6, 7])
      })
    )
  )

  it.effect("fails every waiter queued behind a store call that timed out, at once, not one timeout each", () =>
    Effect.gen(function* () {
      // The memory store, until it goes silent: then each call fails after 2 s, as RedisStore's do.
      let silent = false
      const timeout = 2_000
      const store = Layer.effect(
        ThrottleStore.ThrottleStore,
        Effect.map(MemoryStore.make, (memory) => {
          const bounded =
            <Args extends ReadonlyArray<unknown>, A>(
              action: string,
              call: (...args: Args) => Effect.Effect<A, ThrottleError.ThrottleStoreUnavailable>
            ) =>
            (...args: Args) =>
              silent
                ? Effect.andThen(
                    Effect.sleep(timeout),
                    Effect.fail(
                      new ThrottleError.ThrottleStoreUnavailable({
                        store: "fake",
                        action,
                        detail: "no answer within 2000 ms"
                      })
                    )
                  )
                : call(...args)
          return ThrottleStore.ThrottleStore.of({
            ...memory,
            take: bounded("take", memory.take),
            estimate: bounded("estimate", memory.estimate)
          })
        })
      )
      yield* Effect.gen(function* () {
        const throttle = yield* Throttle.Throttle
        for (let request = 0; request < 6; request++) yield* throttle.acquire(listOrders)
        // Three queue up (their estimates answered); the first sleeps until its unit is restored.
        const fibers = yield* Effect.forEach([1, 2, 3], () => Effect.forkChild(throttle.acquire(listOrders)))
        yield* TestClock.adjust(10_000)
        silent = true
        yield* TestClock.adjust(MINUTE - 10_000 + timeout - 1)
        assert.isTrue(fibers.every((fiber) => fiber.pollUnsafe() === undefined))
        yield* TestClock.adjust(1)
        for (const fiber of fibers) {
          const exit = fiber.pollUnsafe()
          assert.isDefined(exit, "every waiter fails when the call ahead of it does")
          const error = yield* Effect.flip(Fiber.join(fiber))
          assert.strictEqual(error._tag, "ThrottleStoreUnavailable")
        }
        // The store answers again: the next request is served.
        silent = false
        const permit = yield* throttle.acquire(listOrders)
        assert.strictEqual(permit.grantedAt, MINUTE + timeout)
      }).pipe(Effect.provide(Throttle.Throttle.layer().pipe(Layer.provide(store))))
    })
  )
})

describe("Throttle: an allowance the bucket cannot hold", () => {
  it.effect("is not applied: a small bucket at a high time scale is paced exactly, not held until full", () =>
    Effect.gen(function* () {
      const throttle = yield* Throttle.Throttle
      const target = { sellerId: "A1SLACK", section: "Orders", operation: "ListOrderItems" }
      // ListOrderItems at time scale 1,000: 30 units, one restored every 2 ms, so 58 ms of slack
      // after a request: less than the 1 s allowance.
      const first = yield* throttle.acquire(target)
      const second = yield* throttle.acquire(target)
      assert.strictEqual(first.waitedMs, 0)
      assert.strictEqual(second.waitedMs, 0, "granted from the bucket's 29 units, not after it refills")
      assert.strictEqual(second.tokens, 28)
    }).pipe(Effect.provide(Throttle.Throttle.layerMemory({ timeScale: 1_000, jitterAllowance: "1 second" })))
  )

  it.effect("is applied when it fits: the same bucket at MWS's pace keeps its allowance", () =>
    Effect.gen(function* () {
      const throttle = yield* Throttle.Throttle
      const target = { sellerId: "A1SLACK", section: "Orders", operation: "ListOrderItems" }
      // 30 units, one every 2 s: a 1 s allowance paces as a bucket half a unit smaller.
      const permits = []
      for (let i = 0; i < 30; i++) permits.push(yield* Effect.forkChild(throttle.acquire(target)))
      yield* TestClock.adjust("10 seconds")
      const last = yield* Fiber.join(permits[29]!)
      assert.isAbove(last.waitedMs, 0, "the 30th request waits for the allowance")
    }).pipe(Effect.provide(Throttle.Throttle.layerMemory({ jitterAllowance: "1 second" })))
  )
})
