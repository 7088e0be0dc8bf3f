/**
 * The columns of a stored row as an entry-shaped object, not validated yet
 * (the caller decodes it with the entry schema, so a damaged row becomes a
 * typed error). Both stores use it; each reads `recorded_at` and `params`
 * in its own driver's types first.
 *
 * @internal
 */
export const columnsToEntry = (row: Record<string, unknown>, recordedAt: Date, params: unknown): unknown => ({
  entryId: row.entry_id,
  recordedAt: Number.isNaN(recordedAt.getTime()) ? null : recordedAt.toISOString(),
  requestId: row.request_id,
  requestTimestamp: row.request_timestamp,
  serverTimestamp: row.server_timestamp,
  section: row.section,
  operation: row.operation,
  sellerId: row.seller_id,
  marketplace: row.marketplace,
  httpStatus: row.http_status,
  errorCode: row.error_code,
  errorType: row.error_type,
  errorClass: row.error_class,
  message: row.message,
  attempt: row.attempt,
  callId: row.call_id,
  durationMs: row.duration_ms,
  delayBeforeMs: row.delay_before_ms,
  quotaMax: row.quota_max,
  quotaRemaining: row.quota_remaining,
  quotaResetsOn: row.quota_resets_on,
  outcome: row.outcome,
  params
})

/**
 * Every column of a ledger row, in the order both stores write them. The
 * first two (`entry_id`, `recorded_at`) are the key.
 *
 * @internal
 */
export const ENTRY_COLUMNS = [
  "entry_id",
  "recorded_at",
  "request_id",
  "request_timestamp",
  "server_timestamp",
  "section",
  "operation",
  "seller_id",
  "marketplace",
  "http_status",
  "error_code",
  "error_type",
  "error_class",
  "message",
  "attempt",
  "call_id",
  "duration_ms",
  "delay_before_ms",
  "quota_max",
  "quota_remaining",
  "quota_resets_on",
  "outcome",
  "params"
] as const

/**
 * The columns a completed attempt writes over its `in-flight` row: all but
 * the key.
 *
 * @internal
 */
export const COMPLETION_COLUMNS = ENTRY_COLUMNS.filter((column) => column !== "entry_id" && column !== "recorded_at")
