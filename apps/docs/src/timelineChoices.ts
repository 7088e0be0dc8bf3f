/**
 * What the retry timeline page lets a reader pick, read from the packages'
 * catalogs: every error code grouped by its class, and every throttled
 * operation with its restore interval.
 */
import { ErrorClass, MwsCatalog } from "@mws-kit/error-codes"
import * as MwsQuotas from "@mws-kit/throttle/MwsQuotas"
import * as QuotaCatalog from "@mws-kit/throttle/QuotaCatalog"

/** One code the reader can pick. */
export interface CodeChoice {
  readonly code: string
  readonly errorClass: ErrorClass.ErrorClass
  readonly httpStatus: number | null
}

/** One operation the reader can pick, named `Section/Operation`. */
export interface OperationChoice {
  readonly id: string
  readonly section: string
  readonly operation: string
  readonly restoreIntervalMs: number
}

/** The code each class starts with on the page: the one the class is best known by. */
export const REPRESENTATIVE_CODES: { readonly [C in ErrorClass.ErrorClass]?: string } = {
  transient: "InternalError",
  throttled: "RequestThrottled",
  "quota-exceeded": "QuotaExceeded",
  auth: "AccessDenied",
  client: "InvalidParameterValue"
}

/** Every class with its codes (each code once, in catalog order), classes in the order of `ErrorClass.all`. */
export const codesByClass = (): ReadonlyArray<{
  readonly errorClass: ErrorClass.ErrorClass
  readonly codes: ReadonlyArray<CodeChoice>
}> => {
  const seen = new Set<string>()
  const groups = new Map<ErrorClass.ErrorClass, Array<CodeChoice>>(ErrorClass.all.map((c) => [c, []]))
  for (const entry of MwsCatalog.catalog.entries) {
    if (seen.has(entry.code)) continue
    seen.add(entry.code)
    groups.get(entry.errorClass)?.push({ code: entry.code, errorClass: entry.errorClass, httpStatus: entry.httpStatus })
  }
  return [...groups].filter(([, codes]) => codes.length > 0).map(([errorClass, codes]) => ({ errorClass, codes }))
}

/** The code a class starts with: its representative, else its first code. */
export const firstCodeOf = (errorClass: ErrorClass.ErrorClass): string | undefined => {
  const group = codesByClass().find((g) => g.errorClass === errorClass)
  const representative = REPRESENTATIVE_CODES[errorClass]
  if (representative !== undefined && group?.codes.some((c) => c.code === representative)) return representative
  return group?.codes[0]?.code
}

/** Every operation of the quota catalog, in catalog order. */
export const operations = (): ReadonlyArray<OperationChoice> =>
  MwsQuotas.catalog.entries.map((entry) => ({
    id: `${entry.section}/${entry.operation}`,
    section: entry.section,
    operation: entry.operation,
    restoreIntervalMs: QuotaCatalog.unitIntervalMs(entry)
  }))

/**
 * Parses the custom delays field: seconds separated by commas or spaces
 * ("0, 1, 4, 10, 30"). Returns the delays in milliseconds, or a message
 * saying what is wrong.
 */
export const parseDelays = (
  text: string
): { readonly delaysMs: ReadonlyArray<number> } | { readonly error: string } => {
  const parts = text
    .split(/[\s,]+/)
    .map((part) => part.trim())
    .filter((part) => part.length > 0)
  if (parts.length === 0) return { error: "Give at least one delay, in seconds (for example: 0, 1, 4, 10, 30)." }
  const delaysMs: Array<number> = []
  for (const part of parts) {
    const seconds = Number(part)
    if (!Number.isFinite(seconds) || seconds < 0) return { error: `"${part}" is not a number of seconds >= 0.` }
    delaysMs.push(Math.round(seconds * 1000))
  }
  return { delaysMs }
}

/** A duration as a reader says it: "0 s", "1.5 s", "2 min", "1 h 5 min". */
export const formatDuration = (ms: number): string => {
  if (ms < 60_000) {
    const seconds = Math.round(ms / 10) / 100
    return `${seconds} s`
  }
  const totalSeconds = Math.round(ms / 1000)
  const hours = Math.floor(totalSeconds / 3600)
  const minutes = Math.floor((totalSeconds % 3600) / 60)
  const seconds = totalSeconds % 60
  const parts = [hours > 0 ? `${hours} h` : "", minutes > 0 ? `${minutes} min` : "", seconds > 0 ? `${seconds} s` : ""]
  return parts.filter((p) => p !== "").join(" ")
}
