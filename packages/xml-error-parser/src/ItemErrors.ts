/**
 * Errors inside successful responses: Products operations answer 200 and
 * report a failed item as `<...Result status="ClientError"><Error>...`
 * (mws-facts section 2.2). This module finds those per-item errors, with the
 * item's identifier.
 *
 * @since 0.1.0
 */
import { ErrorCatalog, ErrorClass, MwsCatalog, MwsError, UnparseableErrorBody } from "@mws-kit/error-codes"
import { Result } from "effect"
import type { ParseOptions, ResponseInput } from "./ErrorResponse.ts"
import { excerptOf, toText } from "./internal/text.ts"
import { childText, list, record, text } from "./internal/tree.ts"
import { withoutStackTrace } from "./internal/withoutStackTrace.ts"
import { parseXml, sniff } from "./internal/xml.ts"
import * as Limits from "./Limits.ts"
import * as ResponseHeaders from "./ResponseHeaders.ts"

/**
 * One failed item of a successful response.
 *
 * @category models
 * @since 0.1.0
 */
export interface ItemError {
  /** The result element that holds it, e.g. `GetMatchingProductForIdResult`. */
  readonly element: string
  /** The item's status, e.g. `ClientError` (from the `status` attribute or a `<Status>` child). */
  readonly status: string
  /** What identifies the item: the result element's attributes (`Id`, `IdType`, `ASIN`, `SellerSKU`...) or its identifier element. */
  readonly identifier: Readonly<Record<string, string>>
  /** The item's error, classified like any other. */
  readonly error: MwsError.MwsError
}

const SUCCESS = "success"

const identifierOf = (fields: Record<string, unknown>): Record<string, string> => {
  const identifier: Record<string, string> = {}
  for (const [key, value] of Object.entries(fields)) {
    if (key.startsWith("@") && key !== "@status" && typeof value === "string") identifier[key.slice(1)] = value
  }
  // GetMyFeesEstimate: <FeesEstimateResult><FeesEstimateIdentifier><IdValue>...</IdValue>...
  const nested = record(fields.FeesEstimateIdentifier)
  if (nested !== undefined) {
    for (const [key, value] of Object.entries(nested)) {
      const valueText = text(value)
      if (valueText !== undefined && valueText !== "" && typeof value !== "object") identifier[key] = valueText
    }
  }
  return identifier
}

/**
 * Finds the per-item errors of a successful (2xx) response. The body is
 * parsed with the same hardening as error bodies, under a larger size limit
 * ({@link Limits.DEFAULT_MAX_SUCCESS_BODY_BYTES}); a body that cannot be
 * parsed is a `Failure` with the `UnparseableErrorBody`. No failed item is an
 * empty list.
 *
 * @example
 * ```ts
 * import { ItemErrors } from "@mws-kit/xml-error-parser"
 *
 * const result = ItemErrors.fromSuccessBody({ status: 200, body: getMatchingProductForIdBody })
 * // Success([{ element: "GetMatchingProductForIdResult", status: "ClientError",
 * //            identifier: { Id: "B00000000", IdType: "ASIN" }, error: MwsError(InvalidParameterValue) }])
 * ```
 *
 * @category parsing
 * @since 0.1.0
 */
export const fromSuccessBody = (
  input: ResponseInput,
  options: ParseOptions = {}
): Result.Result<ReadonlyArray<ItemError>, UnparseableErrorBody.UnparseableErrorBody> => {
  const limits = Limits.resolve(options, { ...Limits.DEFAULTS, maxBodyBytes: Limits.DEFAULT_MAX_SUCCESS_BODY_BYTES })
  const headers = ResponseHeaders.normalize(input.headers)
  const catalog = options.catalog ?? MwsCatalog.catalog
  const headerRequestId = ResponseHeaders.requestId(headers)
  const reject = (reason: UnparseableErrorBody.Reason, bodyBytes: number, excerpt: string, problem?: string) =>
    Result.fail(
      withoutStackTrace(
        () =>
          new UnparseableErrorBody.UnparseableErrorBody({
            reason,
            errorClass: ErrorClass.fromHttpStatus(input.status),
            httpStatus: input.status,
            ...(headerRequestId === undefined ? {} : { requestId: headerRequestId }),
            bodyBytes,
            excerpt,
            ...(problem === undefined ? {} : { problem })
          })
      )
    )
  try {
    const body = toText(input.body, limits.maxBodyBytes)
    if (body._tag === "TooLarge") return reject("too-large", body.bytes, excerptOf(body.head))
    if (body._tag === "Binary") return reject("binary", body.bytes, body.excerpt)
    const kind = sniff(body.text, ResponseHeaders.contentType(headers))
    if (kind !== "xml") return reject(kind, body.bytes, excerptOf(body.text))
    const xml = parseXml(body.text, limits.maxDepth, true)
    if (xml._tag === "Rejected") return reject(xml.reason, body.bytes, excerptOf(body.text), xml.problem)

    const rootName = Object.keys(xml.tree)[0]
    const root = rootName === undefined ? undefined : record(xml.tree[rootName])
    const requestId = headerRequestId ?? childText(record(root?.ResponseMetadata), "RequestId", "RequestID")
    const serverTimestamp = ResponseHeaders.serverTimestamp(headers)
    const found: Array<ItemError> = []

    const visit = (name: string, node: unknown, depth: number): void => {
      if (depth > limits.maxDepth) return
      for (const element of list(node)) {
        const fields = record(element)
        if (fields === undefined) continue
        const status = (typeof fields["@status"] === "string" ? fields["@status"] : childText(fields, "Status")) ?? ""
        if (name.endsWith("Result") && fields.Error !== undefined && status.toLowerCase() !== SUCCESS) {
          for (const errorNode of list(fields.Error)) {
            const code = childText(errorNode, "Code")
            if (!code) continue
            const typeText = (childText(errorNode, "Type") ?? "").toLowerCase()
            const { errorClass, known } = ErrorCatalog.classify(catalog, code, undefined, input.section)
            found.push({
              element: name,
              status,
              identifier: identifierOf(fields),
              error: withoutStackTrace(
                () =>
                  new MwsError.MwsError({
                    code,
                    errorClass,
                    known,
                    type: typeText === "sender" ? "Sender" : typeText === "receiver" ? "Receiver" : "",
                    mwsMessage: childText(errorNode, "Message") ?? "",
                    httpStatus: input.status,
                    ...(requestId === undefined ? {} : { requestId }),
                    ...(input.requestTimestamp === undefined ? {} : { requestTimestamp: input.requestTimestamp }),
                    ...(serverTimestamp === undefined ? {} : { serverTimestamp }),
                    ...(input.section === undefined ? {} : { section: input.section }),
                    ...(input.operation === undefined ? {} : { operation: input.operation })
                  })
              )
            })
          }
        }
        for (const [childName, child] of Object.entries(fields)) {
          if (!childName.startsWith("@") && childName !== "Error" && typeof child === "object") {
            visit(childName, child, depth + 1)
          }
        }
      }
    }
    if (rootName !== undefined) visit(rootName, xml.tree[rootName], 0)
    return Result.succeed(found)
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    return reject("malformed-xml", 0, "", `internal parser failure: ${message.slice(0, 160)}`)
  }
}
