/**
 * Sends a signed request and reads the whole response, through Effect's HTTP
 * client, within a timeout. Every failure below HTTP becomes an
 * `MwsTransportError` that says whether the request may have been sent; the
 * HTTP client's own errors (which hold the request, and so the signature) are
 * never passed on.
 *
 * A service, so tests can answer requests without a server.
 *
 * @since 0.1.0
 */
import { NodeHttpClient } from "@effect/platform-node"
import { ResponseHeaders } from "@mws-kit/xml-error-parser"
import { Context, Duration, Effect, Layer, Redacted } from "effect"
import { constTrue } from "effect/Function"
import { HttpClient, HttpClientRequest } from "effect/http"
import type * as RequestSigner from "./RequestSigner.ts"
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
}

/**
 * A response, read to the end.
 *
 * @category models
 * @since 0.1.0
 */
export interface RawResponse {
  readonly status: number
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string>>
  readonly body: Uint8Array
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

  /** Over Node's undici-based `HttpClient` (keep-alive connection pool). */
  static readonly layerNode: Layer.Layer<Transport> = Transport.layer.pipe(Layer.provide(NodeHttpClient.layerUndici))
}

/** The status and headers of a response whose body is still being read. */
interface Received {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
}

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
 * A transport over an `HttpClient`. Client-side tracing of the HTTP client is
 * turned off for these requests: the client makes its own spans, and the
 * HTTP span would carry the URL (with the signature, for a feed).
 *
 * @category constructors
 * @since 0.1.0
 */
export const make = (client: HttpClient.HttpClient): Transport["Service"] => {
  const send = (request: TransportRequest): Effect.Effect<RawResponse, TransportError.MwsTransportError> => {
    const { signed } = request
    const headers: Record<string, string> = { "user-agent": request.userAgent }
    let http: HttpClientRequest.HttpClientRequest
    if (signed.placement === "form") {
      http = HttpClientRequest.post(signed.url, { headers }).pipe(
        HttpClientRequest.bodyText(unwrap(signed), FORM_CONTENT_TYPE)
      )
    } else {
      const url = `${signed.url}?${unwrap(signed)}`
      const base =
        signed.method === "GET" ? HttpClientRequest.get(url, { headers }) : HttpClientRequest.post(url, { headers })
      http =
        request.body === undefined
          ? base
          : HttpClientRequest.bodyUint8Array(base, request.body, request.contentType ?? DEFAULT_FEED_CONTENT_TYPE)
    }
    const timeoutMs = Duration.toMillis(request.timeout)
    return Effect.suspend(() => {
      // Set once the status and headers are in: a body that then breaks off still names its request.
      let received: Received | undefined
      return client.execute(http).pipe(
        Effect.flatMap((response) => {
          const responseHeaders = response.headers as Readonly<Record<string, string>>
          received = { status: response.status, headers: responseHeaders }
          return Effect.map(response.arrayBuffer, (buffer) => ({
            status: response.status,
            headers: responseHeaders,
            body: new Uint8Array(buffer)
          }))
        }),
        Effect.mapError((error) => failure(request, error.reason.cause ?? error, received)),
        Effect.timeoutOrElse({
          duration: request.timeout,
          orElse: () =>
            Effect.fail(
              new TransportError.MwsTransportError({
                kind: "timeout",
                sent: true,
                section: request.section,
                operation: request.operation,
                requestTimestamp: signed.timestamp,
                timeoutMs,
                ...answeredFields(received)
              })
            )
        }),
        Effect.provideService(HttpClient.TracerDisabledWhen, constTrue)
      )
    })
  }
  return { send }
}

const unwrap = (signed: RequestSigner.SignedRequest): string => Redacted.value(signed.encoded)
