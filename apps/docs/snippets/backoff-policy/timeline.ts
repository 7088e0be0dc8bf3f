// #region timeline
import { RetryBudget, RetryPolicy } from "@mws-kit/backoff-policy"
import { MwsError } from "@mws-kit/error-codes"
import { Clock, Effect } from "effect"

/** When each attempt was made, on Effect's clock (milliseconds since the first). */
export const attemptTimes: Array<number> = []

/** A GetOrder that always answers 500 InternalError, each time with a fresh RequestId. */
const getOrder: Effect.Effect<string, MwsError.MwsError> = Effect.flatMap(Clock.currentTimeMillis, (now) => {
  attemptTimes.push(now)
  return Effect.fail(
    MwsError.make({
      code: "InternalError",
      httpStatus: 500,
      requestId: `req-${attemptTimes.length}`,
      requestTimestamp: new Date(now).toISOString(),
      operation: "GetOrder"
    })
  )
})

export const program = getOrder.pipe(
  // The documented timeline: at once, then 1 s, 4 s, 10 s and 30 s after the previous failure.
  RetryPolicy.retry({ budget: RetryBudget.makeUnsafe() }), // a budget of its own, so nothing else shares it
  Effect.catchTag("RetryGaveUp", (gaveUp) =>
    Effect.succeed({
      reason: gaveUp.reason, // "exhausted"
      attempts: gaveUp.attempts.length, // 6
      waits: gaveUp.attempts.map((a) => a.delayBeforeMs), // [0, 0, 1000, 4000, 10000, 30000]
      requestIds: gaveUp.attempts.map((a) => a.requestId), // one per attempt, for support
      manualFollowUp: gaveUp.manualFollowUp, // true
      printed: String(gaveUp) // "Gave up after 6 attempts (exhausted), manual follow-up needed: #1 InternalError ..."
    })
  )
)
// #endregion timeline
