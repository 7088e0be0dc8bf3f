/**
 * Reads the hourly-quota headers of an MWS response: `x-mws-quota-max`,
 * `x-mws-quota-remaining` and `x-mws-quota-resetsOn` (mws-facts 1.4). Names
 * are matched without regard to case (recordings show `x-mws-quota-resetson`);
 * the numbers arrive as decimal strings (`"80.0"`); the reset arrives as ISO
 * 8601 on the wire (`2020-06-15T09:12:00.000Z`) and as RFC 1123 in the docs
 * (`Wed, 06 Mar 2013 19:07:58 GMT`), and both are read. Only Feeds, Reports
 * and Products responses carry them, and never a throttled response.
 *
 * Since 0.2.0 the headers are read by `@mws-kit/wire-format`'s
 * `ResponseHeaders`, the one reader the error parser and the client use too
 * (numbers of up to 15 digits and 6 decimals; the reset only in those two
 * shapes, with a zone).
 *
 * @since 0.1.0
 */
import { ResponseHeaders } from "@mws-kit/wire-format"
import { DateTime, Option } from "effect"
import type * as HourlyQuota from "./HourlyQuota.ts"

/**
 * `x-mws-quota-max`: the hourly quota.
 *
 * @category constants
 * @since 0.1.0
 */
export const QUOTA_MAX = "x-mws-quota-max"

/**
 * `x-mws-quota-remaining`: requests left in the current hour.
 *
 * @category constants
 * @since 0.1.0
 */
export const QUOTA_REMAINING = "x-mws-quota-remaining"

/**
 * `x-mws-quota-resetsOn`: when the current hour ends.
 *
 * @category constants
 * @since 0.1.0
 */
export const QUOTA_RESETS_ON = "x-mws-quota-resetsOn"

/**
 * Response headers in any of the usual shapes: a WHATWG `Headers`, Node's
 * `IncomingHttpHeaders` (a record whose values may be arrays), or pairs.
 *
 * @category models
 * @since 0.1.0
 */
export type HeadersInput = ResponseHeaders.HeadersInput

/**
 * The quota headers of one response, parsed: numbers, and the reset as epoch
 * milliseconds. A header that is absent or unreadable is left out.
 *
 * @category models
 * @since 0.1.0
 */
export type QuotaHeaders = HourlyQuota.Observation

/**
 * Reads a reset time a caller or a QuotaExceeded message gives (ISO 8601,
 * RFC 1123, or the message's `Mon Mar 25 02:25:00 UTC 2019`) as epoch
 * milliseconds; `undefined` when it is not a date. Headers are read by
 * {@link parse}, with the stricter rules of `@mws-kit/wire-format`.
 *
 * @example
 * ```ts
 * import { QuotaHeaders } from "@mws-kit/throttle"
 *
 * QuotaHeaders.parseResetsOn("2020-06-15T09:12:00.000Z")      // 1592212320000
 * QuotaHeaders.parseResetsOn("Wed, 06 Mar 2013 19:07:58 GMT") // 1362596878000
 * ```
 *
 * @category parsing
 * @since 0.1.0
 */
export const parseResetsOn = (value: string | undefined): number | undefined => {
  if (value === undefined || value.trim() === "") return undefined
  return Option.getOrUndefined(Option.map(DateTime.make(value.trim()), DateTime.toEpochMillis))
}

/**
 * Reads the quota headers of a response; `undefined` when it carries none
 * (Orders, Finances, throttled responses...).
 *
 * @example
 * ```ts
 * import { QuotaHeaders } from "@mws-kit/throttle"
 *
 * QuotaHeaders.parse({
 *   "x-mws-quota-max": "80.0",
 *   "x-mws-quota-remaining": "78.0",
 *   "x-mws-quota-resetson": "2020-06-15T09:12:00.000Z"
 * })
 * // { max: 80, remaining: 78, resetsAt: 1592212320000 }
 * ```
 *
 * @category parsing
 * @since 0.1.0
 */
export const parse = (headers: HeadersInput): QuotaHeaders | undefined =>
  fromFields(ResponseHeaders.quota(ResponseHeaders.normalize(headers)))

/**
 * The throttle's view of quota headers already read by
 * `@mws-kit/wire-format`'s `ResponseHeaders.quota` (the reset as epoch
 * milliseconds); `undefined` for none. A client that reads a response's
 * headers once passes the result to `Throttle.observeQuota` through this.
 *
 * @category parsing
 * @since 0.2.0
 */
export const fromFields = (fields: ResponseHeaders.QuotaFields | undefined): QuotaHeaders | undefined => {
  if (fields === undefined) return undefined
  const resetsAt = fields.resetsOn === undefined ? undefined : Date.parse(fields.resetsOn)
  return {
    ...(fields.max === undefined ? {} : { max: fields.max }),
    ...(fields.remaining === undefined ? {} : { remaining: fields.remaining }),
    ...(resetsAt === undefined ? {} : { resetsAt })
  }
}
