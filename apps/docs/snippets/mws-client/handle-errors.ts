// #region errors
import { MwsError } from "@mws-kit/error-codes"
import { MwsClient } from "@mws-kit/mws-client"
import { Effect } from "effect"

export const program = Effect.gen(function* () {
  const mws = yield* MwsClient.MwsClient
  // ListOrders without CreatedAfter: the request is wrong, so it fails at once with the MwsError itself.
  return yield* mws
    .call({ section: "Orders", operation: "ListOrders", params: { "MarketplaceId.Id": ["ATVPDKIKX0DER"] } })
    .pipe(
      Effect.as("listed"),
      MwsError.catchClass("client", (error) =>
        Effect.succeed(`${error.code} (HTTP ${error.httpStatus}, RequestId ${error.requestId}): ${error.mwsMessage}`)
      ),
      Effect.catchTag("RetryGaveUp", (gaveUp) =>
        Effect.succeed(`gave up after ${gaveUp.attempts.length} attempts: manual follow-up`)
      )
    )
})
// "InvalidParameterValue (HTTP 400, RequestId ...): CreatedAfter or LastUpdatedAfter must be specified"
// #endregion errors
