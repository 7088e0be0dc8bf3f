/**
 * The error classes of `@mws-kit/error-codes` (copied, not imported: the
 * ledger depends on nothing but Effect).
 *
 * @internal
 */
export const ERROR_CLASSES = [
  "transient",
  "throttled",
  "quota-exceeded",
  "not-ready",
  "integrity",
  "auth",
  "client",
  "unknown"
] as const
