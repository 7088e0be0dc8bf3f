/**
 * The "best example request that generated the error", as MWS support asks
 * for it, rendered as a plain-text block ready to paste into a support
 * case: RequestId, the request's Timestamp, the server's timestamp, section
 * and operation, seller, marketplace, status, code, type, message, and every
 * attempt of the same call with its own RequestId and Timestamp. It holds no
 * secret: it is built from ledger entries, which cannot hold one.
 *
 * @since 0.1.0
 */
import type { ErrorClass, LedgerEntry } from "./LedgerEntry.ts"

/**
 * Which error the example is for: an error code, or an error class.
 *
 * @category models
 * @since 0.1.0
 */
export type ExampleMatch = { readonly errorCode: string } | { readonly errorClass: ErrorClass }

const oneLine = (text: string): string => text.replace(/[\r\n\t]+/g, " ").trim()

const show = (value: string | number | null): string => (value === null ? "(unknown)" : oneLine(String(value)))

const outcomeText: Record<LedgerEntry["outcome"], string> = {
  success: "success",
  retried: "retried (another attempt followed)",
  "gave-up": "gave up after the last retry: needs manual follow-up",
  failed: "failed, not retried (not retryable, not safe to repeat, or retries were off)",
  "in-flight": "in flight: sent or about to be sent, and its end was never recorded (the process may have stopped)",
  interrupted: "interrupted on our side before an answer came: MWS may or may not have processed it"
}

/**
 * What an example is for, in words: `error code RequestThrottled`.
 *
 * @category formatting
 * @since 0.1.0
 */
export const describeMatch = (match: ExampleMatch): string =>
  "errorCode" in match ? `error code ${match.errorCode}` : `error class ${match.errorClass}`

/**
 * Renders the support block for an entry and the attempts of its call (in
 * any order; they are listed by attempt number). Fields the ledger does not
 * have say "(unknown)".
 *
 * @example
 * ```ts
 * import { SupportTicket } from "@mws-kit/request-ledger"
 *
 * SupportTicket.render(entry, attempts)
 * // MWS support request: example of RequestThrottled
 * // RequestId:          b7afc6c3-6f75-4707-bcf4-0475ad23162c
 * // Timestamp:          2026-11-25T10:00:00Z (the request's Timestamp parameter)
 * // ...
 * ```
 *
 * @category formatting
 * @since 0.1.0
 */
export const render = (entry: LedgerEntry, attempts: ReadonlyArray<LedgerEntry> = [entry]): string => {
  const params = Object.entries(entry.params)
  const lines = [
    `MWS support request: example of ${show(entry.errorCode ?? entry.errorClass ?? "a request")}`,
    `RequestId:          ${show(entry.requestId)}`,
    `Timestamp:          ${show(entry.requestTimestamp)} (the request's Timestamp parameter)`,
    `Server timestamp:   ${show(entry.serverTimestamp)} (x-mws-timestamp)`,
    `Section/operation:  ${show(entry.section)} / ${show(entry.operation)}`,
    `Seller id:          ${show(entry.sellerId)}`,
    `Marketplace:        ${show(entry.marketplace)}`,
    `HTTP status:        ${show(entry.httpStatus)}`,
    `Error code:         ${show(entry.errorCode)}`,
    `Error type:         ${show(entry.errorType)}`,
    `Error class:        ${show(entry.errorClass)}`,
    `Message:            ${show(entry.message)}`,
    `Outcome:            ${outcomeText[entry.outcome]}`,
    `Attempt:            ${entry.attempt} of call ${show(entry.callId)}`,
    `Recorded at:        ${show(entry.recordedAt)}`
  ]
  if (params.length > 0) {
    lines.push(`Request parameters: ${params.map(([name, value]) => `${name}=${oneLine(value)}`).join(", ")}`)
  }
  const ordered = [...attempts].sort((a, b) => a.attempt - b.attempt || (a.recordedAt < b.recordedAt ? -1 : 1))
  lines.push("", `Attempts of this call (${ordered.length}):`)
  for (const attempt of ordered) {
    const failure = attempt.errorCode === null ? "" : `  ${show(attempt.errorCode)}`
    lines.push(
      `  #${attempt.attempt}  RequestId ${show(attempt.requestId)}  Timestamp ${show(attempt.requestTimestamp)}` +
        `  HTTP ${show(attempt.httpStatus)}${failure}  ${attempt.outcome}`
    )
  }
  return lines.join("\n")
}
