/**
 * The retry timeline page's engine: runs `@mws-kit/backoff-policy`'s real
 * `RetryPolicy.retry` against an operation that always fails with the chosen
 * MWS error, under Effect's `TestClock`, and reports when each attempt
 * happened and why the policy stopped. Nothing here re-implements the policy:
 * the page shows what the package does. It runs in the browser and in tests.
 */
import { type Jitter, type RetryDecision, RetryPolicy } from "@mws-kit/backoff-policy"
import { ErrorCatalog, type ErrorClass, MwsCatalog, MwsError } from "@mws-kit/error-codes"
import * as MwsQuotas from "@mws-kit/throttle/MwsQuotas"
import * as QuotaCatalog from "@mws-kit/throttle/QuotaCatalog"
import { Clock, Effect, Fiber, Logger, Random } from "effect"
import { TestClock } from "effect/testing"

/**
 * How far the simulated clock runs: longer than any default wait (four
 * throttled retries of a one-hour restore interval fit), so every default
 * policy reaches its last attempt.
 */
export const SIMULATION_HORIZON_MS = 6 * 60 * 60 * 1000

/** The policy the reader picked: the documented defaults, or their own delays. */
export interface PolicyChoice {
  /** `undefined` for the documented delays (0, 1 s, 4 s, 10 s, 30 s). */
  readonly delaysMs?: ReadonlyArray<number> | undefined
  /** Keep (default) or drop the leading immediate retry. */
  readonly immediateRetry?: boolean | undefined
  readonly jitter?: Jitter.Jitter | undefined
  /** The seed of the jitter's random numbers, so a jittered timeline can be replayed. */
  readonly seed?: number | undefined
}

/** What to simulate. */
export interface TimelineRequest {
  /** The error code every attempt fails with (a code the catalog does not know is classified by `httpStatus`). */
  readonly code: string
  /** The HTTP status of the error; default the catalog's status for the code. */
  readonly httpStatus?: number | undefined
  /** The API section and operation called: the throttled wait is this operation's restore interval. */
  readonly section?: string | undefined
  readonly operation?: string | undefined
  /** For QuotaExceeded: how long after each failure the server says the hourly quota resets. */
  readonly quotaResetInMs?: number | undefined
  readonly policy?: PolicyChoice | undefined
}

/** One attempt on the timeline. */
export interface SimulatedAttempt {
  /** 1 for the first call. */
  readonly attempt: number
  /** When it failed, in milliseconds after the first failure. */
  readonly atMs: number
  /** The wait before it (0 for the first call). */
  readonly waitBeforeMs: number
  /** Why the policy made it (`undefined` for the first call). */
  readonly reason: RetryDecision.RetryReason | undefined
}

/** The whole timeline of one call. */
export interface Simulation {
  readonly code: string
  readonly errorClass: ErrorClass.ErrorClass
  readonly attempts: ReadonlyArray<SimulatedAttempt>
  /** Why the policy stopped retrying. */
  readonly stopReason: RetryDecision.StopReason
  /** Whether the call ended with a `RetryGaveUp` (it was retried) or the error itself (it was not). */
  readonly endedWith: "RetryGaveUp" | "MwsError"
  /** The restore interval used for a throttled error, in milliseconds. */
  readonly restoreIntervalMs: number | undefined
}

/** The restore interval of one request of an operation, from `@mws-kit/throttle`'s catalog. */
export const restoreIntervalMs = (section: string, operation: string): number | undefined => {
  const entry = QuotaCatalog.lookup(MwsQuotas.catalog, section, operation)
  return entry === undefined ? undefined : QuotaCatalog.unitIntervalMs(entry)
}

const isStopReason = (reason: RetryDecision.RetryDecision["reason"]): reason is RetryDecision.StopReason =>
  reason === "not-retryable" ||
  reason === "ambiguous" ||
  reason === "exhausted" ||
  reason === "budget-empty" ||
  reason === "elapsed-limit" ||
  reason === "quota-reset-too-far"

/** The policy options for a choice; the throttled wait comes from the quota catalog. */
const policyFor = (request: TimelineRequest, onDecision: (decision: RetryDecision.RetryDecision) => void) => {
  const choice = request.policy ?? {}
  const restore =
    request.section === undefined || request.operation === undefined
      ? undefined
      : restoreIntervalMs(request.section, request.operation)
  return {
    restore,
    policy: RetryPolicy.make({
      ...(choice.delaysMs === undefined ? {} : { delays: choice.delaysMs }),
      ...(choice.immediateRetry === undefined ? {} : { immediateRetry: choice.immediateRetry }),
      jitter: choice.jitter ?? "none",
      ...(restore === undefined ? {} : { throttledRestoreInterval: restore }),
      ...(request.operation === undefined ? {} : { operation: request.operation }),
      budget: "none",
      onDecision: (decision) => Effect.sync(() => onDecision(decision))
    })
  }
}

/** The error one attempt fails with, as the parser would build it from a response at `now`. */
const errorAt = (request: TimelineRequest, now: number, attempt: number): MwsError.MwsError => {
  const status = request.httpStatus ?? ErrorCatalog.lookup(MwsCatalog.catalog, request.code)?.httpStatus ?? undefined
  const resetsAt =
    request.quotaResetInMs === undefined ? undefined : new Date(now + request.quotaResetInMs).toISOString()
  return MwsError.make({
    code: request.code,
    requestId: `simulated-${attempt}`,
    requestTimestamp: new Date(now).toISOString(),
    ...(status === undefined || status === null ? {} : { httpStatus: status }),
    ...(request.section === undefined ? {} : { section: request.section }),
    ...(request.operation === undefined ? {} : { operation: request.operation }),
    ...(resetsAt === undefined ? {} : { retryHint: { resetsAt, source: "message" as const } })
  })
}

/**
 * The timeline of one call whose every attempt fails, as an Effect. It
 * brings its own `TestClock`, so it takes no real time.
 */
export const simulateEffect = (request: TimelineRequest): Effect.Effect<Simulation> => {
  const times: Array<number> = []
  const decisions: Array<RetryDecision.RetryDecision> = []
  const { policy, restore } = policyFor(request, (decision) => decisions.push(decision))
  const attempt = Effect.flatMap(Clock.currentTimeMillis, (now) => {
    times.push(now)
    return Effect.fail(errorAt(request, now, times.length))
  })
  return Effect.gen(function* () {
    const fiber = yield* attempt.pipe(RetryPolicy.retry(policy), Effect.flip, Effect.forkChild)
    yield* TestClock.adjust(SIMULATION_HORIZON_MS)
    const ended = yield* Fiber.join(fiber)
    const first = times[0] ?? 0
    const retries = decisions.filter((d) => d.action === "retry")
    const stop = decisions.find((d) => d.action === "stop")
    const stopReason = stop !== undefined && isStopReason(stop.reason) ? stop.reason : "exhausted"
    return {
      code: request.code,
      errorClass: errorAt(request, 0, 0).errorClass,
      attempts: times.map((time, index) => ({
        attempt: index + 1,
        atMs: time - first,
        waitBeforeMs: index === 0 ? 0 : time - (times[index - 1] ?? time),
        reason: index === 0 ? undefined : (retries[index - 1]?.reason as RetryDecision.RetryReason | undefined)
      })),
      stopReason,
      endedWith: MwsError.isMwsError(ended) ? "MwsError" : "RetryGaveUp",
      restoreIntervalMs: restore
    } satisfies Simulation
  }).pipe(
    Effect.provide(TestClock.layer()),
    Random.withSeed(request.policy?.seed ?? 1),
    // The policy logs its give-up as a warning; the page shows it instead.
    Effect.provideService(Logger.CurrentLoggers, new Set())
  )
}

/** {@link simulateEffect} as a promise, for the page. */
export const simulate = (request: TimelineRequest): Promise<Simulation> => Effect.runPromise(simulateEffect(request))
