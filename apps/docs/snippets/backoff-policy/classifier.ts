// #region classifier
import { RetryBudget, RetryPolicy } from "@mws-kit/backoff-policy"
import { ErrorClass } from "@mws-kit/error-codes"
import { Data, Effect } from "effect"

class HttpFailure extends Data.TaggedError("HttpFailure")<{
  readonly status: number
  readonly requestId?: string
  readonly retryAfterMs?: number
}> {}

let calls = 0
/** An invoice service that answers 429 once, then the invoice. */
const fetchInvoice: Effect.Effect<string, HttpFailure> = Effect.suspend(() =>
  ++calls === 1
    ? Effect.fail(new HttpFailure({ status: 429, requestId: "inv-1" }))
    : Effect.succeed(`invoice after ${calls} calls`)
)

export const invoice = fetchInvoice.pipe(
  RetryPolicy.retry({
    classify: (e: HttpFailure) => ({
      errorClass: ErrorClass.fromHttpStatus(e.status), // 429/503 throttled, 5xx transient, 4xx client
      requestId: e.requestId,
      code: `HTTP ${e.status}`,
      retryHint: e.retryAfterMs === undefined ? undefined : { retryAfterMs: e.retryAfterMs, source: "retry-after" }
    }),
    throttledRestoreInterval: "1 second", // a throttled call waits a second, never less
    budget: RetryBudget.makeUnsafe()
  })
)
// #endregion classifier
