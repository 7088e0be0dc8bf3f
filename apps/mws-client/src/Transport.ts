/**
 * Sends a signed request and reads the response as a stream, through
 * Effect's HTTP client, within a timeout. The read stops at a cap (the
 * request's `maxBodyBytes` for a 2xx, the error parser's cap otherwise), so a
 * runaway body never costs more memory than the cap; a download's MD5 is
 * computed on the way. Every failure below HTTP becomes an
 * `MwsTransportError` that says whether the request may have been sent; the
 * HTTP client's own errors (which hold the request, and so the signature) are
 * never passed on.
 *
 * A service, so tests can answer requests without a server.
 *
 * @since 0.1.0
 */
import { createHash, type Hash } from "node:crypto"
import { ResponseHeaders } from "@mws-kit/xml-error-parser"
import { Context, Duration, Effect, Layer, Redacted, Stream } from "effect"
import { constTrue } from "effect/Function"
import { HttpClient, type HttpClientError, HttpClientRequest } from "effect/http"
import * as Undici from "./internal/undiciExchange.ts"
import * as Writable from "./internal/writable.ts"
import type * as RequestSigner from "./RequestSigner.ts"
import * as ResponseLimit from "./ResponseLimit.ts"
import * as TransportError from "./TransportError.ts"

/**
 * The form content type of a request whose parameters are in the body
 * (DG_QueryString: "from the POST body when Content-Type is
 * application/x-www-form-urlencoded").
 *
 * @category constants
 * @since 0.1.0
 */
export const FORM_CONTENT_TYPE = "application/x-www-form-urlencoded; charset=utf-8"

/**
 * The content type of a feed body unless the caller gives one: the docs'
 * SubmitFeed example (`Feeds_SubmitFeed`) posts XML feeds as `text/xml`.
 *
 * @category constants
 * @since 0.1.0
 */
export const DEFAULT_FEED_CONTENT_TYPE = "text/xml; charset=utf-8"

/**
 * One request to send.
 *
 * @category models
 * @since 0.1.0
 */
export interface TransportRequest {
  readonly signed: RequestSigner.SignedRequest
  /** A body sent as is (a feed); the signed parameters are then in the query. */
  readonly body?: Uint8Array | undefined
  readonly contentType?: string | undefined
  readonly userAgent: string
  readonly timeout: Duration.Duration
  /** For the error: which call this was. */
  readonly section: string
  readonly operation: string
  /** The most of a 2xx body read (default `ResponseLimit.DEFAULT_MAX_RESPONSE_BYTES`). */
  readonly maxBodyBytes?: number | undefined
  /** Compute the body's base64 MD5 while reading it (downloads). */
  readonly md5?: boolean | undefined
  /**
   * Stream a 2xx body into this file (created or truncated) instead of
   * memory, with no size cap but the disk's; the response's `body` is then
   * empty and `bytesWritten` says how much was written.
   */
  readonly destination?: string | undefined
  /**
   * Called once the status and headers are in, before the body is read: what
   * an attempt interrupted while reading still knows (its RequestId).
   */
  readonly onHead?: ((head: ResponseHead) => void) | undefined
}

/**
 * The status and headers of a response, before its body.
 *
 * @category models
 * @since 0.2.0
 */
export interface ResponseHead {
  readonly status: number
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string>>
}

/**
 * A response, read to the end or to the cap.
 *
 * @category models
 * @since 0.1.0
 */
export interface RawResponse {
  readonly status: number
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string>>
  /** The body; when `overLimit`, only its first bytes (up to the cap, plus one for an error body). */
  readonly body: Uint8Array
  /** The body went past the cap: the read stopped there and the connection was closed. */
  readonly overLimit?: boolean | undefined
  /** The limit that applied to this body. */
  readonly limitBytes?: number | undefined
  /** The base64 MD5 of the whole body, when the request asked for it and the body was read in full. */
  readonly md5?: string | undefined
  /** With a `destination`: the bytes written to it. */
  readonly bytesWritten?: number | undefined
  /** With a `destination`: why it could not be written (the system's code and message); the file is incomplete. */
  readonly destinationError?: string | undefined
}

/**
 * The transport service.
 *
 * @category services
 * @since 0.1.0
 */
export class Transport extends Context.Service<
  Transport,
  {
    readonly send: (request: TransportRequest) => Effect.Effect<RawResponse, TransportError.MwsTransportError>
  }
>()("@mws-kit/mws-client/Transport") {
  /** Over the `HttpClient` in the context. */
  static readonly layer: Layer.Layer<Transport, never, HttpClient.HttpClient> = Layer.effect(
    Transport,
    Effect.map(Effect.service(HttpClient.HttpClient), (client) => make(client))
  )

  /**
   * Over undici's keep-alive connection pool, directly (no `HttpClient` in
   * between); the pool is closed with the layer. Since 0.2.0 this no longer
   * needs `@effect/platform-node`.
   */
  static readonly layerNode: Layer.Layer<Transport> = Layer.effect(
    Transport,
    Effect.map(Undici.makePool, (pool) => fromOpen(Undici.open(pool)))
  )
}

type Received = ResponseHead

/**
 * Streams a body into a file, hashing it on the way. A read failure is the
 * transport's (the caller maps it); a write failure is reported in the
 * result, since the response itself arrived.
 */
const streamToFile = <E>(
  stream: Stream.Stream<Uint8Array, E>,
  path: string,
  hash: Hash | undefined
): Effect.Effect<{ readonly bytesWritten: number; readonly destinationError?: string }, E> => {
  let bytesWritten = 0
  return Writable.toFile(stream, path, (chunk) => {
    bytesWritten += chunk.length
    hash?.update(chunk)
  }).pipe(
    Effect.map(() => ({ bytesWritten })),
    Effect.catchIf(
      // A file system error carries the system call that failed; the HTTP client's errors do not.
      (error): error is Writable.WriteFailure => error instanceof Error && "syscall" in error,
      (error) => Effect.succeed({ bytesWritten, destinationError: `${error.code}: ${error.message}` })
    )
  )
}

const concat = (chunks: ReadonlyArray<Uint8Array>, size: number): Uint8Array => {
  if (chunks.length === 1 && chunks[0]!.length === size) return chunks[0]!
  const out = new Uint8Array(size)
  let at = 0
  for (const chunk of chunks) {
    out.set(chunk, at)
    at += chunk.length
  }
  return out
}

/**
 * Reads a body chunk by chunk until it ends or passes `limit` bytes; past
 * the limit the read stops (which closes the connection). Over the limit,
 * the first `limit` bytes are kept when `keepPrefix` (an error body: its
 * limit already includes the byte that tells the parser it was too large),
 * else nothing.
 */
const readCapped = <E>(
  stream: Stream.Stream<Uint8Array, E>,
  limit: number,
  hash: Hash | undefined,
  keepPrefix: boolean
): Effect.Effect<{ readonly body: Uint8Array; readonly overLimit: boolean }, E> =>
  Effect.suspend(() => {
    const chunks: Array<Uint8Array> = []
    let size = 0
    let overLimit = false
    return Stream.runForEachWhile(stream, (chunk) =>
      Effect.sync(() => {
        const room = limit - size
        if (chunk.length > room) {
          overLimit = true
          if (!keepPrefix) {
            chunks.length = 0
            size = 0
            return false
          }
          if (room > 0) chunks.push(chunk.subarray(0, room))
          size = limit
          return false
        }
        chunks.push(chunk)
        size += chunk.length
        hash?.update(chunk)
        return true
      })
    ).pipe(Effect.map(() => ({ body: concat(chunks, size), overLimit })))
  })

/** What a response said before its body broke off: its status and the headers support needs. */
const answeredFields = (received: Received | undefined) => {
  if (received === undefined) return {}
  const normalized = ResponseHeaders.normalize(received.headers)
  const requestId = ResponseHeaders.requestId(normalized)
  const serverTimestamp = ResponseHeaders.serverTimestamp(normalized)
  return {
    httpStatus: received.status,
    ...(requestId === undefined ? {} : { requestId }),
    ...(serverTimestamp === undefined ? {} : { serverTimestamp })
  }
}

const failure = (request: TransportRequest, cause: unknown, received: Received | undefined) => {
  const { kind, sent, errorCode } = TransportError.classifyCause(cause)
  return new TransportError.MwsTransportError({
    kind,
    sent,
    section: request.section,
    operation: request.operation,
    requestTimestamp: request.signed.timestamp,
    ...(errorCode === undefined ? {} : { errorCode }),
    ...answeredFields(received)
  })
}

/**
 * Sends the request's bytes and waits for the response's head; fails with
 * the driver's own error (its cause, not a wrapper), which {@link failure}
 * classifies.
 */
type Open = (outgoing: Undici.Outgoing) => Effect.Effect<Undici.Opened, unknown>

/** The request as it goes on the wire: signed parameters in the body (form) or in the query (feeds, GETs). */
const outgoingOf = (request: TransportRequest): Undici.Outgoing => {
  const { signed } = request
  const headers: Record<string, string> = { "user-agent": request.userAgent }
  if (signed.placement === "form") {
    headers["content-type"] = FORM_CONTENT_TYPE
    return { url: signed.url, method: "POST", headers, body: unwrap(signed) }
  }
  const url = `${signed.url}?${unwrap(signed)}`
  if (request.body === undefined || signed.method === "GET") return { url, method: signed.method, headers }
  headers["content-type"] = request.contentType ?? DEFAULT_FEED_CONTENT_TYPE
  return { url, method: "POST", headers, body: request.body }
}

/** Reads an opened response: to a file, or into memory up to its cap. */
const readBody = (request: TransportRequest, response: Undici.Opened): Effect.Effect<RawResponse, unknown> => {
  const { status, headers } = response
  const success = status >= 200 && status <= 299
  const limitBytes = success
    ? (request.maxBodyBytes ?? ResponseLimit.DEFAULT_MAX_RESPONSE_BYTES)
    : ResponseLimit.MAX_ERROR_BODY_BYTES
  const hash = success && request.md5 === true ? createHash("md5") : undefined
  if (success && request.destination !== undefined) {
    return streamToFile(response.stream, request.destination, hash).pipe(
      Effect.map(
        (written): RawResponse => ({
          status,
          headers,
          body: new Uint8Array(0),
          ...written,
          ...(hash === undefined || written.destinationError !== undefined ? {} : { md5: hash.digest("base64") })
        })
      )
    )
  }
  // A declared length over the cap is refused before reading a byte past the first chunk.
  const declared = Number(headers["content-length"])
  const readLimit = success && Number.isSafeInteger(declared) && declared > limitBytes ? 0 : limitBytes
  return Effect.map(
    readCapped(response.stream, readLimit, hash, !success),
    ({ body, overLimit }): RawResponse => ({
      status,
      headers,
      body,
      overLimit,
      limitBytes,
      ...(hash === undefined || overLimit ? {} : { md5: hash.digest("base64") })
    })
  )
}

/** A transport over a way to open exchanges: the caps, the MD5, the timeout and the error mapping. */
const fromOpen = (open: Open): Transport["Service"] => ({
  send: (request) =>
    Effect.suspend(() => {
      // Set once the status and headers are in: a body that then breaks off still names its request.
      let received: Received | undefined
      return open(outgoingOf(request)).pipe(
        Effect.flatMap((response) => {
          received = { status: response.status, headers: response.headers }
          request.onHead?.(received)
          return readBody(request, response)
        }),
        Effect.mapError((cause) => failure(request, cause, received)),
        Effect.timeoutOrElse({
          duration: request.timeout,
          orElse: () =>
            Effect.fail(
              new TransportError.MwsTransportError({
                kind: "timeout",
                sent: true,
                section: request.section,
                operation: request.operation,
                requestTimestamp: request.signed.timestamp,
                timeoutMs: Duration.toMillis(request.timeout),
                ...answeredFields(received)
              })
            )
        })
      )
    })
})

/** The cause an `HttpClientError` wraps (the driver's error), or the error itself. */
const causeOf = (error: HttpClientError.HttpClientError): unknown => error.reason.cause ?? error

/**
 * A transport over an `HttpClient` (Effect's fetch client, a test client,
 * one with your own middleware). Client-side tracing of the HTTP client is
 * turned off for these requests: the client makes its own spans, and the
 * HTTP span would carry the URL (with the signature, for a feed).
 *
 * @category constructors
 * @since 0.1.0
 */
export const make = (client: HttpClient.HttpClient): Transport["Service"] =>
  fromOpen((outgoing) => {
    const options = { headers: outgoing.headers }
    const base =
      outgoing.method === "GET"
        ? HttpClientRequest.get(outgoing.url, options)
        : HttpClientRequest.post(outgoing.url, options)
    const http =
      outgoing.body === undefined
        ? base
        : typeof outgoing.body === "string"
          ? HttpClientRequest.bodyText(base, outgoing.body, outgoing.headers["content-type"])
          : HttpClientRequest.bodyUint8Array(base, outgoing.body, outgoing.headers["content-type"])
    return client.execute(http).pipe(
      Effect.map(
        (response): Undici.Opened => ({
          status: response.status,
          headers: response.headers as Readonly<Record<string, string>>,
          stream: Stream.mapError(response.stream, causeOf)
        })
      ),
      Effect.mapError(causeOf),
      Effect.provideService(HttpClient.TracerDisabledWhen, constTrue)
    )
  })

const unwrap = (signed: RequestSigner.SignedRequest): string => Redacted.value(signed.encoded)
