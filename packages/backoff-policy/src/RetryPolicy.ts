/**
 * The retry combinator: the documented MWS timeline for transient errors,
 * class-aware waits for throttling, quotas and corrupted downloads, care
 * for non-idempotent operations, jitter, an elapsed-time limit and the
 * process-wide retry budget; a final failure that lists every attempt; and
 * every decision observable.
 *
 * @since 0.1.0
 */
import { ErrorClass } from "@mws-kit/error-codes"
import { Clock, Duration, Effect, Random } from "effect"
import { dual } from "effect/Function"
import * as Classifier from "./Classifier.ts"
import * as CurrentAttempt from "./CurrentAttempt.ts"
import { type CallState, decide, isoOf, makeState, type ResolvedOptions } from "./internal/decide.ts"
import * as RetryBudget from "./RetryBudget.ts"
import * as RetryDecision from "./RetryDecision.ts"
import { RetryGaveUp, type RetryGaveUpWith } from "./RetryGaveUp.ts"
import * as Timeline from "./Timeline.ts"

/**
 * The wait before retrying a RequestThrottled when the caller gives no
 * restore interval for the operation: 2 minutes, the slowest restore rate of
 * any MWS operation except GetServiceStatus (SubmitFeed: one request every 2
 * minutes; MWS Throttling pages, mws-facts 1.3). By then every other
 * operation's bucket has restored at least one request. Pass the operation's
 * real interval (from `@mws-kit/throttle`'s catalog, say) to wait less.
 *
 * @category constants
 * @since 0.1.0
 */
export const THROTTLED_RESTORE_FALLBACK: Duration.Duration = Duration.minutes(2)

/**
 * Retries after RequestThrottled: 4, the number of backoff retries the
 * documented timeline allows after its immediate retry ("up to four
 * retries", DG_Errors). Each waits a full restore interval, so a call that is
 * still throttled after four restores is competing with another process for
 * the same bucket and should be paced, not retried.
 *
 * @category constants
 * @since 0.1.0
 */
export const MAX_THROTTLED_RETRIES = 4

/**
 * The longest wait for an hourly quota reset before failing at once with the
 * reset time: 5 minutes. The hourly window starts at a different minute for
 * each caller (DG_Throttling), so a reset is anywhere up to an hour away;
 * waiting is worth it only when it is close, and a caller blocked longer
 * should reschedule the work at the reset time the error carries.
 *
 * @category constants
 * @since 0.1.0
 */
export const QUOTA_WAIT_LIMIT: Duration.Duration = Duration.minutes(5)

/**
 * The reset wait assumed for a QuotaExceeded that carries no reset time (no
 * `x-mws-quota-resetsOn`, no parsable message): 1 hour, the length of the
 * hourly quota window (DG_Throttling), so the true reset is never later.
 * Under the default {@link QUOTA_WAIT_LIMIT} such an error fails at once.
 *
 * @category constants
 * @since 0.1.0
 */
export const QUOTA_RESET_FALLBACK: Duration.Duration = Duration.hours(1)

/**
 * Waits for a quota reset per call: 1. After a reset the hour's quota is
 * full again; a second QuotaExceeded right after it means other processes
 * of the same account spent it, and waiting another hour is a scheduling
 * decision, not a retry.
 *
 * @category constants
 * @since 0.1.0
 */
export const MAX_QUOTA_WAITS = 1

/**
 * The cap on a server hint (Retry-After, reset time) for transient and
 * throttled errors: 1 minute. A hint can lengthen a wait up to this cap,
 * never shorten it. Same cap as the Effect cookbook's "respect a provider
 * Retry-After" recipe (capped at 1 minute); the AI SDK also ignores
 * Retry-After values of a minute or more.
 *
 * @category constants
 * @since 0.1.0
 */
export const MAX_HINT_WAIT: Duration.Duration = Duration.minutes(1)

/**
 * Further attempts after a corrupted download (Content-MD5 mismatch): 3.
 * MWS guide, Content-MD5 (DG_MD5): "discard the result and automatically
 * retry the request for up to three more times". They follow the timeline's
 * first delays (at once, 1s, 4s).
 *
 * @category constants
 * @since 0.1.0
 */
export const INTEGRITY_RETRIES = 3

/**
 * Options of a policy; every one has a default.
 *
 * Transient errors (500, 503 ServiceUnavailable, transport failures):
 * - `delays`: waits before each retry (default the documented 0, 1s, 4s,
 *   10s, 30s); `immediateRetry: false` drops the leading 0;
 * - `jitter`: `"none"` (default), `"full"`, `"equal"`, `"decorrelated"`;
 * - `maxDelay`: cap applied after jitter (default 30s).
 *
 * Throttling and quotas:
 * - `throttledRestoreInterval`: the wait after RequestThrottled, a duration
 *   (a number is milliseconds) or a function of the operation name
 *   returning one or `undefined` (default {@link THROTTLED_RESTORE_FALLBACK});
 * - `throttledRetries` (default {@link MAX_THROTTLED_RETRIES});
 * - `quotaWaitLimit` (default {@link QUOTA_WAIT_LIMIT}), `quotaWaits`
 *   (default {@link MAX_QUOTA_WAITS}), `quotaResetFallback` (default
 *   {@link QUOTA_RESET_FALLBACK});
 * - `maxHintWait`: cap on a server hint (default {@link MAX_HINT_WAIT}).
 *
 * Other classes:
 * - `integrityRetries` (default {@link INTEGRITY_RETRIES});
 * - `notReadyDelays`: waits before asking again after a not-ready answer
 *   (default none: a not-ready answer is returned to the caller, whose
 *   polling loop decides when to ask again).
 *
 * The call:
 * - `classify`: turns an error into the policy's view (default
 *   `Classifier.mws`: MWS errors by their fields, anything else unknown);
 * - `idempotent` (default `true`): `false` for state-changing operations
 *   (SubmitFeed, ...); they are not retried after an ambiguous failure
 *   unless `retryAmbiguous` is `true`;
 * - `operation`: the operation name, when the classifier does not say;
 * - `maxElapsed`: no retry whose wait would end past this much time since
 *   the call started (default none);
 * - `budget`: the retry budget (default the `RetryBudget` service: one
 *   bucket per process), or `"none"` for no budget;
 * - `onDecision`: an effect run for every decision, given the decision and
 *   the failed attempt it is about (its error, the policy's classification
 *   of it, how it ends: `RetryDecision.DecidedAttempt`). A ledger subscribes
 *   here; {@link withOnDecision} gives a made policy another callback.
 *
 * @category models
 * @since 0.1.0
 */
export interface Options<E = unknown> extends Timeline.Options {
  readonly classify?: Classifier.Classifier<E> | undefined
  readonly throttledRestoreInterval?:
    | Duration.Input
    | ((operation: string | undefined) => Duration.Input | undefined)
    | undefined
  readonly throttledRetries?: number | undefined
  readonly quotaWaitLimit?: Duration.Input | undefined
  readonly quotaWaits?: number | undefined
  readonly quotaResetFallback?: Duration.Input | undefined
  readonly maxHintWait?: Duration.Input | undefined
  readonly integrityRetries?: number | undefined
  readonly notReadyDelays?: ReadonlyArray<Duration.Input> | undefined
  readonly idempotent?: boolean | undefined
  readonly retryAmbiguous?: boolean | undefined
  readonly operation?: string | undefined
  readonly maxElapsed?: Duration.Input | undefined
  readonly budget?: RetryBudget.Budget | "none" | undefined
  readonly onDecision?: OnDecision<E> | undefined
}

/**
 * The decision callback: the decision, and the failed attempt it is about.
 *
 * @category models
 * @since 0.2.0
 */
export type OnDecision<E = unknown> = (
  decision: RetryDecision.RetryDecision,
  attempt: RetryDecision.DecidedAttempt<E>
) => Effect.Effect<void>

const TypeId = "~@mws-kit/backoff-policy/RetryPolicy" as const

/**
 * A policy with its options resolved, ready to retry many calls.
 *
 * @category models
 * @since 0.1.0
 */
export interface RetryPolicy<E = unknown> {
  readonly [TypeId]: typeof TypeId
  readonly options: Options<E>
  readonly classify: Classifier.Classifier<E>
  /** @internal */
  readonly resolved: ResolvedOptions
  readonly budget: RetryBudget.Budget | "none" | undefined
  readonly operation: string | undefined
  readonly onDecision: OnDecision<E> | undefined
}

/**
 * Whether a value is a {@link RetryPolicy}.
 *
 * @category guards
 * @since 0.1.0
 */
export const isRetryPolicy = (u: unknown): u is RetryPolicy<never> => typeof u === "object" && u !== null && TypeId in u

const millis = (input: Duration.Input, name: string): number => {
  const ms = Duration.toMillis(Duration.fromInputUnsafe(input))
  if (!(ms >= 0)) throw new Error(`RetryPolicy ${name} must be a non-negative duration`)
  return ms
}

const count = (value: number, name: string): number => {
  if (!Number.isInteger(value) || value < 0) throw new Error(`RetryPolicy ${name} must be an integer >= 0`)
  return value
}

const restoreResolver = (
  option: Options["throttledRestoreInterval"],
  operation: string | undefined
): ((operation: string | undefined) => number) => {
  const fallback = Duration.toMillis(THROTTLED_RESTORE_FALLBACK)
  const positiveOr = (ms: number | undefined): number => (ms !== undefined && ms > 0 ? ms : fallback)
  if (option === undefined) return () => fallback
  if (typeof option === "function") {
    return (op) => {
      const value = option(op ?? operation)
      return positiveOr(value === undefined ? undefined : millis(value, "throttledRestoreInterval"))
    }
  }
  const fixed = positiveOr(millis(option, "throttledRestoreInterval"))
  return () => fixed
}

/**
 * Resolves options into a policy. Throws an `Error` naming the option on a
 * negative duration or count. Resolving once and reusing the policy is
 * cheaper than passing options to every {@link retry}.
 *
 * @example
 * ```ts
 * import { RetryPolicy } from "@mws-kit/backoff-policy"
 *
 * const submitFeed = RetryPolicy.make({ idempotent: false, operation: "SubmitFeed" })
 * const orders = RetryPolicy.make({ throttledRestoreInterval: "1 minute", jitter: "full" })
 * ```
 *
 * @category constructors
 * @since 0.1.0
 */
export const make = <E = unknown>(options: Options<E> = {}): RetryPolicy<E> => {
  const resolved: ResolvedOptions = {
    timeline: Timeline.make(options),
    restoreMs: restoreResolver(options.throttledRestoreInterval, options.operation),
    throttledRetries: count(options.throttledRetries ?? MAX_THROTTLED_RETRIES, "throttledRetries"),
    quotaWaitLimitMs: millis(options.quotaWaitLimit ?? QUOTA_WAIT_LIMIT, "quotaWaitLimit"),
    quotaWaits: count(options.quotaWaits ?? MAX_QUOTA_WAITS, "quotaWaits"),
    quotaResetFallbackMs: millis(options.quotaResetFallback ?? QUOTA_RESET_FALLBACK, "quotaResetFallback"),
    maxHintWaitMs: millis(options.maxHintWait ?? MAX_HINT_WAIT, "maxHintWait"),
    integrityRetries: count(options.integrityRetries ?? INTEGRITY_RETRIES, "integrityRetries"),
    notReadyDelaysMs: (options.notReadyDelays ?? []).map((d, i) => millis(d, `notReadyDelays[${i}]`)),
    idempotent: options.idempotent ?? true,
    retryAmbiguous: options.retryAmbiguous ?? false,
    maxElapsedMs: options.maxElapsed === undefined ? Number.POSITIVE_INFINITY : millis(options.maxElapsed, "maxElapsed")
  }
  return {
    [TypeId]: TypeId,
    options,
    classify: options.classify ?? (Classifier.mws as Classifier.Classifier<E>),
    resolved,
    budget: options.budget,
    operation: options.operation,
    onDecision: options.onDecision
  }
}

/**
 * The default policy: the documented timeline for MWS errors, no jitter,
 * the process-wide budget.
 *
 * @category constructors
 * @since 0.1.0
 */
export const documented: RetryPolicy<unknown> = make()

/**
 * The same policy (its resolved options shared, nothing recomputed) with
 * another decision callback: for a caller that makes a policy once and
 * needs each call's decisions on that call's own state (a client recording
 * each attempt of a call in its ledger).
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { RetryPolicy } from "@mws-kit/backoff-policy"
 *
 * const policy = RetryPolicy.make({ operation: "ListOrders" })
 * const forThisCall = RetryPolicy.withOnDecision(policy, (decision, attempt) =>
 *   Effect.log(`attempt ${decision.attempt}: ${attempt.ending} (${attempt.classification.errorClass})`)
 * )
 * ```
 *
 * @category combinators
 * @since 0.2.0
 */
export const withOnDecision = <E>(policy: RetryPolicy<E>, onDecision: OnDecision<E>): RetryPolicy<E> => ({
  ...policy,
  onDecision
})

const observe = <E>(
  policy: RetryPolicy<E>,
  decision: RetryDecision.RetryDecision,
  attempt: RetryDecision.DecidedAttempt<E>
): Effect.Effect<void> => {
  const attributes = RetryDecision.spanAttributes(decision)
  const log = Effect.logDebug(RetryDecision.format(decision)).pipe(Effect.annotateLogs(attributes))
  const span = Effect.flatMap(Effect.currentSpan, (span) =>
    Effect.flatMap(Clock.currentTimeNanos, (nanos) =>
      Effect.sync(() => {
        for (const key in attributes) span.attribute(key, attributes[key])
        span.event("retry.decision", nanos, attributes)
      })
    )
  ).pipe(Effect.ignore)
  const all = Effect.andThen(log, span)
  return policy.onDecision === undefined ? all : Effect.andThen(all, policy.onDecision(decision, attempt))
}

const decisionOf = (
  state: CallState,
  view: Classifier.Classification,
  fields: {
    readonly action: "retry" | "stop"
    readonly reason: RetryDecision.RetryDecision["reason"]
    readonly delayMs: number
    readonly hinted: boolean
    readonly elapsedMs: number
    readonly budgetTokens: number | undefined
  },
  operation: string | undefined
): RetryDecision.RetryDecision => {
  const decision: {
    -readonly [K in keyof RetryDecision.RetryDecision]: RetryDecision.RetryDecision[K]
  } = {
    attempt: state.attempt,
    action: fields.action,
    reason: fields.reason,
    delayMs: fields.delayMs,
    hinted: fields.hinted,
    elapsedMs: fields.elapsedMs,
    errorClass: view.errorClass
  }
  if (fields.budgetTokens !== undefined && Number.isFinite(fields.budgetTokens)) {
    decision.budgetTokens = fields.budgetTokens
  }
  if (view.code !== undefined) decision.code = view.code
  if (view.requestId !== undefined) decision.requestId = view.requestId
  if (view.timestamp !== undefined) decision.timestamp = view.timestamp
  if (view.httpStatus !== undefined) decision.httpStatus = view.httpStatus
  const op = view.operation ?? operation
  if (op !== undefined) decision.operation = op
  return decision
}

const record = (state: CallState, view: Classifier.Classification, now: number): void => {
  const entry: { -readonly [K in keyof RetryGaveUp["attempts"][number]]: RetryGaveUp["attempts"][number][K] } = {
    attempt: state.attempt,
    delayBeforeMs: state.delayBeforeMs,
    failedAt: isoOf(now),
    errorClass: view.errorClass
  }
  if (view.code !== undefined) entry.code = view.code
  if (view.requestId !== undefined) entry.requestId = view.requestId
  if (view.timestamp !== undefined) entry.timestamp = view.timestamp
  if (view.httpStatus !== undefined) entry.httpStatus = view.httpStatus
  state.attempts.push(entry)
}

const isString = (u: unknown): u is string => typeof u === "string"

/** The classifier's view, with anything malformed dropped: a throwing or sloppy classifier never breaks a call. */
const classifySafely = <E>(policy: RetryPolicy<E>, error: E): Classifier.Classification => {
  let view: Classifier.Classification
  try {
    view = policy.classify(error)
  } catch {
    return Classifier.unknown
  }
  if (typeof view !== "object" || view === null) return Classifier.unknown
  return {
    errorClass: ErrorClass.all.includes(view.errorClass) ? view.errorClass : "unknown",
    ambiguous: view.ambiguous === true,
    transport: view.transport === true,
    retryHint: typeof view.retryHint === "object" && view.retryHint !== null ? view.retryHint : undefined,
    code: isString(view.code) ? view.code : undefined,
    requestId: isString(view.requestId) ? view.requestId : undefined,
    timestamp: isString(view.timestamp) ? view.timestamp : undefined,
    httpStatus: Number.isInteger(view.httpStatus) ? view.httpStatus : undefined,
    operation: isString(view.operation) ? view.operation : undefined
  }
}

/**
 * Retries an effect with a policy (or options for one; none gives
 * {@link documented}).
 *
 * After each failed attempt the classifier says what the error is, and:
 * - transient: the timeline (at once, then 1s, 4s, 10s, 30s), jittered if
 *   asked, a server hint honoured up to `maxHintWait`;
 * - throttled: never at once; the operation's restore interval (or the
 *   hint, if longer, capped), up to `throttledRetries` times;
 * - quota-exceeded: once, until the reset time when it is within
 *   `quotaWaitLimit`; otherwise a {@link RetryGaveUp} at once, with the reset
 *   time;
 * - integrity (a corrupted download): up to `integrityRetries` more attempts;
 * - not-ready: only with `notReadyDelays`;
 * - client, auth, unknown: not retried.
 *
 * An ambiguous failure of a non-idempotent call is not retried (unless
 * `retryAmbiguous`). A retry that the budget refuses, or whose wait would
 * pass `maxElapsed`, is not made.
 *
 * An error that is not retried at its first attempt fails the call
 * unchanged. Once the call has been retried, giving up fails it with a
 * {@link RetryGaveUp} listing every attempt, marked for manual follow-up and
 * logged once as a warning. Defects and interruptions are never retried.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import type { MwsError } from "@mws-kit/error-codes"
 * import { RetryPolicy } from "@mws-kit/backoff-policy"
 *
 * declare const listOrders: Effect.Effect<string, MwsError.MwsError>
 *
 * // the documented timeline
 * const orders = listOrders.pipe(RetryPolicy.retry())
 *
 * // a throttled ListOrders waits a minute, its restore interval
 * const paced = listOrders.pipe(RetryPolicy.retry({ throttledRestoreInterval: "1 minute", jitter: "full" }))
 * ```
 *
 * @category combinators
 * @since 0.1.0
 */
export const retry: {
  <E = unknown>(
    policy?: RetryPolicy<E> | Options<E>
  ): <A, E2 extends E, R>(self: Effect.Effect<A, E2, R>) => Effect.Effect<A, E2 | RetryGaveUpWith<E2>, R>
  <A, E, R>(
    self: Effect.Effect<A, E, R>,
    policy?: RetryPolicy<E> | Options<E>
  ): Effect.Effect<A, E | RetryGaveUpWith<E>, R>
} = dual(
  (args) => Effect.isEffect(args[0]),
  <A, E, R>(
    self: Effect.Effect<A, E, R>,
    policyOrOptions?: RetryPolicy<E> | Options<E>
  ): Effect.Effect<A, E | RetryGaveUpWith<E>, R> => {
    const policy: RetryPolicy<E> =
      policyOrOptions === undefined
        ? (documented as RetryPolicy<E>)
        : isRetryPolicy(policyOrOptions)
          ? (policyOrOptions as RetryPolicy<E>)
          : make(policyOrOptions as Options<E>)
    return Effect.withFiber((fiber) => {
      const clock = fiber.getRef(Clock.Clock)
      const budget =
        policy.budget === "none" ? RetryBudget.unlimited : (policy.budget ?? fiber.getRef(RetryBudget.RetryBudget))
      const state = makeState(clock.currentTimeMillisUnsafe())
      const random = fiber.getRef(Random.Random)
      const nextRandom = () => random.nextDoubleUnsafe()

      const onSuccess = (value: A): Effect.Effect<A> => {
        budget.release(state.lastCost > 0 ? state.lastCost : budget.successIncrement)
        return Effect.succeed(value)
      }

      const onFailure = (error: E): Effect.Effect<A, E | RetryGaveUpWith<E>, R> => {
        const now = clock.currentTimeMillisUnsafe()
        const view = classifySafely(policy, error)
        record(state, view, now)
        const verdict = decide(policy.resolved, state, view, now, nextRandom, budget)
        const elapsedMs = now - state.startedAt
        const budgetTokens = budget === RetryBudget.unlimited ? undefined : budget.available()
        if (verdict.action === "retry") {
          const decision = decisionOf(state, view, { ...verdict, elapsedMs, budgetTokens }, policy.operation)
          state.attempt++
          state.delayBeforeMs = verdict.delayMs
          const observed = observe(policy, decision, { error, classification: view, ending: "retried" })
          const wait = verdict.delayMs > 0 ? Effect.andThen(observed, Effect.sleep(verdict.delayMs)) : observed
          return Effect.andThen(wait, loop())
        }
        const decision = decisionOf(
          state,
          view,
          { action: "stop", reason: verdict.reason, delayMs: 0, hinted: false, elapsedMs, budgetTokens },
          policy.operation
        )
        const passThrough =
          state.attempt === 1 && (verdict.reason === "not-retryable" || verdict.reason === "ambiguous")
        if (passThrough) {
          return Effect.andThen(
            observe(policy, decision, { error, classification: view, ending: "failed" }),
            Effect.fail(error)
          )
        }
        const gaveUp = new RetryGaveUp({
          reason: verdict.reason,
          attempts: state.attempts.slice(),
          manualFollowUp: true,
          elapsedMs,
          ...(verdict.resetsAt === undefined ? {} : { resetsAt: verdict.resetsAt }),
          lastError: error
        }) as RetryGaveUpWith<E>
        const warn = Effect.logWarning(gaveUp.message).pipe(
          Effect.annotateLogs({
            "retry.reason": verdict.reason,
            "retry.attempts": state.attempts.length,
            "retry.manual_follow_up": true
          })
        )
        return Effect.andThen(
          observe(policy, decision, { error, classification: view, ending: "gave-up" }),
          Effect.andThen(warn, Effect.fail(gaveUp))
        )
      }

      // The first attempt needs no CurrentAttempt of its own unless an outer
      // retry provided one: skipping it keeps the success path cheap.
      const outerAttempt = fiber.getRef(CurrentAttempt.CurrentAttempt)
      const loop = (): Effect.Effect<A, E | RetryGaveUpWith<E>, R> =>
        Effect.matchEffect(
          state.attempt === 1 && outerAttempt === CurrentAttempt.first
            ? self
            : Effect.provideService(self, CurrentAttempt.CurrentAttempt, {
                attempt: state.attempt,
                delayBeforeMs: state.delayBeforeMs
              }),
          { onSuccess, onFailure }
        )

      return loop()
    })
  }
)
