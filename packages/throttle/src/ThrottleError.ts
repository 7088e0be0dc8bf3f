/**
 * The typed errors of the throttle: a wait longer than allowed, an operation
 * the quota catalog does not know, a request that can never fit its bucket,
 * and a shared store (Redis) that cannot be reached. None of them carries a
 * credential: they name the section, the operation and the bucket, never the
 * seller's keys or tokens.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"

/**
 * What made a request wait: the restore rate of its bucket, or its hourly
 * quota (including a `QuotaExceeded` the caller reported).
 *
 * @category models
 * @since 0.1.0
 */
export const LimitedBy = Schema.Literals(["restore", "hourly"])

/**
 * What made a request wait.
 *
 * @category models
 * @since 0.1.0
 */
export type LimitedBy = typeof LimitedBy.Type

/**
 * The bucket would let the request through only after the caller's
 * `maxWait`. Raised at once when that is already clear (the bucket's state
 * and the requests queued ahead say so), or when the limit is reached while
 * waiting; the request consumed nothing.
 *
 * `allowedAt` is the earliest instant (ISO 8601, UTC) the request would have
 * been allowed, as far as this process knows; `waitMs` is the wait that was
 * refused.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Throttle } from "@mws-kit/throttle"
 *
 * const program = Effect.gen(function*() {
 *   const throttle = yield* Throttle.Throttle
 *   yield* throttle.acquire({ sellerId: "A1SELLER", section: "Feeds", operation: "SubmitFeed", maxWait: "1 second" })
 * }).pipe(
 *   Effect.catchTag("ThrottleWaitTooLong", (error) => Effect.logInfo(`try again at ${error.allowedAt}`))
 * )
 * ```
 *
 * @category errors
 * @since 0.1.0
 */
export class ThrottleWaitTooLong extends Schema.TaggedError<ThrottleWaitTooLong>()("ThrottleWaitTooLong", {
  section: Schema.String,
  operation: Schema.String,
  bucket: Schema.String,
  allowedAt: Schema.String,
  waitMs: Schema.Finite,
  maxWaitMs: Schema.Finite,
  limitedBy: LimitedBy
}) {
  override get message(): string {
    return `${this.section}/${this.operation} would wait ${Math.ceil(this.waitMs)} ms (${this.limitedBy} limit of bucket ${this.bucket}), more than the allowed ${this.maxWaitMs} ms: allowed at ${this.allowedAt}`
  }
}

/**
 * The quota catalog has no entry for the operation, and the throttle was not
 * given a `defaultQuota` for unknown operations. Pacing an operation with a
 * guessed quota could throttle it or waste its quota, so the throttle refuses
 * to guess unless told how.
 *
 * @category errors
 * @since 0.1.0
 */
export class UnknownOperation extends Schema.TaggedError<UnknownOperation>()("UnknownOperation", {
  section: Schema.String,
  operation: Schema.String
}) {
  override get message(): string {
    return `No quota is known for ${this.section}/${this.operation}: add it to the catalog (QuotaCatalog.extend) or set defaultQuota`
  }
}

/**
 * The request can never be allowed as asked: its item count is not a
 * positive integer, or it needs more items than the bucket can ever hold
 * (split the batch).
 *
 * @category errors
 * @since 0.1.0
 */
export class InvalidThrottleRequest extends Schema.TaggedError<InvalidThrottleRequest>()("InvalidThrottleRequest", {
  section: Schema.String,
  operation: Schema.String,
  items: Schema.Finite,
  maxQuota: Schema.Finite,
  reason: Schema.String
}) {
  override get message(): string {
    return `${this.section}/${this.operation}: ${this.reason}`
  }
}

/**
 * The shared store (Redis) did not answer: refused, closed, or slower than
 * the store's timeout. The throttle fails instead of pacing locally, because
 * a fleet that falls back to per-process buckets multiplies its rate by the
 * number of processes (see the README, "When Redis is down").
 *
 * `action` is what was asked (`take`, `estimate`, `drain`, `observe`,
 * `exhaust`, `inspect`, or `connect` when `RedisConnection.layer` could not
 * connect); `key` is the bucket it was asked about (seller, developer
 * account and bucket; none of them a secret), absent for `connect`;
 * `detail` is the driver's message with any credentials removed.
 *
 * @category errors
 * @since 0.1.0
 */
export class ThrottleStoreUnavailable extends Schema.TaggedError<ThrottleStoreUnavailable>()(
  "ThrottleStoreUnavailable",
  {
    store: Schema.String,
    action: Schema.String,
    /** @since 0.2.0 */
    key: Schema.optional(Schema.String),
    detail: Schema.String
  }
) {
  override get message(): string {
    const what = this.key === undefined ? this.action : `${this.action} ${this.key}`
    return `The ${this.store} throttle store is unavailable (${what}): ${this.detail}`
  }
}

/**
 * Every error the throttle can fail with.
 *
 * @category models
 * @since 0.1.0
 */
export type ThrottleError = ThrottleWaitTooLong | UnknownOperation | InvalidThrottleRequest | ThrottleStoreUnavailable
