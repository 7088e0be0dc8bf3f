// #region make
import { MwsError } from "@mws-kit/error-codes"
import { Effect } from "effect"

export const error = MwsError.make({
  code: "RequestThrottled",
  httpStatus: 503,
  mwsMessage: "Request is throttled",
  requestId: "7d3c6c3e-1f2a-4b5c-9d8e-0a1b2c3d4e5f",
  requestTimestamp: "2026-11-25T10:00:00.000Z",
  section: "Orders",
  operation: "ListOrders"
})

error.errorClass // "throttled", from the catalog
error.known // true
String(error)
// "RequestThrottled: Request is throttled (HTTP 503, RequestId 7d3c6c3e-1f2a-4b5c-9d8e-0a1b2c3d4e5f,
//  Timestamp 2026-11-25T10:00:00.000Z)"
// #endregion make

// #region encode
export const roundTrip = Effect.gen(function* () {
  const row = MwsError.encode(error) // plain, JSON-safe data with a _tag
  const text = JSON.stringify(row) // a ledger row, a log line
  const back = yield* MwsError.decode(JSON.parse(text)) // an MwsError again, or a SchemaError naming the field
  return { row, back }
})
// #endregion encode
