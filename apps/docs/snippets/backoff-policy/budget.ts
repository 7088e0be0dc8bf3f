// #region budget
import { RetryBudget, RetryPolicy } from "@mws-kit/backoff-policy"
import { MwsError } from "@mws-kit/error-codes"
import { Effect } from "effect"

let attempt = 0
/** A dependency in the middle of an outage. */
const listOrders: Effect.Effect<string, MwsError.MwsError> = Effect.suspend(() =>
  Effect.fail(MwsError.make({ code: "InternalError", httpStatus: 500, requestId: `outage-${++attempt}` }))
)

// A budget of 10 tokens pays for two retries at 5 tokens each; the third retry is refused.
const small = RetryBudget.RetryBudget.layer({ capacity: 10 })

export const program = Effect.gen(function* () {
  const gaveUp = yield* listOrders.pipe(RetryPolicy.retry(), Effect.flip)
  const tokensLeft = yield* RetryBudget.available
  return { gaveUp, tokensLeft } // gaveUp.reason "budget-empty" after 3 attempts; tokensLeft 0
}).pipe(Effect.provide(small))
// #endregion budget
