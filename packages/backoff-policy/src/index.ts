/**
 * @mws-kit/backoff-policy: the documented MWS retry timeline as Effect
 * schedules, class-aware waits, jitter, a process-wide retry budget and a
 * final failure that lists every attempt.
 *
 * @since 0.1.0
 */

/** @since 0.1.0 */
export * as Classifier from "./Classifier.ts"

/** @since 0.1.0 */
export * as CurrentAttempt from "./CurrentAttempt.ts"

/** @since 0.1.0 */
export * as Jitter from "./Jitter.ts"

/** @since 0.1.0 */
export * as RetryBudget from "./RetryBudget.ts"

/** @since 0.1.0 */
export * as RetryDecision from "./RetryDecision.ts"

/** @since 0.1.0 */
export * as RetryGaveUp from "./RetryGaveUp.ts"

/** @since 0.1.0 */
export * as RetryPolicy from "./RetryPolicy.ts"

/** @since 0.1.0 */
export * as Timeline from "./Timeline.ts"
