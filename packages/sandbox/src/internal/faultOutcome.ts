/**
 * What an injected fault does to a request: answer in its place, drop the
 * connection, stream a huge body, or let the usual answer follow (late, for
 * a `delay`; cut short by the exchange, for `reset-mid-body`).
 */
import type * as Faults from "../Faults.ts"
import type * as Sections from "../Sections.ts"
import { type Answer, errorAnswer, htmlPage, throttledAnswer } from "./answers.ts"

/** What the handler does about a request's fault. @internal */
export type FaultOutcome =
  /** No fault, or one the exchange applies to the usual answer. */
  | { readonly _tag: "Proceed" }
  /** Wait `ms`, then answer as usual. */
  | { readonly _tag: "Delay"; readonly ms: number }
  /** Destroy the connection without an answer. */
  | { readonly _tag: "Drop" }
  /** Send this answer instead of the usual one. */
  | { readonly _tag: "Answer"; readonly answer: Answer }
  /** Stream a body of `mib` MiB. */
  | { readonly _tag: "Huge"; readonly status: number; readonly code: string | undefined; readonly mib: number }

const PROCEED: FaultOutcome = { _tag: "Proceed" }

const answer = (value: Answer): FaultOutcome => ({ _tag: "Answer", answer: value })

/** What `fault` (drawn for a request to `section`) does to it. @internal */
export const faultOutcome = (
  fault: Faults.Fault | undefined,
  section: Sections.Section,
  requestId: string
): FaultOutcome => {
  if (fault === undefined) return PROCEED
  switch (fault.kind) {
    case "reset":
      return { _tag: "Drop" }
    case "delay":
      return { _tag: "Delay", ms: fault.ms }
    case "reset-mid-body":
      return PROCEED // the usual answer, cut off by the exchange
    case "internal-error":
    case "truncated":
      return answer(
        errorAnswer(section, 500, "InternalError", "We encountered an internal error. Please try again.", requestId)
      )
    case "service-unavailable":
      return answer(
        errorAnswer(section, 503, "ServiceUnavailable", "Service temporarily unavailable. Please try again.", requestId)
      )
    case "request-throttled":
      return answer(throttledAnswer(section, requestId))
    case "html-502":
      return answer(htmlPage(502, "Bad Gateway"))
    case "html-503":
      return answer(htmlPage(503, "Service Temporarily Unavailable"))
    case "empty":
      return answer({ status: 503, body: "", contentType: "text/plain" })
    case "huge-body":
      return { _tag: "Huge", status: 200, code: undefined, mib: fault.mib }
    case "huge-error":
      return { _tag: "Huge", status: 500, code: "InternalError", mib: fault.mib }
  }
}
