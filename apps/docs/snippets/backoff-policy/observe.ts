// #region observe
import { CurrentAttempt, RetryBudget, type RetryDecision, RetryPolicy } from "@mws-kit/backoff-policy"
import { MwsError } from "@mws-kit/error-codes"
import { Effect } from "effect"

/** Every decision the policy made, as the ledger would receive it. */
export const decisions: Array<RetryDecision.RetryDecision> = []
/** The attempt numbers and waits the retried effect saw. */
export const seen: Array<[attempt: number, delayBeforeMs: number]> = []

let failures = 2
/** Two 503 ServiceUnavailable, then a success. */
const send: Effect.Effect<string, MwsError.MwsError> = Effect.suspend(() =>
  failures-- > 0
    ? Effect.fail(MwsError.make({ code: "ServiceUnavailable", httpStatus: 503, requestId: `su-${2 - failures}` }))
    : Effect.succeed("ok")
)

const record = (decision: RetryDecision.RetryDecision) => Effect.sync(() => decisions.push(decision))

export const call = Effect.gen(function* () {
  const { attempt, delayBeforeMs } = yield* CurrentAttempt.CurrentAttempt // 1 and 0 on the first attempt
  seen.push([attempt, delayBeforeMs])
  yield* Effect.annotateCurrentSpan({ attempt, delayBeforeMs })
  return yield* send
}).pipe(RetryPolicy.retry({ onDecision: record, budget: RetryBudget.makeUnsafe() }))
// decisions: attempt 1 "retry" (immediate, 0 ms), attempt 2 "retry" (timeline, 1000 ms)
// #endregion observe
