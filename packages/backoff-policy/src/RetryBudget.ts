/**
 * The retry budget: a token bucket shared by every call in a process, so
 * that a full outage cannot turn into a retry storm. Each retry takes
 * tokens; when the bucket is empty calls stop retrying and fail at once;
 * successes put tokens back. The algorithm and its defaults are the AWS SDK
 * "standard" retry mode's retry quota.
 *
 * @since 0.1.0
 */
import { Context, Effect, Layer } from "effect"

/**
 * Tokens in a full bucket. AWS SDK standard retry mode:
 * `INITIAL_RETRY_TOKENS = 500` (smithy-lang/smithy-typescript,
 * `packages/core/src/submodules/retry/util-retry/constants.ts` @ 6815d3e9).
 * 500 tokens pay for 100 retries at {@link RETRY_COST}.
 *
 * @category constants
 * @since 0.1.0
 */
export const INITIAL_RETRY_TOKENS = 500

/**
 * Tokens a retry takes. AWS SDK standard retry mode: `RETRY_COST = 5`
 * (same file).
 *
 * @category constants
 * @since 0.1.0
 */
export const RETRY_COST = 5

/**
 * Tokens a retry after a timeout or another transport failure takes. AWS
 * SDK standard retry mode: `TIMEOUT_RETRY_COST = 10` (same file; smithy
 * charges it for its TRANSIENT class: timeouts, resets, network errors).
 *
 * @category constants
 * @since 0.1.0
 */
export const TIMEOUT_RETRY_COST = 10

/**
 * Tokens a call that succeeds at its first attempt puts back. AWS SDK
 * standard retry mode: `NO_RETRY_INCREMENT = 1` (same file). A call that
 * succeeds after retries puts back the cost of its last retry instead
 * (`StandardRetryStrategy.recordSuccess`: `min(500, capacity + (retryCost ?? 1))`).
 *
 * @category constants
 * @since 0.1.0
 */
export const NO_RETRY_INCREMENT = 1

/**
 * A retry budget. Every method is synchronous and safe to share between
 * fibers (JavaScript runs one fiber at a time).
 *
 * @category models
 * @since 0.1.0
 */
export interface Budget {
  /** Tokens in a full bucket. */
  readonly capacity: number
  /** Tokens a retry takes. */
  readonly retryCost: number
  /** Tokens a retry after a transport failure takes. */
  readonly timeoutCost: number
  /** Tokens a first-attempt success puts back. */
  readonly successIncrement: number
  /** Tokens in the bucket now. */
  available(): number
  /** Takes `cost` tokens if the bucket holds that many; says whether it did. */
  tryAcquire(cost: number): boolean
  /** Puts `amount` tokens back, up to the capacity. */
  release(amount: number): void
  /** Retries refused since the bucket was made. */
  refused(): number
}

/**
 * Options of a budget; each defaults to the AWS standard-mode constant.
 *
 * @category models
 * @since 0.1.0
 */
export interface Options {
  readonly capacity?: number | undefined
  readonly retryCost?: number | undefined
  readonly timeoutCost?: number | undefined
  readonly successIncrement?: number | undefined
}

const nonNegative = (value: number, name: string): number => {
  if (!(value >= 0) || !Number.isFinite(value)) throw new Error(`RetryBudget ${name} must be a finite number >= 0`)
  return value
}

/**
 * Makes a full budget, outside Effect. Throws on a negative or infinite
 * option.
 *
 * @example
 * ```ts
 * import { RetryBudget } from "@mws-kit/backoff-policy"
 *
 * const budget = RetryBudget.makeUnsafe({ capacity: 20 })
 * budget.tryAcquire(RetryBudget.RETRY_COST) // true
 * budget.available()                        // 15
 * ```
 *
 * @category constructors
 * @since 0.1.0
 */
export const makeUnsafe = (options: Options = {}): Budget => {
  const capacity = nonNegative(options.capacity ?? INITIAL_RETRY_TOKENS, "capacity")
  let tokens = capacity
  let refused = 0
  return {
    capacity,
    retryCost: nonNegative(options.retryCost ?? RETRY_COST, "retryCost"),
    timeoutCost: nonNegative(options.timeoutCost ?? TIMEOUT_RETRY_COST, "timeoutCost"),
    successIncrement: nonNegative(options.successIncrement ?? NO_RETRY_INCREMENT, "successIncrement"),
    available: () => tokens,
    tryAcquire: (cost) => {
      if (tokens < cost) {
        refused++
        return false
      }
      tokens -= cost
      return true
    },
    release: (amount) => {
      tokens = Math.min(capacity, tokens + amount)
    },
    refused: () => refused
  }
}

/**
 * Makes a full budget.
 *
 * @category constructors
 * @since 0.1.0
 */
export const make = (options: Options = {}): Effect.Effect<Budget> => Effect.sync(() => makeUnsafe(options))

/**
 * A budget that never refuses a retry: for tests, or to switch the budget
 * off on purpose.
 *
 * @category constructors
 * @since 0.1.0
 */
export const unlimited: Budget = {
  capacity: Number.POSITIVE_INFINITY,
  retryCost: 0,
  timeoutCost: 0,
  successIncrement: 0,
  available: () => Number.POSITIVE_INFINITY,
  tryAcquire: () => true,
  release: () => {},
  refused: () => 0
}

/**
 * The budget retries draw from. Unless a layer provides another, every call
 * in the process shares one bucket with the AWS defaults, made on first use.
 * Quotas in MWS are shared by every process of a seller and developer
 * account; this budget is per process, which is what stops one process from
 * storming.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { RetryBudget } from "@mws-kit/backoff-policy"
 *
 * declare const program: Effect.Effect<void>
 *
 * // a smaller budget for one part of an application
 * const scoped = program.pipe(Effect.provide(RetryBudget.RetryBudget.layer({ capacity: 50 })))
 * ```
 *
 * @category services
 * @since 0.1.0
 */
export class RetryBudget extends Context.Reference<Budget>("@mws-kit/backoff-policy/RetryBudget", {
  defaultValue: () => makeUnsafe()
}) {
  /** A layer with a fresh budget of its own. */
  static readonly layer = (options: Options = {}): Layer.Layer<never> =>
    Layer.sync(RetryBudget, () => makeUnsafe(options))
}

/**
 * The tokens left in the current budget (the process-wide one unless a layer
 * provides another).
 *
 * @category getters
 * @since 0.1.0
 */
export const available: Effect.Effect<number> = RetryBudget.useSync((budget) => budget.available())
