/**
 * Whether a checked request may run: its action must be one the sandbox
 * answers or the quota catalog knows, and the server's quotas must admit it.
 * An admitted request of a section that reports quotas gets the hourly
 * figures as response headers.
 */
import * as Sections from "../Sections.ts"
import { type Answer, errorAnswer, throttledAnswer } from "./answers.ts"
import type { Operation } from "./operations.ts"
import type { ServerQuotas } from "./serverQuotas.ts"

/** The verdict on a request: refused with an answer, or admitted (with quota headers to send, if any). @internal */
export type Admission =
  | { readonly _tag: "Refused"; readonly answer: Answer }
  | { readonly _tag: "Admitted"; readonly quotaHeaders: Readonly<Record<string, string>> | undefined }

/** A checked request, as admission sees it. @internal */
export interface AdmissionRequest {
  readonly section: Sections.Section
  readonly action: string
  readonly sellerId: string
  readonly params: ReadonlyMap<string, string>
  /** The sandbox's operation for the action, if it answers it. */
  readonly operation: Operation | undefined
  readonly requestId: string
}

const UTC_DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
const UTC_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

/** "Mon Mar 25 02:25:00 UTC 2019", the date format of QuotaExceeded messages (mws-facts 1.5). */
const quotaResetText = (millis: number): string => {
  const d = new Date(millis)
  const two = (n: number) => String(n).padStart(2, "0")
  return `${UTC_DAYS[d.getUTCDay()]} ${UTC_MONTHS[d.getUTCMonth()]} ${two(d.getUTCDate())} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`
}

const refused = (answer: Answer): Admission => ({ _tag: "Refused", answer })

/**
 * Admits a request, counting it against its quotas, or refuses it:
 * InvalidAction for an unknown action, RequestThrottled when its bucket is
 * empty, QuotaExceeded when its hourly quota is used up. `now` is read only
 * when the quotas are asked.
 *
 * @internal
 */
export const admit = (quotas: ServerQuotas, request: AdmissionRequest, now: () => number): Admission => {
  const { section, action, operation, requestId } = request
  if (operation === undefined && quotas.entry(section.name, action) === undefined) {
    return refused(
      errorAnswer(section, 400, "InvalidAction", `The action ${action} is not valid for this web service.`, requestId)
    )
  }
  const units = operation?.units?.(request.params) ?? 1
  const verdict = quotas.admit(request.sellerId, section.name, action, units, now())
  if (verdict._tag === "Throttled") return refused(throttledAnswer(section, requestId))
  if (verdict._tag === "QuotaExceeded") {
    const { max, resetsAt } = verdict.hourly
    return refused(
      errorAnswer(
        section,
        503,
        "QuotaExceeded",
        `You exceeded your quota of ${max.toFixed(1)} requests per 1 hour for operation ${section.name}/${section.version}/${action}.  Your quota will reset on ${quotaResetText(resetsAt)}`,
        requestId
      )
    )
  }
  if (verdict.hourly === undefined || !Sections.WITH_QUOTA_HEADERS.has(section.name)) {
    return { _tag: "Admitted", quotaHeaders: undefined }
  }
  return {
    _tag: "Admitted",
    quotaHeaders: {
      "x-mws-quota-max": verdict.hourly.max.toFixed(1),
      "x-mws-quota-remaining": verdict.hourly.remaining.toFixed(1),
      "x-mws-quota-resetsOn": new Date(verdict.hourly.resetsAt).toISOString()
    }
  }
}
