import { assert, describe, it } from "@effect/vitest"
import { MwsError, UnparseableErrorBody } from "@mws-kit/error-codes"
import { Duration, Effect, Exit, Fiber, Random, Schema } from "effect"
import { TestClock } from "effect/testing"
import { Classifier, CurrentAttempt, RetryBudget, type RetryDecision, RetryGaveUp, RetryPolicy } from "../src/index.ts"
import { captureLogs, gaps, internalError, mwsError, scripted, serviceUnavailable, throttled } from "./utils.ts"

const fresh = () => RetryBudget.makeUnsafe()

/** Advances the clock by `ms` in two steps and checks the attempt count just before and at `ms`. */
const expectAttemptAt = (times: ReadonlyArray<number>, ms: number, countBefore: number) =>
  Effect.gen(function* () {
    yield* TestClock.adjust(ms - 1)
    assert.strictEqual(times.length, countBefore, `no attempt 1ms before the ${ms}ms wait ends`)
    yield* TestClock.adjust(1)
    assert.strictEqual(times.length, countBefore + 1, `an attempt when the ${ms}ms wait ends`)
  })

describe("RetryPolicy: the documented timeline", () => {
  it.effect("retries at exactly 0, 1, 4, 10 and 30 seconds after the previous failure, then gives up", () =>
    Effect.gen(function* () {
      const { effect, times } = scripted(() => internalError())
      const fiber = yield* effect.pipe(RetryPolicy.retry({ budget: fresh() }), Effect.flip, Effect.forkChild)
      yield* TestClock.adjust(0)
      assert.deepStrictEqual(times, [0, 0], "the first call and the immediate retry")
      yield* expectAttemptAt(times, 1_000, 2)
      yield* expectAttemptAt(times, 4_000, 3)
      yield* expectAttemptAt(times, 10_000, 4)
      yield* expectAttemptAt(times, 30_000, 5)
      const error = yield* Fiber.join(fiber)
      assert.deepStrictEqual(times, [0, 0, 1_000, 5_000, 15_000, 45_000])
      assert.deepStrictEqual(gaps(times), [0, 1_000, 4_000, 10_000, 30_000])

      yield* TestClock.adjust("1 hour")
      assert.strictEqual(times.length, 6, "no attempt after the give-up")

      assert.isTrue(RetryGaveUp.isRetryGaveUp(error))
      if (!RetryGaveUp.isRetryGaveUp(error)) return
      assert.strictEqual(error.reason, "exhausted")
      assert.isTrue(error.manualFollowUp)
      assert.strictEqual(error.elapsedMs, 45_000)
      assert.deepStrictEqual(
        error.attempts.map((a) => a.delayBeforeMs),
        [0, 0, 1_000, 4_000, 10_000, 30_000]
      )
      assert.deepStrictEqual(
        error.attempts.map((a) => a.attempt),
        [1, 2, 3, 4, 5, 6]
      )
      assert.strictEqual(new Set(error.attempts.map((a) => a.requestId)).size, 6, "every attempt's own RequestId")
      for (const attempt of error.attempts) {
        assert.strictEqual(attempt.code, "InternalError")
        assert.strictEqual(attempt.errorClass, "transient")
        assert.isDefined(attempt.timestamp)
        assert.strictEqual(attempt.httpStatus, 500)
      }
      assert.deepStrictEqual(
        error.attempts.map((a) => a.failedAt),
        times.map((t) => new Date(t).toISOString())
      )
      assert.instanceOf(error.lastError, MwsError.MwsError)
      assert.strictEqual((error.lastError as MwsError.MwsError).requestId, error.attempts[5]!.requestId)
    })
  )

  it.effect("returns the value of the attempt that succeeds", () =>
    Effect.gen(function* () {
      const { effect, times } = scripted([internalError(), serviceUnavailable(), internalError(), "ok"])
      const fiber = yield* effect.pipe(RetryPolicy.retry({ budget: fresh() }), Effect.forkChild)
      yield* TestClock.adjust("10 seconds")
      const value = yield* Fiber.join(fiber)
      assert.strictEqual(value, 4)
      assert.deepStrictEqual(times, [0, 0, 1_000, 5_000])
    })
  )

  it.effect("makes the delays, the immediate retry and the count options", () =>
    Effect.gen(function* () {
      const custom = scripted(() => internalError())
      const fiber = yield* custom.effect.pipe(
        RetryPolicy.retry({ delays: ["200 millis", "2 seconds"], budget: fresh() }),
        Effect.flip,
        Effect.forkChild
      )
      yield* TestClock.adjust("1 minute")
      yield* Fiber.join(fiber)
      assert.deepStrictEqual(custom.times, [0, 200, 2_200])

      const noImmediate = scripted(() => internalError())
      const fiber2 = yield* noImmediate.effect.pipe(
        RetryPolicy.retry({ immediateRetry: false, budget: fresh() }),
        Effect.flip,
        Effect.forkChild
      )
      yield* TestClock.adjust("1 minute")
      yield* Fiber.join(fiber2)
      assert.deepStrictEqual(gaps(noImmediate.times), [1_000, 4_000, 10_000, 30_000])
    })
  )

  it.effect("works data-first and with a policy made once", () =>
    Effect.gen(function* () {
      const policy = RetryPolicy.make({ delays: [0], budget: fresh() })
      const { effect, times } = scripted([internalError(), "ok"])
      const value = yield* RetryPolicy.retry(effect, policy)
      assert.strictEqual(value, 2)
      assert.deepStrictEqual(times, [0, 0])
    })
  )

  it.effect("provides the running attempt and the wait before it", () =>
    Effect.gen(function* () {
      const seen: Array<[number, number]> = []
      let n = 0
      const effect = Effect.gen(function* () {
        const current = yield* CurrentAttempt.CurrentAttempt
        seen.push([current.attempt, current.delayBeforeMs])
        n++
        if (n < 4) return yield* Effect.fail(internalError())
        return "done"
      })
      const fiber = yield* effect.pipe(RetryPolicy.retry({ budget: fresh() }), Effect.forkChild)
      yield* TestClock.adjust("10 seconds")
      assert.strictEqual(yield* Fiber.join(fiber), "done")
      assert.deepStrictEqual(seen, [
        [1, 0],
        [2, 0],
        [3, 1_000],
        [4, 4_000]
      ])
    })
  )
})

describe("RetryPolicy: throttling", () => {
  it.effect("never retries RequestThrottled at once and waits the operation's restore interval", () =>
    Effect.gen(function* () {
      const { effect, times } = scripted(() => throttled("ListOrders"))
      const restore = (operation: string | undefined) => (operation === "ListOrders" ? 60_000 : undefined)
      const fiber = yield* effect.pipe(
        RetryPolicy.retry({ throttledRestoreInterval: restore, budget: fresh() }),
        Effect.flip,
        Effect.forkChild
      )
      yield* TestClock.adjust(0)
      assert.deepStrictEqual(times, [0], "no immediate retry")
      yield* expectAttemptAt(times, 60_000, 1)
      yield* expectAttemptAt(times, 60_000, 2)
      yield* TestClock.adjust("10 minutes")
      const error = yield* Fiber.join(fiber)
      assert.deepStrictEqual(gaps(times), [60_000, 60_000, 60_000, 60_000])
      assert.strictEqual(times.length, 1 + RetryPolicy.MAX_THROTTLED_RETRIES)
      assert.isTrue(RetryGaveUp.isRetryGaveUp(error) && error.reason === "exhausted")
    })
  )

  it.effect("uses the documented fallback when the operation's interval is unknown", () =>
    Effect.gen(function* () {
      const { effect, times } = scripted([throttled(), "ok"])
      const fiber = yield* effect.pipe(RetryPolicy.retry({ budget: fresh() }), Effect.forkChild)
      yield* expectAttemptAt(times, 120_000, 1)
      yield* Fiber.join(fiber)
      assert.deepStrictEqual(times, [0, 120_000])
    })
  )

  it.effect("takes a plain number of milliseconds, as the throttle catalog gives it", () =>
    Effect.gen(function* () {
      const { effect, times } = scripted([throttled("ListOrderItems"), throttled("ListOrderItems"), "ok"])
      const fiber = yield* effect.pipe(
        RetryPolicy.retry({ throttledRestoreInterval: 2_000, throttledRetries: 2, budget: fresh() }),
        Effect.forkChild
      )
      yield* TestClock.adjust("10 seconds")
      yield* Fiber.join(fiber)
      assert.deepStrictEqual(times, [0, 2_000, 4_000])
    })
  )

  it.effect("never waits 0 even when given a zero interval", () =>
    Effect.gen(function* () {
      const { effect, times } = scripted([throttled(), "ok"])
      const fiber = yield* effect.pipe(
        RetryPolicy.retry({ throttledRestoreInterval: 0, budget: fresh() }),
        Effect.forkChild
      )
      yield* TestClock.adjust(0)
      assert.deepStrictEqual(times, [0])
      yield* TestClock.adjust("5 minutes")
      yield* Fiber.join(fiber)
      assert.deepStrictEqual(times, [0, Duration.toMillis(RetryPolicy.THROTTLED_RESTORE_FALLBACK)])
    })
  )

  it.effect("honours a longer server hint, capped", () =>
    Effect.gen(function* () {
      const hinted = (retryAfterMs: number) =>
        mwsError({ code: "RequestThrottled", httpStatus: 503, retryHint: { retryAfterMs, source: "retry-after" } })
      const { effect, times } = scripted([hinted(30_000), hinted(10 * 60_000), "ok"])
      const fiber = yield* effect.pipe(
        RetryPolicy.retry({ throttledRestoreInterval: "5 seconds", budget: fresh() }),
        Effect.forkChild
      )
      yield* TestClock.adjust("10 minutes")
      yield* Fiber.join(fiber)
      assert.deepStrictEqual(gaps(times), [30_000, 60_000], "the hint when longer, capped at maxHintWait")
    })
  )
})

describe("RetryPolicy: QuotaExceeded", () => {
  const quotaExceeded = (resetsAtMs?: number) =>
    mwsError({
      code: "QuotaExceeded",
      httpStatus: 503,
      ...(resetsAtMs === undefined
        ? {}
        : { quota: { max: 80, remaining: 0, resetsOn: new Date(resetsAtMs).toISOString() } })
    })

  it.effect("waits until the reset carried by the error when it is within the limit", () =>
    Effect.gen(function* () {
      const { effect, times } = scripted([quotaExceeded(3 * 60_000), "ok"])
      const fiber = yield* effect.pipe(RetryPolicy.retry({ budget: fresh() }), Effect.forkChild)
      yield* expectAttemptAt(times, 3 * 60_000, 1)
      yield* Fiber.join(fiber)
      assert.deepStrictEqual(times, [0, 180_000])
    })
  )

  it.effect("fails at once with the reset time when it is past the limit", () =>
    Effect.gen(function* () {
      const resetsAt = 40 * 60_000
      const { effect, times } = scripted([quotaExceeded(resetsAt), "ok"])
      const error = yield* effect.pipe(RetryPolicy.retry({ budget: fresh() }), Effect.flip)
      assert.deepStrictEqual(times, [0])
      assert.isTrue(RetryGaveUp.isRetryGaveUp(error))
      if (!RetryGaveUp.isRetryGaveUp(error)) return
      assert.strictEqual(error.reason, "quota-reset-too-far")
      assert.strictEqual(error.resetsAt, new Date(resetsAt).toISOString())
      assert.strictEqual(error.attempts.length, 1)
      assert.include(error.message, new Date(resetsAt).toISOString())
    })
  )

  it.effect("a longer limit makes the same reset worth waiting for", () =>
    Effect.gen(function* () {
      const { effect, times } = scripted([quotaExceeded(40 * 60_000), "ok"])
      const fiber = yield* effect.pipe(
        RetryPolicy.retry({ quotaWaitLimit: "1 hour", budget: fresh() }),
        Effect.forkChild
      )
      yield* TestClock.adjust("40 minutes")
      yield* Fiber.join(fiber)
      assert.deepStrictEqual(times, [0, 40 * 60_000])
    })
  )

  it.effect("assumes a full hour without a reset time, and so fails at once by default", () =>
    Effect.gen(function* () {
      const { effect, times } = scripted([quotaExceeded(), "ok"])
      const error = yield* effect.pipe(RetryPolicy.retry({ budget: fresh() }), Effect.flip)
      assert.deepStrictEqual(times, [0])
      assert.isTrue(RetryGaveUp.isRetryGaveUp(error) && error.reason === "quota-reset-too-far")
      if (RetryGaveUp.isRetryGaveUp(error)) assert.strictEqual(error.resetsAt, new Date(3_600_000).toISOString())
    })
  )

  it.effect("waits for one reset only", () =>
    Effect.gen(function* () {
      const { effect, times } = scripted([quotaExceeded(60_000), quotaExceeded(120_000)])
      const fiber = yield* effect.pipe(RetryPolicy.retry({ budget: fresh() }), Effect.flip, Effect.forkChild)
      yield* TestClock.adjust("10 minutes")
      const error = yield* Fiber.join(fiber)
      assert.deepStrictEqual(times, [0, 60_000])
      assert.isTrue(RetryGaveUp.isRetryGaveUp(error) && error.reason === "exhausted")
      if (RetryGaveUp.isRetryGaveUp(error)) assert.strictEqual(error.resetsAt, new Date(120_000).toISOString())
    })
  )
})

describe("RetryPolicy: errors that are not retried", () => {
  const cases: ReadonlyArray<[string, () => unknown]> = [
    ["InvalidParameterValue (400)", () => mwsError({ code: "InvalidParameterValue", httpStatus: 400 })],
    ["AccessDenied (401)", () => mwsError({ code: "AccessDenied", httpStatus: 401 })],
    ["SignatureDoesNotMatch (403)", () => mwsError({ code: "SignatureDoesNotMatch", httpStatus: 403 })],
    ["an unknown 4xx (404)", () => mwsError({ code: "SomethingNew", httpStatus: 404 })],
    ["an unknown code with no status", () => mwsError({ code: "Mystery" })],
    ["ReportNotReady, by default", () => mwsError({ code: "ReportNotReady" })],
    ["ContentMD5Missing", () => mwsError({ code: "ContentMD5Missing", httpStatus: 400 })],
    ["a foreign error under the default classifier", () => new Error("boom")]
  ]
  for (const [name, make] of cases) {
    it.effect(`${name} fails at once, unchanged`, () =>
      Effect.gen(function* () {
        const original = make()
        const { effect, times } = scripted([original, "ok"])
        const decisions: Array<RetryDecision.RetryDecision> = []
        const error = yield* effect.pipe(
          RetryPolicy.retry({ budget: fresh(), onDecision: (d) => Effect.sync(() => decisions.push(d)) }),
          Effect.flip
        )
        yield* TestClock.adjust("1 hour")
        assert.deepStrictEqual(times, [0])
        assert.strictEqual(error, original)
        assert.strictEqual(decisions.length, 1)
        assert.strictEqual(decisions[0]!.action, "stop")
        assert.strictEqual(decisions[0]!.reason, "not-retryable")
      })
    )
  }

  it.effect("a 4xx after retries ends the call with every attempt listed", () =>
    Effect.gen(function* () {
      const { effect, times } = scripted([
        internalError(),
        mwsError({ code: "InvalidParameterValue", httpStatus: 400 })
      ])
      const error = yield* effect.pipe(RetryPolicy.retry({ budget: fresh() }), Effect.flip)
      assert.deepStrictEqual(times, [0, 0])
      assert.isTrue(RetryGaveUp.isRetryGaveUp(error))
      if (!RetryGaveUp.isRetryGaveUp(error)) return
      assert.strictEqual(error.reason, "not-retryable")
      assert.deepStrictEqual(
        error.attempts.map((a) => a.code),
        ["InternalError", "InvalidParameterValue"]
      )
    })
  )

  it.effect("defects are never retried", () =>
    Effect.gen(function* () {
      let calls = 0
      const exit = yield* Effect.sync(() => calls++).pipe(
        Effect.andThen(Effect.die("bug")),
        RetryPolicy.retry({ budget: fresh() }),
        Effect.exit
      )
      assert.isTrue(Exit.isFailure(exit))
      assert.strictEqual(calls, 1)
    })
  )
})

describe("RetryPolicy: other classes", () => {
  const md5 = (operation: string) =>
    mwsError({ code: "ContentMD5DoesNotMatch", operation, mwsMessage: "Received Content-MD5 = x but expected y" })

  it.effect("a corrupted download gets up to three more attempts", () =>
    Effect.gen(function* () {
      const { effect, times } = scripted(() => md5("GetReport"))
      const fiber = yield* effect.pipe(RetryPolicy.retry({ budget: fresh() }), Effect.flip, Effect.forkChild)
      yield* TestClock.adjust("1 hour")
      const error = yield* Fiber.join(fiber)
      assert.strictEqual(times.length, 4)
      assert.deepStrictEqual(gaps(times), [0, 1_000, 4_000])
      assert.isTrue(RetryGaveUp.isRetryGaveUp(error) && error.reason === "exhausted")
    })
  )

  it.effect("a Content-MD5 mismatch on an upload is not retried", () =>
    Effect.gen(function* () {
      const { effect, times } = scripted([md5("SubmitFeed"), "ok"])
      const error = yield* effect.pipe(RetryPolicy.retry({ budget: fresh() }), Effect.flip)
      assert.deepStrictEqual(times, [0])
      assert.isTrue(MwsError.isMwsError(error))
    })
  )

  it.effect("not-ready answers are asked again only when configured", () =>
    Effect.gen(function* () {
      const { effect, times } = scripted([
        mwsError({ code: "ReportNotReady" }),
        mwsError({ code: "ReportNotReady" }),
        "ok"
      ])
      const fiber = yield* effect.pipe(
        RetryPolicy.retry({ notReadyDelays: ["30 seconds", "1 minute"], budget: fresh() }),
        Effect.forkChild
      )
      yield* TestClock.adjust("5 minutes")
      yield* Fiber.join(fiber)
      assert.deepStrictEqual(times, [0, 30_000, 90_000])
    })
  )

  it.effect("an unparseable 502 page from a proxy follows the timeline", () =>
    Effect.gen(function* () {
      const page = new UnparseableErrorBody.UnparseableErrorBody({
        reason: "html",
        errorClass: "transient",
        httpStatus: 502,
        bodyBytes: 120,
        excerpt: "<html>Bad Gateway</html>"
      })
      const { effect, times } = scripted([page, page, "ok"])
      const fiber = yield* effect.pipe(RetryPolicy.retry({ budget: fresh() }), Effect.forkChild)
      yield* TestClock.adjust("5 seconds")
      yield* Fiber.join(fiber)
      assert.deepStrictEqual(times, [0, 0, 1_000])
    })
  )

  it.effect("a transient error's server hint lengthens the wait, capped", () =>
    Effect.gen(function* () {
      const withHint = (retryAfterMs: number) =>
        mwsError({ code: "ServiceUnavailable", httpStatus: 503, retryHint: { retryAfterMs, source: "retry-after" } })
      const { effect, times } = scripted([withHint(20_000), withHint(500), withHint(5 * 60_000), "ok"])
      const fiber = yield* effect.pipe(RetryPolicy.retry({ budget: fresh() }), Effect.forkChild)
      yield* TestClock.adjust("10 minutes")
      yield* Fiber.join(fiber)
      assert.deepStrictEqual(gaps(times), [20_000, 1_000, 60_000], "hint 20s > 0; 0.5s < 1s; 5min capped to 1min")
    })
  )
})

describe("RetryPolicy: non-idempotent operations", () => {
  it.effect("are not retried after an ambiguous failure (a 500 may have been processed)", () =>
    Effect.gen(function* () {
      const original = internalError()
      const { effect, times } = scripted([original, "ok"])
      const error = yield* effect.pipe(RetryPolicy.retry({ idempotent: false, budget: fresh() }), Effect.flip)
      assert.deepStrictEqual(times, [0])
      assert.strictEqual(error, original)
    })
  )

  it.effect("are retried after an ambiguous failure when the caller opts in", () =>
    Effect.gen(function* () {
      const { effect, times } = scripted([internalError(), "ok"])
      yield* effect.pipe(RetryPolicy.retry({ idempotent: false, retryAmbiguous: true, budget: fresh() }))
      assert.deepStrictEqual(times, [0, 0])
    })
  )

  it.effect("are retried after errors that prove nothing was processed", () =>
    Effect.gen(function* () {
      const { effect, times } = scripted([serviceUnavailable(), throttled("SubmitFeed"), "ok"])
      const fiber = yield* effect.pipe(
        RetryPolicy.retry({ idempotent: false, throttledRestoreInterval: "2 minutes", budget: fresh() }),
        Effect.forkChild
      )
      yield* TestClock.adjust("5 minutes")
      yield* Fiber.join(fiber)
      assert.deepStrictEqual(times, [0, 0, 120_000])
    })
  )

  it.effect("transport failures: a refused connection is retried, a timeout after send is not", () =>
    Effect.gen(function* () {
      class Transport {
        readonly sent: boolean
        constructor(sent: boolean) {
          this.sent = sent
        }
      }
      const classify = (e: Transport) => ({ errorClass: "transient" as const, transport: true, ambiguous: e.sent })
      const budget = fresh()
      const refused = scripted([new Transport(false), "ok"])
      yield* refused.effect.pipe(RetryPolicy.retry({ classify, idempotent: false, budget }))
      assert.deepStrictEqual(refused.times, [0, 0])
      assert.strictEqual(budget.available(), RetryBudget.INITIAL_RETRY_TOKENS, "the timeout cost, refunded")

      const timedOut = scripted([new Transport(true), "ok"])
      const error = yield* timedOut.effect.pipe(RetryPolicy.retry({ classify, idempotent: false, budget }), Effect.flip)
      assert.deepStrictEqual(timedOut.times, [0])
      assert.instanceOf(error, Transport)
    })
  )
})

describe("RetryPolicy: limits", () => {
  it.effect("does not start a wait that would end past the elapsed-time limit", () =>
    Effect.gen(function* () {
      const { effect, times } = scripted(() => internalError())
      const fiber = yield* effect.pipe(
        RetryPolicy.retry({ maxElapsed: "10 seconds", budget: fresh() }),
        Effect.flip,
        Effect.forkChild
      )
      yield* TestClock.adjust("1 minute")
      const error = yield* Fiber.join(fiber)
      assert.deepStrictEqual(times, [0, 0, 1_000, 5_000])
      assert.isTrue(RetryGaveUp.isRetryGaveUp(error) && error.reason === "elapsed-limit")
    })
  )

  it.effect("stops retrying when the budget is empty and recovers after successes", () =>
    Effect.gen(function* () {
      const budget = RetryBudget.makeUnsafe({ capacity: 12 })
      const first = scripted(() => internalError())
      const fiber = yield* first.effect.pipe(RetryPolicy.retry({ budget }), Effect.flip, Effect.forkChild)
      yield* TestClock.adjust("1 minute")
      const error = yield* Fiber.join(fiber)
      assert.deepStrictEqual(first.times, [0, 0, 1_000], "two retries at 5 tokens each, then 2 tokens left")
      assert.isTrue(RetryGaveUp.isRetryGaveUp(error) && error.reason === "budget-empty")
      assert.strictEqual(budget.available(), 2)

      const starved = scripted([internalError(), "ok"])
      yield* starved.effect.pipe(RetryPolicy.retry({ budget }), Effect.flip)
      assert.strictEqual(starved.times.length, 1, "no retry while the budget is empty")

      for (let i = 0; i < 3; i++) yield* Effect.succeed(i).pipe(RetryPolicy.retry({ budget }))
      assert.strictEqual(budget.available(), 5, "each first-attempt success puts one token back")

      const recovered = scripted([internalError(), "ok"])
      yield* recovered.effect.pipe(RetryPolicy.retry({ budget }))
      assert.strictEqual(recovered.times.length, 2, "retries again")
      assert.strictEqual(budget.available(), 5, "a success after a retry puts its cost back")
    })
  )

  it.effect("draws from the RetryBudget service, one bucket per process unless a layer gives another", () =>
    Effect.gen(function* () {
      const processWide = yield* RetryBudget.RetryBudget
      assert.strictEqual(processWide, yield* RetryBudget.RetryBudget, "the same bucket every time")
      const layered = yield* Effect.gen(function* () {
        const { effect } = scripted([internalError(), "ok"])
        const before = yield* RetryBudget.available
        const bucket = yield* RetryBudget.RetryBudget
        const seen: Array<number> = []
        yield* effect.pipe(RetryPolicy.retry({ onDecision: () => Effect.sync(() => seen.push(bucket.available())) }))
        return { before, during: seen[0], after: yield* RetryBudget.available, bucket }
      }).pipe(Effect.provide(RetryBudget.RetryBudget.layer({ capacity: 40 })))
      assert.strictEqual(layered.before, 40)
      assert.strictEqual(layered.during, 35)
      assert.strictEqual(layered.after, 40)
      assert.notStrictEqual(layered.bucket, processWide)
    })
  )

  it.effect("with budget 'none' nothing is counted", () =>
    Effect.gen(function* () {
      const { effect, times } = scripted(() => internalError())
      const fiber = yield* effect.pipe(RetryPolicy.retry({ budget: "none" }), Effect.flip, Effect.forkChild)
      yield* TestClock.adjust("1 minute")
      yield* Fiber.join(fiber)
      assert.strictEqual(times.length, 6)
    })
  )
})

describe("RetryPolicy: observability", () => {
  it.effect("reports every decision to the callback, the log and the current span", () =>
    Effect.gen(function* () {
      const logs: Parameters<typeof captureLogs>[1] = []
      const decisions: Array<RetryDecision.RetryDecision> = []
      const { effect } = scripted(() => internalError())
      const program = Effect.gen(function* () {
        const error = yield* effect.pipe(
          RetryPolicy.retry({
            delays: [0, "1 second"],
            operation: "ListOrders",
            budget: RetryBudget.makeUnsafe({ capacity: 100 }),
            onDecision: (d) => Effect.sync(() => decisions.push(d))
          }),
          Effect.flip
        )
        const span = yield* Effect.currentSpan
        return { error, span }
      }).pipe(Effect.withSpan("ListOrders"))
      const fiber = yield* captureLogs(program, logs).pipe(Effect.forkChild)
      yield* TestClock.adjust("1 minute")
      const { error, span } = yield* Fiber.join(fiber)

      assert.deepStrictEqual(
        decisions.map((d) => [d.attempt, d.action, d.reason, d.delayMs, d.budgetTokens]),
        [
          [1, "retry", "immediate", 0, 95],
          [2, "retry", "timeline", 1_000, 90],
          [3, "stop", "exhausted", 0, 90]
        ]
      )
      for (const d of decisions) {
        assert.strictEqual(d.code, "InternalError")
        assert.strictEqual(d.operation, "ListOrders")
        assert.isDefined(d.requestId)
      }
      assert.strictEqual(decisions[1]!.elapsedMs, 0)
      assert.strictEqual(decisions[2]!.elapsedMs, 1_000)

      const debug = logs.filter((l) => l.level === "Debug")
      assert.strictEqual(debug.length, 3, "one log line per decision")
      assert.include(debug[1]!.message, "retry in 1000ms (timeline)")
      assert.strictEqual(debug[1]!.annotations["retry.attempt"], 2)
      const warnings = logs.filter((l) => l.level === "Warn")
      assert.strictEqual(warnings.length, 1, "the give-up is logged once")
      assert.include(warnings[0]!.message, "manual follow-up")
      assert.isTrue(RetryGaveUp.isRetryGaveUp(error))
      if (RetryGaveUp.isRetryGaveUp(error)) assert.strictEqual(warnings[0]!.message, error.message)

      assert.strictEqual(span.attributes.get("retry.attempt"), 3)
      assert.strictEqual(span.attributes.get("retry.action"), "stop")
      assert.strictEqual(span.attributes.get("retry.reason"), "exhausted")
      assert.strictEqual(span.attributes.get("retry.code"), "InternalError")
    })
  )

  it.effect("never logs request parameters: only codes and identifiers", () =>
    Effect.gen(function* () {
      const logs: Parameters<typeof captureLogs>[1] = []
      const secretish = mwsError({
        code: "InternalError",
        httpStatus: 500,
        mwsMessage: "failed for MWSAuthToken=amzn.mws.secret-token",
        detail: "Signature=abc123"
      })
      const fiber = yield* captureLogs(
        Effect.fail(secretish).pipe(RetryPolicy.retry({ budget: fresh() }), Effect.flip),
        logs
      ).pipe(Effect.forkChild)
      yield* TestClock.adjust("1 minute")
      const error = yield* Fiber.join(fiber)
      const printed = [...logs.map((l) => `${l.message} ${JSON.stringify(l.annotations)}`), String(error)].join("\n")
      assert.notInclude(printed, "secret-token")
      assert.notInclude(printed, "abc123")
      assert.isAbove(logs.length, 0)
    })
  )
})

describe("RetryPolicy: jitter", () => {
  const runWith = (jitter: "none" | "full" | "equal" | "decorrelated", seed: string) =>
    Effect.gen(function* () {
      const { effect, times } = scripted(() => internalError())
      const fiber = yield* effect.pipe(
        RetryPolicy.retry({ jitter, budget: fresh() }),
        Effect.flip,
        Random.withSeed(seed),
        Effect.forkChild
      )
      yield* TestClock.adjust("5 minutes")
      yield* Fiber.join(fiber)
      return gaps(times)
    })

  it.effect("the default timeline has no jitter", () =>
    Effect.gen(function* () {
      assert.deepStrictEqual(yield* runWith("none", "a"), [0, 1_000, 4_000, 10_000, 30_000])
      const { effect, times } = scripted(() => internalError())
      const fiber = yield* effect.pipe(RetryPolicy.retry({ budget: fresh() }), Effect.flip, Effect.forkChild)
      yield* TestClock.adjust("5 minutes")
      yield* Fiber.join(fiber)
      assert.deepStrictEqual(gaps(times), [0, 1_000, 4_000, 10_000, 30_000])
    })
  )

  it.effect.prop(
    "every strategy stays inside its bounds, under the 30s cap, and repeats for the same seed",
    [Schema.Literals(["full", "equal", "decorrelated"]), Schema.String],
    ([jitter, seed]) =>
      Effect.gen(function* () {
        const waits = yield* runWith(jitter, seed)
        assert.deepStrictEqual(yield* runWith(jitter, seed), waits, "deterministic under a seeded Random")
        assert.strictEqual(waits.length, 5)
        assert.strictEqual(waits[0], 0, "the immediate retry stays immediate")
        const documented = [0, 1_000, 4_000, 10_000, 30_000]
        let previous = 0
        waits.forEach((wait, i) => {
          assert.isAtMost(wait, 30_000)
          const delay = documented[i]!
          if (delay === 0) return
          if (jitter === "full") assert.isTrue(wait >= 0 && wait <= delay, `full: ${wait} in [0, ${delay}]`)
          if (jitter === "equal") assert.isTrue(wait >= delay / 2 && wait <= delay, `equal: ${wait} in [d/2, ${delay}]`)
          if (jitter === "decorrelated") {
            const high = Math.max(1_000, 3 * (previous === 0 ? 1_000 : previous))
            assert.isTrue(wait >= 1_000 && wait <= Math.min(30_000, high), `decorrelated: ${wait} in [1000, ${high}]`)
          }
          previous = wait
        })
      }),
    { arbitrary: { runs: 30 } }
  )

  it.effect("different seeds give different full-jitter waits", () =>
    Effect.gen(function* () {
      const a = yield* runWith("full", "seed-a")
      const b = yield* runWith("full", "seed-b")
      assert.notDeepEqual(a, b)
    })
  )
})

describe("RetryPolicy: nesting", () => {
  it.effect("an inner retried call starts again at attempt 1", () =>
    Effect.gen(function* () {
      const seen: Array<number> = []
      let outerCalls = 0
      const inner = Effect.gen(function* () {
        seen.push((yield* CurrentAttempt.CurrentAttempt).attempt)
      }).pipe(RetryPolicy.retry({ budget: fresh() }))
      const outer = inner.pipe(
        Effect.andThen(() => (++outerCalls < 3 ? Effect.fail(internalError()) : Effect.succeed("done"))),
        RetryPolicy.retry({ budget: fresh() })
      )
      const fiber = yield* Effect.forkChild(outer)
      yield* TestClock.adjust("5 seconds")
      assert.strictEqual(yield* Fiber.join(fiber), "done")
      assert.deepStrictEqual(seen, [1, 1, 1], "each outer attempt runs the inner call as its attempt 1")
    })
  )
})

describe("RetryPolicy: a sloppy classifier", () => {
  it.effect("a throwing classifier makes the error unknown: not retried", () =>
    Effect.gen(function* () {
      const { effect, times } = scripted(["boom", "ok"])
      const error = yield* effect.pipe(
        RetryPolicy.retry({
          classify: () => {
            throw new Error("classifier bug")
          },
          budget: fresh()
        }),
        Effect.flip
      )
      assert.strictEqual(error, "boom")
      assert.deepStrictEqual(times, [0])
    })
  )

  it.effect("malformed fields are dropped, so the final failure is still built", () =>
    Effect.gen(function* () {
      const { effect } = scripted(() => "boom")
      const classify = () =>
        ({
          errorClass: "transient",
          httpStatus: 500.5,
          code: 42,
          retryHint: { retryAfterMs: Number.NaN, source: "retry-after" }
        }) as unknown as Classifier.Classification
      const fiber = yield* effect.pipe(
        RetryPolicy.retry({ classify, delays: [0, 1_000], budget: fresh() }),
        Effect.flip,
        Effect.forkChild
      )
      yield* TestClock.adjust("5 seconds")
      const error = yield* Fiber.join(fiber)
      assert.isTrue(RetryGaveUp.isRetryGaveUp(error))
      if (!RetryGaveUp.isRetryGaveUp(error)) return
      assert.deepStrictEqual(
        error.attempts.map((a) => [a.delayBeforeMs, a.code, a.httpStatus]),
        [
          [0, undefined, undefined],
          [0, undefined, undefined],
          [1_000, undefined, undefined]
        ]
      )
    })
  )
})

describe("RetryPolicy: the decided attempt", () => {
  it.effect("hands onDecision each failed attempt's error, classified once, and how it ends", () =>
    Effect.gen(function* () {
      let classified = 0
      const seen: Array<[number, RetryDecision.AttemptEnding, string | undefined, boolean]> = []
      const { effect } = scripted(() => internalError())
      const policy = RetryPolicy.make({
        delays: [0, "1 second"],
        budget: "none",
        classify: (error) => {
          classified++
          return Classifier.mws(error)
        }
      })
      const observed = RetryPolicy.withOnDecision(policy, (decision, attempt) =>
        Effect.sync(() => {
          seen.push([
            decision.attempt,
            attempt.ending,
            attempt.classification.code,
            MwsError.isMwsError(attempt.error) && attempt.error.requestId === decision.requestId
          ])
        })
      )
      const fiber = yield* effect.pipe(RetryPolicy.retry(observed), Effect.flip, Effect.forkChild)
      yield* TestClock.adjust("1 minute")
      const error = yield* Fiber.join(fiber)
      assert.instanceOf(error, RetryGaveUp.RetryGaveUp)
      assert.deepStrictEqual(seen, [
        [1, "retried", "InternalError", true],
        [2, "retried", "InternalError", true],
        [3, "gave-up", "InternalError", true]
      ])
      assert.strictEqual(classified, 3, "one classification per failed attempt")
      assert.isUndefined(policy.onDecision, "withOnDecision leaves the original policy as it was")
    })
  )

  it.effect("an error not retried at the first attempt ends as `failed` and passes through unchanged", () =>
    Effect.gen(function* () {
      const endings: Array<RetryDecision.AttemptEnding> = []
      const refused = mwsError({ code: "InvalidParameterValue", httpStatus: 400 })
      const ambiguous = internalError()
      const passBadRequest = yield* Effect.fail(refused).pipe(
        RetryPolicy.retry({ onDecision: (_, attempt) => Effect.sync(() => endings.push(attempt.ending)) }),
        Effect.flip
      )
      const passAmbiguous = yield* Effect.fail(ambiguous).pipe(
        RetryPolicy.retry({
          idempotent: false,
          onDecision: (_, attempt) => Effect.sync(() => endings.push(attempt.ending))
        }),
        Effect.flip
      )
      assert.strictEqual(passBadRequest, refused)
      assert.strictEqual(passAmbiguous, ambiguous)
      assert.deepStrictEqual(endings, ["failed", "failed"])
    })
  )
})
