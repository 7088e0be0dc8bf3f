import { table } from "./table.ts"

/**
 * The nine codes every section can return, exactly as the documented table
 * lists them: code, HTTP status and description.
 *
 * @internal
 */
export const commonCodes = table(
  {
    section: "Common",
    documented: true,
    source: "MWS Developer Guide, Handling errors (dev_guide/DG_Errors), Table 1: Common HTTP error status codes"
  },
  [
    // Documented as 400, but it is a transport hiccup, not a bad request: resending the same bytes is the fix.
    ["InputStreamDisconnected", 400, "transient", "There was an error reading the input stream."],
    [
      "InvalidParameterValue",
      400,
      "client",
      "An invalid parameter value was used, or the request size exceeded the maximum accepted size, or the request expired."
    ],
    ["AccessDenied", 401, "auth", "Access was denied."],
    ["InvalidAccessKeyId", 403, "auth", "An invalid AWSAccessKeyId value was used."],
    [
      "SignatureDoesNotMatch",
      403,
      "auth",
      "The signature used does not match the server's calculated signature value."
    ],
    [
      "InvalidAddress",
      404,
      "client",
      "An invalid API section or operation value was used, or an invalid path was used."
    ],
    ["InternalError", 500, "transient", "There was an internal service failure."],
    ["QuotaExceeded", 503, "quota-exceeded", "The total number of requests in an hour was exceeded."],
    ["RequestThrottled", 503, "throttled", "The frequency of requests was greater than allowed."]
  ]
)
