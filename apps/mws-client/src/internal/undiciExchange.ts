/**
 * One HTTP exchange over undici's keep-alive connection pool, without an
 * `HttpClient` in between: the request goes out, the status and headers come
 * back, and the body is handed over as a stream to read (or stop reading,
 * which closes the connection). Failures are undici's own errors, whose
 * `code` (`ECONNREFUSED`, `UND_ERR_SOCKET`...) the transport classifies.
 *
 * undici is imported when the pool is made, not when the client is
 * imported: a program that never sends pays nothing for it.
 *
 * @internal
 */
import * as NodeStream from "@effect/platform-node-shared/NodeStream"
import { Effect, type Scope, type Stream } from "effect"
import type { Dispatcher } from "undici"

/** What goes out: the URL (with its query), the method, headers and body. @internal */
export interface Outgoing {
  readonly url: string
  readonly method: "GET" | "POST"
  readonly headers: Readonly<Record<string, string>>
  readonly body?: string | Uint8Array | undefined
}

/** A response whose status and headers are in; the body is still to read. @internal */
export interface Opened {
  readonly status: number
  /** Header names in lower case; a repeated header's values joined by ", " (RFC 9110 §5.3). */
  readonly headers: Readonly<Record<string, string>>
  readonly stream: Stream.Stream<Uint8Array, unknown>
}

/**
 * Timeouts are left to the transport's own `Effect.timeout`, which covers
 * the whole exchange; undici's per-phase timers are set out of the way, as
 * `@effect/platform-node`'s undici client does.
 */
const UNDICI_HEADERS_TIMEOUT_MS = 60 * 60 * 1000
const UNDICI_BODY_TIMEOUT_MS = 0

/** A connection pool (undici's `Agent`) for the scope, destroyed when it closes. @internal */
export const makePool: Effect.Effect<Dispatcher, never, Scope.Scope> = Effect.acquireRelease(
  Effect.promise(() => import("undici").then((undici) => new undici.Agent())),
  (pool) => Effect.promise(() => pool.destroy())
)

const flatten = (headers: Dispatcher.ResponseData["headers"]): Record<string, string> => {
  const out: Record<string, string> = {}
  for (const name in headers) {
    const value = headers[name]
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(", ") : value
  }
  return out
}

/**
 * Sends one request through the pool and waits for its head. Interrupting
 * the effect aborts the request; ending the body stream early destroys the
 * body, which closes the connection.
 *
 * @internal
 */
export const open =
  (pool: Dispatcher) =>
  (outgoing: Outgoing): Effect.Effect<Opened, unknown> =>
    Effect.tryPromise({
      try: (signal) => {
        const url = new URL(outgoing.url)
        return pool.request({
          origin: url.origin,
          path: url.pathname + url.search,
          method: outgoing.method,
          headers: outgoing.headers,
          body: outgoing.body ?? null,
          signal,
          headersTimeout: UNDICI_HEADERS_TIMEOUT_MS,
          bodyTimeout: UNDICI_BODY_TIMEOUT_MS
        })
      },
      catch: (cause) => cause
    }).pipe(
      Effect.map(
        (response): Opened => ({
          status: response.statusCode,
          headers: flatten(response.headers),
          stream: NodeStream.fromReadable<Uint8Array, unknown>({
            evaluate: () => response.body,
            onError: (cause) => cause
          })
        })
      )
    )
