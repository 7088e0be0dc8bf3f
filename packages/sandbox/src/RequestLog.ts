/**
 * The sandbox's log of every request it answered (or dropped): the request
 * id it issued, when, for which operation and seller, and what it answered.
 * A test checks a client's ledger against it.
 *
 * @since 0.1.0
 */

/**
 * One request as the sandbox saw it. `requestId` is `null` when no response
 * was sent (a `reset` fault). No credential, signature or token is kept.
 *
 * @category models
 * @since 0.1.0
 */
export interface LoggedRequest {
  readonly requestId: string | null
  /** When the sandbox answered, ISO 8601 (the `x-mws-timestamp` it sent). */
  readonly timestamp: string
  readonly method: string
  readonly path: string
  readonly section: string | undefined
  readonly operation: string | undefined
  readonly sellerId: string | undefined
  /**
   * The request's own `Timestamp` parameter, as the client signed it: what
   * ties an attempt the client recorded without a RequestId (interrupted
   * before the answer) to this entry.
   */
  readonly requestTimestamp?: string | undefined
  /** The HTTP status sent, `null` when the connection was reset. */
  readonly status: number | null
  /** The error code sent, if any. */
  readonly code: string | undefined
  /** The injected fault, if one was. */
  readonly fault: string | undefined
}
