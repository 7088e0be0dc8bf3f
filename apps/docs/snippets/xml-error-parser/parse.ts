// #region parse
import { ErrorResponse } from "@mws-kit/xml-error-parser"
import { Result } from "effect"

/** What MWS sent back for a throttled ListOrders: an empty <Type>, RequestID with a capital D. */
export const throttledBody = `<?xml version="1.0"?>
<ErrorResponse xmlns="https://mws.amazonservices.com/Orders/2013-09-01">
  <Error>
    <Type></Type>
    <Code>RequestThrottled</Code>
    <Message>Request is throttled</Message>
  </Error>
  <RequestID>2c9a1f44-8a3e-4f9c-9b2d-3a1d2e4f5a6b</RequestID>
</ErrorResponse>`

export const parsed = ErrorResponse.parse({
  status: 503,
  // Headers, a Map, a plain record or [name, value] pairs; names in any case.
  headers: {
    "x-mws-request-id": "2c9a1f44-8a3e-4f9c-9b2d-3a1d2e4f5a6b",
    "x-mws-timestamp": "2026-11-25T10:00:00.412Z"
  },
  body: throttledBody, // a string or the bytes
  section: "Orders", // optional: picks section-specific catalog entries
  operation: "ListOrders", // optional: carried into the error
  requestTimestamp: "2026-11-25T10:00:00.000Z" // optional: your request's Timestamp, for support
})

if (Result.isSuccess(parsed)) {
  const error = parsed.success // an MwsError
  error.code // "RequestThrottled"
  error.errorClass // "throttled"
  error.type // "" (real throttled responses send an empty <Type>)
  error.requestId // "2c9a1f44-...", from x-mws-request-id, else the body
  error.serverTimestamp // "2026-11-25T10:00:00.412Z", from x-mws-timestamp
} else {
  const failure = parsed.failure // an UnparseableErrorBody
  failure.reason // "html" | "empty" | "json" | "malformed-xml" | "too-large" | ...
}
// #endregion parse

// #region proxy
// A load balancer's page instead of an MWS error: still a typed value, classified by its status.
export const proxyPage = ErrorResponse.toError({
  status: 502,
  headers: { "content-type": "text/html" },
  body: "<html><head><title>502 Bad Gateway</title></head><body>Bad Gateway</body></html>"
})
proxyPage._tag // "UnparseableErrorBody"
// proxyPage.reason "html", proxyPage.errorClass "transient", proxyPage.excerpt: the first 200 characters
// #endregion proxy
