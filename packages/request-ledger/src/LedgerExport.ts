/**
 * Ledger entries as JSON Lines and CSV, for support cases, spreadsheets and
 * other tools. Both carry every field of an entry, in the same order; neither
 * can carry a secret, since entries cannot hold one.
 *
 * @since 0.1.0
 */
import type { LedgerEntry } from "./LedgerEntry.ts"

/**
 * The fields of an entry in export order (the CSV header).
 *
 * @category constants
 * @since 0.1.0
 */
export const COLUMNS = [
  "entryId",
  "recordedAt",
  "requestId",
  "requestTimestamp",
  "serverTimestamp",
  "section",
  "operation",
  "sellerId",
  "marketplace",
  "httpStatus",
  "errorCode",
  "errorType",
  "errorClass",
  "message",
  "attempt",
  "callId",
  "durationMs",
  "delayBeforeMs",
  "quotaMax",
  "quotaRemaining",
  "quotaResetsOn",
  "outcome",
  "params"
] as const satisfies ReadonlyArray<keyof LedgerEntry>

/**
 * One entry as one line of JSON (no trailing newline), fields in
 * {@link COLUMNS} order.
 *
 * @category formatting
 * @since 0.1.0
 */
export const toJsonLine = (entry: LedgerEntry): string => {
  const ordered: Record<string, unknown> = {}
  for (const column of COLUMNS) ordered[column] = entry[column]
  return JSON.stringify(ordered)
}

/**
 * Entries as JSON Lines: one JSON object per line, each line ending in "\n".
 *
 * @category formatting
 * @since 0.1.0
 */
export const toJsonLines = (entries: Iterable<LedgerEntry>): string => {
  let out = ""
  for (const entry of entries) out += `${toJsonLine(entry)}\n`
  return out
}

/**
 * CSV options. `formulaGuard` (on by default) prefixes a text cell that
 * starts with `=`, `+`, `-`, `@`, a tab or a carriage return with `'`, so a
 * spreadsheet shows it as text instead of running it as a formula (OWASP,
 * "CSV Injection"). Numbers are never prefixed. Turn it off for tools that
 * read the CSV as data.
 *
 * @category models
 * @since 0.1.0
 */
export interface CsvOptions {
  readonly formulaGuard?: boolean | undefined
}

const formulaStart = /^[=+\-@\t\r]/
const needsQuotes = /[",\r\n]/

const cell = (value: unknown, formulaGuard: boolean): string => {
  if (value === null || value === undefined) return ""
  if (typeof value === "number") return String(value)
  let text = typeof value === "string" ? value : JSON.stringify(value)
  if (formulaGuard && formulaStart.test(text)) text = `'${text}`
  return needsQuotes.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

/**
 * The CSV header line (no line ending).
 *
 * @category formatting
 * @since 0.1.0
 */
export const csvHeader: string = COLUMNS.join(",")

/**
 * One entry as one CSV record (RFC 4180 quoting, no line ending); `params` is
 * a JSON object in one cell, `null` an empty cell.
 *
 * @category formatting
 * @since 0.1.0
 */
export const toCsvRow = (entry: LedgerEntry, options: CsvOptions = {}): string => {
  const guard = options.formulaGuard ?? true
  return COLUMNS.map((column) => cell(entry[column], guard)).join(",")
}

/**
 * Entries as a CSV document: the header, then one record per entry, each
 * line ending in CRLF (RFC 4180).
 *
 * @example
 * ```ts
 * import { LedgerExport } from "@mws-kit/request-ledger"
 *
 * LedgerExport.toCsv(entries).split("\r\n")[0] // "entryId,recordedAt,requestId,..."
 * ```
 *
 * @category formatting
 * @since 0.1.0
 */
export const toCsv = (entries: Iterable<LedgerEntry>, options: CsvOptions = {}): string => {
  let out = `${csvHeader}\r\n`
  for (const entry of entries) out += `${toCsvRow(entry, options)}\r\n`
  return out
}
