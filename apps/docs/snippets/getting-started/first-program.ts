import { ErrorClass, MwsError } from "@mws-kit/error-codes"
import { ErrorResponse } from "@mws-kit/xml-error-parser"
import { Effect } from "effect"

/** A response as an HTTP client hands it over: what MWS answers a ListOrders sent too often. */
const response = {
  status: 503,
  headers: { "x-mws-request-id": "2c9a1f44-8a3e-4f9c-9b2d-3a1d2e4f5a6b", "x-mws-timestamp": "2026-11-25T10:00:00Z" },
  body: `<?xml version="1.0"?>
<ErrorResponse xmlns="https://mws.amazonservices.com/Orders/2013-09-01">
  <Error><Type></Type><Code>RequestThrottled</Code><Message>Request is throttled</Message></Error>
  <RequestID>2c9a1f44-8a3e-4f9c-9b2d-3a1d2e4f5a6b</RequestID>
</ErrorResponse>`
}

export const program = ErrorResponse.fail({ ...response, section: "Orders", operation: "ListOrders" }).pipe(
  // fail() is an effect that fails with a typed MwsError (or an UnparseableErrorBody for a body that is not MWS XML)
  MwsError.catchClass("throttled", (error) =>
    Effect.succeed({
      code: error.code, // "RequestThrottled"
      errorClass: error.errorClass, // "throttled"
      requestId: error.requestId, // for support
      advice: ErrorClass.advice[error.errorClass], // what a client should do about it
      printed: String(error) // code, message, HTTP status, RequestId, Timestamp
    })
  )
)
