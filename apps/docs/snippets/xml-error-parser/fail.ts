// #region fail
import type { MwsError } from "@mws-kit/error-codes"
import { ErrorResponse } from "@mws-kit/xml-error-parser"
import { Effect } from "effect"

interface RawResponse {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
}

/** A stand-in for your HTTP client: here, an empty 503 from a proxy. */
const send = (_request: string): Effect.Effect<RawResponse> =>
  Effect.succeed({ status: 503, headers: { "x-mws-request-id": "e0e1e2e3" }, body: "" })

export const call = (request: string) =>
  Effect.gen(function* () {
    const response = yield* send(request)
    if (response.status >= 300) {
      // Fails with an MwsError, or an UnparseableErrorBody for anything else.
      return yield* ErrorResponse.fail({ status: response.status, headers: response.headers, body: response.body })
    }
    return response.body
  })

export const program: Effect.Effect<string, MwsError.MwsError> = call("ListOrders").pipe(
  Effect.catchTag("UnparseableErrorBody", (error) =>
    Effect.as(Effect.logWarning(`not an MWS error: ${error}`), `${error.reason}, class ${error.errorClass}`)
  )
)
// #endregion fail
