/**
 * The hourly-quota figures a response carries in its `x-mws-quota-*`
 * headers, and the hint an error gives about when to try again.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { NonNegative } from "./internal/numbers.ts"

/**
 * The quota headers of one response, as numbers and an ISO instant.
 * `x-mws-quota-max` and `-remaining` arrive as decimal strings ("80.0");
 * `x-mws-quota-resetsOn` arrives as ISO 8601 on the wire and RFC 1123 in the
 * docs, and is stored here as ISO 8601 in UTC. Only Feeds, Reports and
 * Products responses carry them (mws-facts 1.4), so every field is optional.
 *
 * @category schemas
 * @since 0.1.0
 */
export const QuotaHeaders = Schema.Struct({
  /** `x-mws-quota-max`: the hourly quota. */
  max: Schema.optionalKey(NonNegative),
  /** `x-mws-quota-remaining`: requests left this hour. */
  remaining: Schema.optionalKey(NonNegative),
  /** `x-mws-quota-resetsOn`, as an ISO 8601 instant in UTC. */
  resetsOn: Schema.optionalKey(Schema.String)
})

/**
 * The quota headers of one response.
 *
 * @category models
 * @since 0.1.0
 */
export type QuotaHeaders = typeof QuotaHeaders.Type

/**
 * Where a retry hint came from.
 *
 * @category models
 * @since 0.1.0
 */
export const RetryHintSource = Schema.Literals(["quota-header", "message", "retry-after", "fallback"])

/**
 * When the server says the request may succeed again.
 *
 * - `resetsAt`: an ISO 8601 instant (the hourly quota resets, a Retry-After date);
 * - `retryAfterMs`: a relative wait (a Retry-After in seconds, converted);
 * - `source`: where the hint came from, so a log can say why it waited.
 *
 * @category schemas
 * @since 0.1.0
 */
export const RetryHint = Schema.Struct({
  resetsAt: Schema.optionalKey(Schema.String),
  retryAfterMs: Schema.optionalKey(NonNegative),
  source: RetryHintSource
})

/**
 * When the server says the request may succeed again.
 *
 * @category models
 * @since 0.1.0
 */
export type RetryHint = typeof RetryHint.Type
