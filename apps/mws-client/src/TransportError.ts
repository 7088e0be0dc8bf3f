/**
 * Failures below HTTP: the connection was refused, the name did not resolve,
 * the connection was reset, the attempt timed out. What matters for a retry
 * is whether the request may have reached MWS: a refused connection proves it
 * did not, a reset or a timeout after sending does not.
 *
 * The error keeps the operation, the request's Timestamp and a fixed
 * description of the failure; never the URL, the parameters or the driver's
 * message (which could quote them).
 *
 * @since 0.1.0
 */
import type { Classifier } from "@mws-kit/backoff-policy"
import { Schema } from "effect"

/**
 * What went wrong:
 * - `refused`: the connection was refused (nothing listens there);
 * - `dns`: the host name did not resolve;
 * - `unreachable`: no route to the host, or the connection attempt timed out;
 * - `reset`: the connection was reset or closed before a full response;
 * - `timeout`: no full response within the attempt's timeout;
 * - `other`: anything else the HTTP client reported.
 *
 * @category schemas
 * @since 0.1.0
 */
export const Kind = Schema.Literals(["refused", "dns", "unreachable", "reset", "timeout", "other"])

/**
 * What went wrong below HTTP.
 *
 * @category models
 * @since 0.1.0
 */
export type Kind = typeof Kind.Type

/**
 * A failure below HTTP. `sent` is false only when the request provably never
 * left (refused, DNS, unreachable); then a retry is safe even for SubmitFeed.
 *
 * @category errors
 * @since 0.1.0
 */
export class MwsTransportError extends Schema.TaggedError<MwsTransportError>()("MwsTransportError", {
  kind: Kind,
  sent: Schema.Boolean,
  section: Schema.String,
  operation: Schema.String,
  requestTimestamp: Schema.String,
  /** The driver's error code (`ECONNRESET`, `UND_ERR_SOCKET`...), when there was one. */
  errorCode: Schema.optionalKey(Schema.String),
  timeoutMs: Schema.optionalKey(Schema.Finite),
  /**
   * When the response's status and headers arrived before its body broke
   * off: the HTTP status, `x-mws-request-id` and `x-mws-timestamp`, so the
   * ledger and support still get the request's id.
   */
  httpStatus: Schema.optionalKey(Schema.Int),
  requestId: Schema.optionalKey(Schema.String),
  serverTimestamp: Schema.optionalKey(Schema.String)
}) {
  override get message(): string {
    return format(this)
  }

  override toString(): string {
    return format(this)
  }
}

/**
 * The code a transport failure takes in the ledger and in retry records:
 * `Transport:reset`, `Transport:timeout`...
 *
 * @category getters
 * @since 0.1.0
 */
export const codeOf = (error: Pick<MwsTransportError, "kind">): string => `Transport:${error.kind}`

const DESCRIPTIONS: { readonly [K in Kind]: string } = {
  refused: "connection refused",
  dns: "host name did not resolve",
  unreachable: "host unreachable",
  reset: "connection reset before a full response",
  timeout: "no full response in time",
  other: "HTTP client failure"
}

/**
 * The printed form: `Transport:reset (connection reset before a full
 * response) on Orders/ListOrders, Timestamp ...; the request may have been
 * processed`; when the status and headers had arrived, `... on
 * Reports/GetReport after HTTP 200, RequestId ..., Timestamp ...`.
 *
 * @category formatting
 * @since 0.1.0
 */
export const format = (error: Omit<MwsTransportError, "message">): string => {
  const what =
    error.kind === "timeout" && error.timeoutMs !== undefined
      ? `no full response within ${error.timeoutMs} ms`
      : DESCRIPTIONS[error.kind]
  const code = error.errorCode === undefined ? "" : `, ${error.errorCode}`
  const sent = error.sent ? "the request may have been processed" : "the request was not sent"
  const answered =
    error.httpStatus === undefined
      ? ""
      : ` after HTTP ${error.httpStatus}${error.requestId === undefined ? "" : `, RequestId ${error.requestId}`}`
  return `${codeOf(error)} (${what}${code}) on ${error.section}/${error.operation}${answered}, Timestamp ${error.requestTimestamp}; ${sent}`
}

/**
 * Whether a value is an {@link MwsTransportError}.
 *
 * @category guards
 * @since 0.1.0
 */
export const isMwsTransportError = (u: unknown): u is MwsTransportError => u instanceof MwsTransportError

const NOT_SENT: Readonly<Record<string, Kind>> = {
  ECONNREFUSED: "refused",
  ENOTFOUND: "dns",
  EAI_AGAIN: "dns",
  EAI_NONAME: "dns",
  EHOSTUNREACH: "unreachable",
  ENETUNREACH: "unreachable",
  UND_ERR_CONNECT_TIMEOUT: "unreachable"
}

const SENT: Readonly<Record<string, Kind>> = {
  ECONNRESET: "reset",
  EPIPE: "reset",
  UND_ERR_SOCKET: "reset",
  UND_ERR_CLOSED: "reset",
  ECONNABORTED: "reset",
  UND_ERR_HEADERS_TIMEOUT: "timeout",
  UND_ERR_BODY_TIMEOUT: "timeout",
  ETIMEDOUT: "timeout"
}

/** The first `code` property along an error's `cause` chain. */
const errorCodeOf = (cause: unknown): string | undefined => {
  let current: unknown = cause
  for (let depth = 0; depth < 8 && typeof current === "object" && current !== null; depth++) {
    const code = (current as { code?: unknown }).code
    if (typeof code === "string" && code !== "") return code
    current = (current as { cause?: unknown }).cause
  }
  return undefined
}

/**
 * Reads a driver failure (undici, fetch, node:http) into a kind, whether the
 * request may have been sent, and the driver's error code.
 *
 * @category constructors
 * @since 0.1.0
 */
export const classifyCause = (
  cause: unknown
): { readonly kind: Kind; readonly sent: boolean; readonly errorCode?: string } => {
  const errorCode = errorCodeOf(cause)
  const withCode = errorCode === undefined ? {} : { errorCode }
  if (errorCode !== undefined && Object.hasOwn(NOT_SENT, errorCode)) {
    return { kind: NOT_SENT[errorCode]!, sent: false, ...withCode }
  }
  if (errorCode !== undefined && Object.hasOwn(SENT, errorCode))
    return { kind: SENT[errorCode]!, sent: true, ...withCode }
  return { kind: "other", sent: true, ...withCode }
}

/**
 * The retry policy's view of a transport failure: transient, below HTTP
 * (costs the budget's timeout cost), ambiguous unless it was never sent.
 * Anything else is left to the MWS classifier (`Classifier.orMws`).
 *
 * @category constructors
 * @since 0.1.0
 */
export const classify = (error: unknown): Classifier.Classification | undefined =>
  isMwsTransportError(error)
    ? {
        errorClass: "transient",
        transport: true,
        ambiguous: error.sent,
        code: codeOf(error),
        timestamp: error.requestTimestamp,
        operation: error.operation,
        requestId: error.requestId,
        httpStatus: error.httpStatus
      }
    : undefined
