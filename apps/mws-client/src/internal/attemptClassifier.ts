/**
 * The client's classifier: its own failures (below HTTP, a download that
 * cannot be written, a body over the cap, a malformed 2xx body) in the
 * retry policy's terms, and MWS errors by the catalog (`Classifier.orMws`).
 * The retry policy runs it once per failed attempt and hands the result to
 * the client with its decision; only a client without retries runs it
 * itself.
 *
 * @internal
 */
import { Classifier } from "@mws-kit/backoff-policy"
import * as Download from "../Download.ts"
import * as ResponseBody from "../ResponseBody.ts"
import * as ResponseLimit from "../ResponseLimit.ts"
import * as TransportError from "../TransportError.ts"

/** How a failed attempt of the client reads to the retry policy. @internal */
export const classify = Classifier.orMws((error: unknown): Classifier.Classification | undefined => {
  const transport = TransportError.classify(error)
  if (transport !== undefined) return transport
  if (error instanceof Download.DownloadWriteError) {
    // The local file system said no: the next attempt would fail the same way.
    return {
      errorClass: "client",
      code: "DownloadWriteError",
      requestId: error.requestId,
      timestamp: error.requestTimestamp,
      httpStatus: error.httpStatus,
      operation: error.operation
    }
  }
  if (ResponseLimit.isResponseTooLarge(error)) {
    // As large next time: not retried.
    return {
      errorClass: "client",
      code: "ResponseTooLarge",
      requestId: error.requestId,
      timestamp: error.requestTimestamp,
      httpStatus: error.httpStatus,
      operation: error.operation
    }
  }
  if (error instanceof ResponseBody.MalformedResponse) {
    // The request was processed (a 2xx came back): ambiguous, retried only when idempotent.
    return {
      errorClass: "transient",
      ambiguous: true,
      code: `MalformedResponse:${error.reason}`,
      requestId: error.requestId,
      timestamp: error.requestTimestamp,
      httpStatus: error.httpStatus,
      operation: error.operation
    }
  }
  return undefined
})
