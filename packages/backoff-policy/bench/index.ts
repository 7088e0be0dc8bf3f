/**
 * Benchmark of @mws-kit/backoff-policy, in one run:
 *
 * 1. Success path: the cost of `RetryPolicy.retry()` on a call that succeeds
 *    at once, against the same effect with no retry and with
 *    `Effect.retry(Schedule.exponential("100 millis").pipe(Schedule.upTo({ times: 5 })))`
 *    (the strongest fair baseline: Effect's own retry, same number of retries
 *    as the documented timeline). Rounds are interleaved, the median kept.
 *
 * 2. Storm simulation in virtual time (TestClock, the real combinator): 100
 *    clients in one process, each starting a call every second (open loop:
 *    traffic keeps arriving whatever happens to earlier calls), against a
 *    dependency that answers for 10 s, fails every call with InternalError
 *    (500) for 60 s, then recovers. The same run with and without the retry
 *    budget (the process-wide default: 500 tokens, 5 per retry). Attempts
 *    during the outage, calls that gave up, and how long the recovery takes.
 *
 *   npx -y pnpm@12.4.2 --filter @mws-kit/backoff-policy bench
 *
 * Writes bench-results/backoff-policy.json at the repository root.
 */
import { MwsError } from "@mws-kit/error-codes"
import { Clock, Effect, Fiber, References, Schedule } from "effect"
import { TestClock } from "effect/testing"
import { writeBenchResult } from "../../../scripts/bench-results.ts"
import { RetryBudget, RetryGaveUp, RetryPolicy } from "../src/index.ts"

// ---------------------------------------------------------------------------
// 1. Success path
// ---------------------------------------------------------------------------

/** Calls per round. */
const ITERATIONS = 200_000
/** Warm-up rounds per candidate (not measured), then measured rounds, interleaved. */
const WARMUP_ROUNDS = 3
const ROUNDS = 15

let counter = 0
const call: Effect.Effect<number, MwsError.MwsError> = Effect.sync(() => counter++)

const candidates: ReadonlyArray<readonly [string, Effect.Effect<number, unknown>]> = [
  ["no retry", call],
  [
    "Effect.retry(exponential)",
    call.pipe(Effect.retry(Schedule.exponential("100 millis").pipe(Schedule.upTo({ times: 5 }))))
  ],
  ["RetryPolicy.retry()", call.pipe(RetryPolicy.retry())]
]

const timeRound = (effect: Effect.Effect<number, unknown>): number => {
  const loop = Effect.gen(function* () {
    for (let i = 0; i < ITERATIONS; i++) yield* effect
  })
  const started = performance.now()
  Effect.runSync(Effect.orDie(loop))
  return performance.now() - started
}

const median = (values: ReadonlyArray<number>): number => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

const successPath = () => {
  for (let r = 0; r < WARMUP_ROUNDS; r++) for (const [, effect] of candidates) timeRound(effect)
  const samples = new Map<string, Array<number>>(candidates.map(([name]) => [name, []]))
  for (let r = 0; r < ROUNDS; r++) {
    // rotate the order every round so no candidate always runs first
    for (let i = 0; i < candidates.length; i++) {
      const [name, effect] = candidates[(i + r) % candidates.length]!
      samples.get(name)!.push(timeRound(effect))
    }
  }
  const nsPerCall = Object.fromEntries(
    [...samples].map(([name, ms]) => [name, (median(ms) * 1e6) / ITERATIONS] as const)
  )
  return nsPerCall
}

// ---------------------------------------------------------------------------
// 2. Storm simulation
// ---------------------------------------------------------------------------

const CLIENTS = 100
/** Each client starts a call this often (ms), whatever happened to its earlier calls. */
const CALL_INTERVAL_MS = 1_000
const OUTAGE_START_MS = 10_000
const OUTAGE_END_MS = 70_000
/** Clients stop starting calls here; the run goes on until every call has finished. */
const LAST_CALL_MS = 130_000

interface CallRecord {
  readonly client: number
  readonly startedAt: number
  endedAt: number
  succeeded: boolean
  gaveUpReason: string | undefined
}

interface StormResult {
  readonly attemptsDuringOutage: number
  readonly firstAttemptsDuringOutage: number
  readonly callsStartedDuringOutage: number
  readonly callsGaveUp: number
  readonly callsGaveUpByReason: Record<string, number>
  /** From the recovery until every client has had a call succeed after it. */
  readonly recoveryDelayMs: number
  /** From the recovery until the last call started during the outage has finished. */
  readonly inFlightDrainMs: number
  /** From the recovery until the shared budget is full again (with the budget only). */
  readonly budgetRefillMs: number | undefined
}

const storm = (budgetMode: "none" | "shared" | "per-client"): Promise<StormResult> => {
  const attemptTimes: Array<number> = []
  const calls: Array<CallRecord> = []
  const shared = RetryBudget.makeUnsafe()
  const perClient = Array.from({ length: CLIENTS }, () => RetryBudget.makeUnsafe())
  let budgetFullAgainAt: number | undefined

  const dependency = Clock.clockWith((clock) => {
    const now = clock.currentTimeMillisUnsafe()
    attemptTimes.push(now)
    if (now >= OUTAGE_START_MS && now < OUTAGE_END_MS) {
      return Effect.fail(
        MwsError.make({ code: "InternalError", httpStatus: 500, requestId: `r-${attemptTimes.length}` })
      )
    }
    if (budgetMode === "shared" && budgetFullAgainAt === undefined && now >= OUTAGE_END_MS) {
      // checked before this call's own refund: the first time a call finds the bucket full again
      if (shared.available() === shared.capacity) budgetFullAgainAt = now
    }
    return Effect.succeed(now)
  })

  const policies = Array.from({ length: CLIENTS }, (_, client) =>
    RetryPolicy.make({
      budget: budgetMode === "none" ? "none" : budgetMode === "shared" ? shared : perClient[client]!
    })
  )

  const oneCall = (client: number) =>
    Effect.gen(function* () {
      const record: CallRecord = {
        client,
        startedAt: yield* Clock.currentTimeMillis,
        endedAt: 0,
        succeeded: false,
        gaveUpReason: undefined
      }
      calls.push(record)
      const outcome = yield* dependency.pipe(
        RetryPolicy.retry(policies[client]!),
        Effect.match({
          onSuccess: () => undefined,
          onFailure: (error) => (RetryGaveUp.isRetryGaveUp(error) ? error.reason : "not-wrapped")
        })
      )
      record.endedAt = yield* Clock.currentTimeMillis
      record.succeeded = outcome === undefined
      record.gaveUpReason = outcome
    })

  const client = (id: number) =>
    Effect.gen(function* () {
      yield* Effect.sleep((id * CALL_INTERVAL_MS) / CLIENTS) // spread the clients over the interval
      const fibers: Array<Fiber.Fiber<void>> = []
      while ((yield* Clock.currentTimeMillis) < LAST_CALL_MS) {
        fibers.push(yield* Effect.forkChild(oneCall(id)))
        yield* Effect.sleep(CALL_INTERVAL_MS)
      }
      yield* Fiber.joinAll(fibers)
    })

  const program = Effect.gen(function* () {
    const all = yield* Effect.forkChild(
      Effect.forEach(
        Array.from({ length: CLIENTS }, (_, i) => i),
        client,
        { concurrency: "unbounded" }
      )
    )
    yield* TestClock.adjust(LAST_CALL_MS + 5 * 60_000)
    yield* Fiber.join(all)
  }).pipe(
    Effect.provide(TestClock.layer()),
    // thousands of give-up warnings would flood the console; the figures are counted here instead
    Effect.provideService(References.MinimumLogLevel, "None")
  )

  return Effect.runPromise(program).then(() => {
    const inOutage = (t: number) => t >= OUTAGE_START_MS && t < OUTAGE_END_MS
    const startedInOutage = calls.filter((c) => inOutage(c.startedAt))
    const firstSuccessAfter = new Map<number, number>()
    for (const c of calls) {
      if (c.succeeded && c.endedAt >= OUTAGE_END_MS) {
        const seen = firstSuccessAfter.get(c.client)
        if (seen === undefined || c.endedAt < seen) firstSuccessAfter.set(c.client, c.endedAt)
      }
    }
    if (firstSuccessAfter.size !== CLIENTS) throw new Error("a client never recovered")
    const byReason: Record<string, number> = {}
    for (const c of calls)
      if (c.gaveUpReason !== undefined) byReason[c.gaveUpReason] = (byReason[c.gaveUpReason] ?? 0) + 1
    return {
      attemptsDuringOutage: attemptTimes.filter(inOutage).length,
      firstAttemptsDuringOutage: startedInOutage.length,
      callsStartedDuringOutage: startedInOutage.length,
      callsGaveUp: calls.filter((c) => !c.succeeded).length,
      callsGaveUpByReason: byReason,
      recoveryDelayMs: Math.max(...firstSuccessAfter.values()) - OUTAGE_END_MS,
      inFlightDrainMs: Math.max(0, Math.max(...startedInOutage.map((c) => c.endedAt)) - OUTAGE_END_MS),
      budgetRefillMs: budgetFullAgainAt === undefined ? undefined : budgetFullAgainAt - OUTAGE_END_MS
    }
  })
}

// ---------------------------------------------------------------------------

const round = (x: number, digits = 3) => Number(x.toFixed(digits))

const main = async () => {
  const ns = successPath()
  const plainRetry = ns["Effect.retry(exponential)"]!
  const policy = ns["RetryPolicy.retry()"]!
  const none = ns["no retry"]!
  const successOverheadRatio = policy / plainRetry

  console.log("1. Success path (median ns per call, 200k calls per round, 15 interleaved rounds)")
  for (const [name, value] of Object.entries(ns)) console.log(`   ${name.padEnd(28)} ${value.toFixed(1)} ns`)
  console.log(`   policy / Effect.retry = ${successOverheadRatio.toFixed(3)} (target <= 1.10)`)
  console.log(`   policy / no retry     = ${(policy / none).toFixed(3)}`)

  const without = await storm("none")
  const withBudget = await storm("shared")
  const perClient = await storm("per-client")
  const reduction = without.attemptsDuringOutage / withBudget.attemptsDuringOutage
  const perClientReduction = without.attemptsDuringOutage / perClient.attemptsDuringOutage
  const ceiling = without.attemptsDuringOutage / without.callsStartedDuringOutage

  console.log("\n2. Storm: 100 clients, one call per client per second, 60 s outage (virtual time)")
  for (const [name, r] of [
    ["without budget", without],
    ["shared budget (default)", withBudget],
    ["one budget per client", perClient]
  ] as const) {
    console.log(
      `   ${name.padEnd(24)} attempts during outage ${String(r.attemptsDuringOutage).padStart(6)}, ` +
        `calls gave up ${String(r.callsGaveUp).padStart(5)} ${JSON.stringify(r.callsGaveUpByReason)}, ` +
        `recovery ${(r.recoveryDelayMs / 1000).toFixed(2)} s, in-flight drain ${(r.inFlightDrainMs / 1000).toFixed(2)} s`
    )
  }
  console.log(`   storm_attempt_reduction = ${reduction.toFixed(3)} (target >= 5)`)
  console.log(`   ceiling (attempts per outage call without budget) = ${ceiling.toFixed(3)}`)
  console.log(`   budget full again ${((withBudget.budgetRefillMs ?? Number.NaN) / 1000).toFixed(2)} s after recovery`)

  const recoveryDelayS = withBudget.recoveryDelayMs / 1000
  const written = writeBenchResult({
    name: "backoff-policy",
    figures: {
      success_overhead_ratio: round(successOverheadRatio),
      success_policy_vs_no_retry_ratio: round(policy / none),
      success_ns_no_retry: round(none, 1),
      success_ns_effect_retry: round(plainRetry, 1),
      success_ns_policy: round(policy, 1),
      storm_attempt_reduction: round(reduction),
      storm_attempt_reduction_ceiling: round(ceiling),
      storm_attempt_reduction_per_client_budget: round(perClientReduction),
      storm_calls_during_outage: withBudget.callsStartedDuringOutage,
      storm_attempts_without_budget: without.attemptsDuringOutage,
      storm_attempts_with_budget: withBudget.attemptsDuringOutage,
      storm_attempts_per_client_budget: perClient.attemptsDuringOutage,
      storm_calls_gave_up_without_budget: without.callsGaveUp,
      storm_calls_gave_up_with_budget: withBudget.callsGaveUp,
      recovery_delay_s: round(recoveryDelayS),
      recovery_delay_s_without_budget: round(without.recoveryDelayMs / 1000),
      in_flight_drain_s_with_budget: round(withBudget.inFlightDrainMs / 1000),
      in_flight_drain_s_without_budget: round(without.inFlightDrainMs / 1000),
      budget_refill_s: withBudget.budgetRefillMs === undefined ? null : round(withBudget.budgetRefillMs / 1000)
    },
    targets: {
      success_overhead_ratio: { target: "<= 1.10", met: successOverheadRatio <= 1.1 },
      storm_attempt_reduction: { target: ">= 5", met: reduction >= 5 },
      recovery_delay_s: { target: "<= 45", met: recoveryDelayS <= 45 }
    },
    notes: [
      "Success path: Effect.sync(() => counter++) run 200k times per round inside one fiber, 3 warm-up rounds, 15 measured rounds with the order rotated each round; median per candidate. Baseline: Effect.retry(Schedule.exponential('100 millis').pipe(Schedule.upTo({ times: 5 }))). The policy is RetryPolicy.retry(): documented timeline, process-wide budget (a token refunded per success); CurrentAttempt is provided to retries, the first attempt reads its default.",
      "Storm: 100 clients in one process, each starting a call every second (open loop, clients spread over the second), dependency healthy for 10 s, InternalError (500) for 60 s, healthy again; real RetryPolicy.retry under TestClock. Attempts counted while the dependency is down. Budget: the default 500 tokens, 5 per retry, shared by the process.",
      "storm_attempt_reduction_ceiling: attempts per call started during the outage without a budget. With a budget the best possible is one attempt per call, so the reduction can never exceed this ceiling: the documented timeline makes at most 6 attempts, and calls started late in the outage have their later retries after the recovery (4.9 on average for uniform arrivals).",
      "recovery_delay_s: from the recovery until every client has had a call succeed. in_flight_drain_s: until the last call started during the outage has finished. budget_refill_s: until the shared budget is full again (first-attempt successes refund 1 token each).",
      "storm_attempt_reduction_per_client_budget: the same storm with one 500-token budget per client, as if each client were its own process: the budget is per process, so it protects a dependency from a process that makes many calls, not from many processes making few."
    ]
  })
  console.log(`\nWrote bench-results/${written.name}.json`)
}

await main()
