/**
 * Reads what MWS puts in response headers: the request id, the server
 * timestamp, the hourly-quota figures and a Retry-After. One reader with one
 * set of rules for every package: the client normalizes a response's
 * headers once and hands the result to the error parser and the throttle.
 * Header names are matched case-insensitively; a value that makes no sense
 * is dropped, never thrown.
 *
 * (Moved here in 0.2.0 from `@mws-kit/xml-error-parser/ResponseHeaders`,
 * which re-exports it, and `@mws-kit/throttle/QuotaHeaders`, which reads
 * through it.)
 *
 * @since 0.2.0
 */

/**
 * The quota headers of one response (the shape of `@mws-kit/error-codes`'s
 * `QuotaInfo.QuotaHeaders`).
 *
 * @category models
 * @since 0.2.0
 */
export interface QuotaFields {
  /** `x-mws-quota-max`: the hourly quota. */
  readonly max?: number
  /** `x-mws-quota-remaining`: requests left this hour. */
  readonly remaining?: number
  /** `x-mws-quota-resetsOn`, as an ISO 8601 instant in UTC. */
  readonly resetsOn?: string
}

/**
 * A Retry-After header, read (the shape of `@mws-kit/error-codes`'s
 * `QuotaInfo.RetryHint` with `source: "retry-after"`).
 *
 * @category models
 * @since 0.2.0
 */
export interface RetryAfterHint {
  readonly resetsAt?: string
  readonly retryAfterMs?: number
  readonly source: "retry-after"
}

/**
 * Headers in any of the shapes HTTP clients hand out: a WHATWG `Headers`, a
 * `Map`, a plain record (Node's `IncomingHttpHeaders`, Effect's `Headers`),
 * or a list of pairs.
 *
 * @category models
 * @since 0.2.0
 */
export type HeadersInput =
  | { forEach(callback: (value: string, name: string) => void): void }
  | ReadonlyMap<string, string>
  | Readonly<Record<string, string | ReadonlyArray<string> | number | undefined>>
  | Iterable<readonly [string, string]>

/**
 * Headers with lowercased names, as the functions below read them.
 *
 * @category models
 * @since 0.2.0
 */
export type NormalizedHeaders = ReadonlyMap<string, string>

/**
 * Header names, lowercased (mws-facts section 1.4).
 *
 * @category constants
 * @since 0.2.0
 */
export const HEADER = {
  requestId: "x-mws-request-id",
  timestamp: "x-mws-timestamp",
  responseContext: "x-mws-response-context",
  quotaMax: "x-mws-quota-max",
  quotaRemaining: "x-mws-quota-remaining",
  quotaResetsOn: "x-mws-quota-resetson",
  retryAfter: "retry-after",
  contentType: "content-type",
  contentMd5: "content-md5"
} as const

/**
 * Request-id headers other AWS-style services use, read when
 * `x-mws-request-id` is absent (Feeds and Reports downloads carry
 * `x-amz-request-id`: mws-facts section 1.4).
 *
 * @category constants
 * @since 0.2.0
 */
export const FALLBACK_REQUEST_ID_HEADERS = ["x-amz-request-id", "x-amzn-requestid", "x-amzn-request-id"] as const

const isIterable = (u: object): u is Iterable<readonly [string, string]> => Symbol.iterator in u

/**
 * Lowercases header names. Repeated headers are joined with `", "`, as HTTP
 * allows. Headers this function made are returned as they are, so a
 * response's headers are read once however many readers they pass through.
 *
 * @category constructors
 * @since 0.2.0
 */
/** Maps `normalize` made: handed back as they are, so headers read once are never read again. */
const normalizedMaps = new WeakSet<NormalizedHeaders>()

export const normalize = (headers: HeadersInput | undefined): NormalizedHeaders => {
  if (headers instanceof Map && normalizedMaps.has(headers)) return headers
  const out = new Map<string, string>()
  normalizedMaps.add(out)
  if (headers === undefined || headers === null) return out
  const add = (name: string, value: string | ReadonlyArray<string> | number | undefined) => {
    if (value === undefined || value === null) return
    const text = typeof value === "string" ? value : typeof value === "number" ? String(value) : value.join(", ")
    const key = name.toLowerCase()
    const previous = out.get(key)
    out.set(key, previous === undefined ? text : `${previous}, ${text}`)
  }
  if (headers instanceof Map) {
    for (const [name, value] of headers) add(name, value)
  } else if (typeof (headers as { forEach?: unknown }).forEach === "function" && !Array.isArray(headers)) {
    ;(headers as { forEach(callback: (value: string, name: string) => void): void }).forEach((value, name) => {
      add(name, value)
    })
  } else if (Array.isArray(headers) || isIterable(headers)) {
    for (const [name, value] of headers as Iterable<readonly [string, string]>) add(name, value)
  } else {
    for (const [name, value] of Object.entries(
      headers as Record<string, string | ReadonlyArray<string> | number | undefined>
    )) {
      add(name, value)
    }
  }
  return out
}

const nonEmpty = (value: string | undefined): string | undefined => {
  const trimmed = value?.trim()
  return trimmed === undefined || trimmed === "" ? undefined : trimmed
}

/**
 * The request id: `x-mws-request-id`, else one of
 * {@link FALLBACK_REQUEST_ID_HEADERS}.
 *
 * @category getters
 * @since 0.2.0
 */
export const requestId = (headers: NormalizedHeaders): string | undefined => {
  const mws = nonEmpty(headers.get(HEADER.requestId))
  if (mws !== undefined) return mws
  for (const name of FALLBACK_REQUEST_ID_HEADERS) {
    const value = nonEmpty(headers.get(name))
    if (value !== undefined) return value
  }
  return undefined
}

/**
 * The server's timestamp (`x-mws-timestamp`), as sent.
 *
 * @category getters
 * @since 0.2.0
 */
export const serverTimestamp = (headers: NormalizedHeaders): string | undefined =>
  nonEmpty(headers.get(HEADER.timestamp))

/**
 * The content type, as sent.
 *
 * @category getters
 * @since 0.2.0
 */
export const contentType = (headers: NormalizedHeaders): string | undefined => nonEmpty(headers.get(HEADER.contentType))

/**
 * Parses a date in any form MWS uses (ISO 8601 on the wire, RFC 1123 in the
 * docs) into an ISO 8601 instant in UTC, or `undefined`.
 *
 * @example
 * ```ts
 * import { ResponseHeaders } from "@mws-kit/xml-error-parser"
 *
 * ResponseHeaders.toIsoInstant("2020-06-15T09:12:00.000Z")       // "2020-06-15T09:12:00.000Z"
 * ResponseHeaders.toIsoInstant("Wed, 06 Mar 2013 19:07:58 GMT")  // "2013-03-06T19:07:58.000Z"
 * ```
 *
 * @category parsing
 * @since 0.2.0
 */
export const toIsoInstant = (value: string | undefined): string | undefined => {
  const text = nonEmpty(value)
  if (text === undefined || text.length > 64) return undefined
  // Only the two documented shapes: ISO 8601 with a zone, and RFC 1123 (GMT).
  const iso = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/.test(text)
  const rfc1123 = /^[A-Za-z]{3}, \d{1,2} [A-Za-z]{3} \d{4} \d{2}:\d{2}:\d{2} (GMT|UTC|[+-]\d{4})$/.test(text)
  if (!iso && !rfc1123) return undefined
  const millis = Date.parse(text)
  return Number.isFinite(millis) ? new Date(millis).toISOString() : undefined
}

/** A quota figure; a header sent twice (joined with ", " by `normalize`) counts by its first value. */
const quotaNumber = (value: string | undefined): number | undefined => {
  const comma = value?.indexOf(",") ?? -1
  const text = nonEmpty(comma === -1 ? value : value!.slice(0, comma))
  if (text === undefined || !/^\d{1,15}(\.\d{1,6})?$/.test(text)) return undefined
  return Number(text)
}

/**
 * The hourly-quota headers as numbers and an ISO instant; `undefined` when
 * none is present or none makes sense. `"80.0"` becomes `80`.
 *
 * @category getters
 * @since 0.2.0
 */
export const quota = (headers: NormalizedHeaders): QuotaFields | undefined => {
  const max = quotaNumber(headers.get(HEADER.quotaMax))
  const remaining = quotaNumber(headers.get(HEADER.quotaRemaining))
  const resetsOn = toIsoInstant(headers.get(HEADER.quotaResetsOn))
  if (max === undefined && remaining === undefined && resetsOn === undefined) return undefined
  return {
    ...(max === undefined ? {} : { max }),
    ...(remaining === undefined ? {} : { remaining }),
    ...(resetsOn === undefined ? {} : { resetsOn })
  }
}

/**
 * A `Retry-After` header as a hint: seconds become `retryAfterMs`, an HTTP
 * date becomes `resetsAt`.
 *
 * @category getters
 * @since 0.2.0
 */
export const retryAfter = (headers: NormalizedHeaders): RetryAfterHint | undefined => {
  const text = nonEmpty(headers.get(HEADER.retryAfter))
  if (text === undefined) return undefined
  if (/^\d{1,9}$/.test(text)) return { retryAfterMs: Number(text) * 1000, source: "retry-after" }
  const resetsAt = toIsoInstant(text)
  return resetsAt === undefined ? undefined : { resetsAt, source: "retry-after" }
}
