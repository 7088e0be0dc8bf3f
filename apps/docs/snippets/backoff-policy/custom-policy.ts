// #region policies
import { RetryPolicy } from "@mws-kit/backoff-policy"
import { MwsError } from "@mws-kit/error-codes"
import { Effect } from "effect"

/** A SubmitFeed whose first attempt answers 500 InternalError: the feed may have been processed. */
const submitFeed: Effect.Effect<string, MwsError.MwsError> = Effect.fail(
  MwsError.make({ code: "InternalError", httpStatus: 500, requestId: "feed-1", operation: "SubmitFeed" })
)

// SubmitFeed changes state: no retry after a 500 or a timeout, which may have been processed.
// A throttled SubmitFeed waits its restore interval: one request every 2 minutes.
export const submitPolicy = RetryPolicy.make({
  idempotent: false,
  operation: "SubmitFeed",
  throttledRestoreInterval: "2 minutes"
})
export const submitted = submitFeed.pipe(RetryPolicy.retry(submitPolicy))
// fails at once with the InternalError itself: not retried, not wrapped

// Faster, jittered backoff, no immediate retry, at most a minute in all.
export const fastPolicy = RetryPolicy.make({
  delays: ["500 millis", "2 seconds", "5 seconds"],
  immediateRetry: false,
  jitter: "full",
  maxElapsed: "1 minute"
})
// #endregion policies
