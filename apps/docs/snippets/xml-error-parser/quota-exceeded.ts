// #region quota
import { ErrorResponse } from "@mws-kit/xml-error-parser"

// A QuotaExceeded without x-mws-quota-* headers: the reset time and the quota come from the message.
export const quotaExceeded = ErrorResponse.toError({
  status: 503,
  section: "Feeds",
  operation: "SubmitFeed",
  body: `<ErrorResponse xmlns="http://mws.amazonaws.com/doc/2009-01-01/">
  <Error>
    <Type>Sender</Type>
    <Code>QuotaExceeded</Code>
    <Message>You exceeded your quota of 30.0 requests per 1 hour for operation Feeds/2009-01-01/SubmitFeed.  Your quota will reset on Mon Mar 25 02:25:00 UTC 2019</Message>
  </Error>
  <RequestID>6f0b6c1e-0a1b-4c2d-8e3f-9a8b7c6d5e4f</RequestID>
</ErrorResponse>`
})
// quotaExceeded.errorClass  "quota-exceeded"
// quotaExceeded.retryHint   { resetsAt: "2019-03-25T02:25:00.000Z", source: "message" }
// quotaExceeded.quota       { max: 30 }
// #endregion quota
