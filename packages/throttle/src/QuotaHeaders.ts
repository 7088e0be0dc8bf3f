/**
 * Reads the hourly-quota headers of an MWS response: `x-mws-quota-max`,
 * `x-mws-quota-remaining` and `x-mws-quota-resetsOn` (mws-facts 1.4). Names
 * are matched without regard to case (recordings show `x-mws-quota-resetson`);
 * the numbers arrive as decimal strings (`"80.0"`); the reset arrives as ISO
 * 8601 on the wire (`2020-06-15T09:12:00.000Z`) and as RFC 1123 in the docs
 * (`Wed, 06 Mar 2013 19:07:58 GMT`), and both are read. Only Feeds, Reports
 * and Products responses carry them, and never a throttled response.
 *
 * @since 0.1.0
 */
import { DateTime, Option, Predicate } from "effect"
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
export type HeadersInput =
  | { readonly forEach: (callback: (value: string, name: string) => void) => void }
  | Readonly<Record<string, string | ReadonlyArray<string> | number | undefined>>
  | Iterable<readonly [string, string]>

/**
 * The quota headers of one response, parsed: numbers, and the reset as epoch
 * milliseconds. A header that is absent or unreadable is left out.
 *
 * @category models
 * @since 0.1.0
 */
export type QuotaHeaders = HourlyQuota.Observation

const wanted = new Set([QUOTA_MAX, QUOTA_REMAINING, QUOTA_RESETS_ON].map((name) => name.toLowerCase()))

const collect = (headers: HeadersInput): Map<string, string> => {
  const found = new Map<string, string>()
  const add = (name: string, value: unknown) => {
    const key = name.toLowerCase()
    if (!wanted.has(key) || found.has(key)) return
    const first = Array.isArray(value) ? value[0] : value
    if (Predicate.isString(first) || Predicate.isNumber(first)) found.set(key, String(first).trim())
  }
  if (Symbol.iterator in headers) {
    // WHATWG Headers, a Map, or an array of pairs: all iterate as [name, value].
    for (const [name, value] of headers as Iterable<readonly [string, string]>) add(String(name), value)
  } else if ("forEach" in headers && Predicate.isFunction(headers.forEach)) {
    headers.forEach((value: string, name: string) => {
      add(String(name), value)
    })
  } else {
    for (const [name, value] of Object.entries(headers)) add(name, value)
  }
  return found
}

const readNumber = (value: string | undefined): number | undefined => {
  if (value === undefined || !/^\s*\d+(\.\d+)?\s*$/.test(value)) return undefined
  return Number(value)
}

/**
 * Reads an `x-mws-quota-resetsOn` value (ISO 8601 or RFC 1123) as epoch
 * milliseconds; `undefined` when it is not a date.
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
export const parse = (headers: HeadersInput): QuotaHeaders | undefined => {
  const found = collect(headers)
  const max = readNumber(found.get(QUOTA_MAX))
  const remaining = readNumber(found.get(QUOTA_REMAINING))
  const resetsAt = parseResetsOn(found.get(QUOTA_RESETS_ON.toLowerCase()))
  if (max === undefined && remaining === undefined && resetsAt === undefined) return undefined
  return {
    ...(max === undefined ? {} : { max }),
    ...(remaining === undefined ? {} : { remaining }),
    ...(resetsAt === undefined ? {} : { resetsAt })
  }
}
