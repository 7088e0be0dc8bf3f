/**
 * The client's retry policies: the documented timeline scaled to the
 * configuration's time scale, the client's classifier, and one policy per
 * operation, idempotency and restore interval, made once and reused (each
 * call gives its policy its own decision callback).
 *
 * @internal
 */
import { RetryPolicy, Timeline } from "@mws-kit/backoff-policy"
import { Duration } from "effect"
import { classify } from "./attemptClassifier.ts"

/**
 * The retry options for a time scale: the documented timeline and every
 * other wait run `timeScale` times faster (1: as documented). The throttled
 * restore interval comes from the quota catalog, through the throttle, and
 * is scaled there.
 *
 * @category constructors
 * @since 0.1.0
 */
export const scaledRetryOptions = (timeScale: number): RetryPolicy.Options => {
  if (timeScale === 1) return {}
  const scale = (d: Duration.Input) => Duration.millis(Duration.toMillis(Duration.fromInputUnsafe(d)) / timeScale)
  return {
    delays: Timeline.DOCUMENTED_DELAYS.map(scale),
    maxDelay: scale(Timeline.DEFAULT_MAX_DELAY),
    quotaWaitLimit: scale(RetryPolicy.QUOTA_WAIT_LIMIT),
    quotaResetFallback: scale(RetryPolicy.QUOTA_RESET_FALLBACK),
    maxHintWait: scale(RetryPolicy.MAX_HINT_WAIT)
  }
}

/** Retry policies kept per client (one per operation and idempotency): more operations than MWS has would be a bug. */
const MAX_CACHED_POLICIES = 512

/**
 * A client's policies, by operation, idempotency and the operation's
 * restore interval (for RequestThrottled), over the client's defaults.
 *
 * @internal
 */
export const makePolicies = (defaults: RetryPolicy.Options) => {
  const policies = new Map<string, RetryPolicy.RetryPolicy>()
  return (operation: string, idempotent: boolean, restoreMs: number): RetryPolicy.RetryPolicy => {
    const key = `${operation}\u0000${idempotent}\u0000${restoreMs}`
    let policy = policies.get(key)
    if (policy === undefined) {
      policy = RetryPolicy.make({
        ...defaults,
        classify,
        idempotent,
        operation,
        throttledRestoreInterval: restoreMs
      })
      if (policies.size < MAX_CACHED_POLICIES) policies.set(key, policy)
    }
    return policy
  }
}
