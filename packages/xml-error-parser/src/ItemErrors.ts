/**
 * Errors inside successful responses: Products operations answer 200 and
 * report a failed item as `<...Result status="ClientError"><Error>...`
 * (mws-facts section 2.2). This module finds those per-item errors, with the
 * item's identifier, in a body or in its tree already read by `XmlDocument`.
 *
 * @since 0.1.0
 */
import { ErrorCatalog, ErrorClass, MwsCatalog, MwsError, UnparseableErrorBody } from "@mws-kit/error-codes"
import { Result } from "effect"
import type { ParseOptions, ResponseInput } from "./ErrorResponse.ts"
import { sniff } from "./internal/sniff.ts"
import { excerptOf, toText } from "./internal/text.ts"
import { childText, list, record, text } from "./internal/tree.ts"
import { withoutStackTrace } from "./internal/withoutStackTrace.ts"
import * as Limits from "./Limits.ts"
import * as ResponseHeaders from "./ResponseHeaders.ts"
import * as XmlDocument from "./XmlDocument.ts"

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
 * What {@link fromDocument} needs besides the tree: the response's status
 * and headers and what the caller knows about the request (the
 * `ResponseInput` of `ErrorResponse`, without the body).
 *
 * @category models
 * @since 0.2.0
 */
export type DocumentInput = Omit<ResponseInput, "body">

/**
 * Finds the per-item errors in a success body already read by
 * `XmlDocument.read`, so the body is read once: a client that needs the tree
 * anyway passes it here instead of the text. No failed item is an empty list.
 * The catalog classifies the codes (the MWS catalog unless another is given).
 *
 * @example
 * ```ts
 * import { ItemErrors, XmlDocument } from "@mws-kit/xml-error-parser"
 *
 * const read = XmlDocument.read(getMatchingProductForIdBody, { maxDepth: 64 })
 * if (read._tag === "Parsed") {
 *   const items = ItemErrors.fromDocument(read, { status: 200, section: "Products" })
 *   // [{ element: "GetMatchingProductForIdResult", status: "ClientError", identifier: { Id: "B00000000", IdType: "ASIN" }, ... }]
 * }
 * ```
 *
 * @category parsing
 * @since 0.2.0
 */
export const fromDocument = (
  document: { readonly root: string; readonly document: XmlDocument.XmlObject },
  input: DocumentInput,
  options: { readonly catalog?: ErrorCatalog.ErrorCatalog | undefined } = {}
): ReadonlyArray<ItemError> => {
  const headers = ResponseHeaders.normalize(input.headers)
  const catalog = options.catalog ?? MwsCatalog.catalog
  const root = document.document
  const requestId =
    ResponseHeaders.requestId(headers) ?? childText(record(root.ResponseMetadata), "RequestId", "RequestID")
  const serverTimestamp = ResponseHeaders.serverTimestamp(headers)
  const found: Array<ItemError> = []

  // The tree's depth is bounded by the reader that built it.
  const visit = (name: string, node: unknown): void => {
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
        if (!childName.startsWith("@") && childName !== "Error" && typeof child === "object") visit(childName, child)
      }
    }
  }
  visit(document.root, root)
  return found
}

/** How a refused success body is classified, by why `XmlDocument` refused it. */
const REASONS: Readonly<Record<XmlDocument.Reason, UnparseableErrorBody.Reason>> = {
  "too-large": "too-large",
  declaration: "doctype",
  "malformed-xml": "malformed-xml",
  "unsafe-name": "unsafe-name",
  "no-root": "malformed-xml",
  "too-deep": "too-deep"
}

/**
 * Finds the per-item errors of a successful (2xx) response. The body is
 * read by `XmlDocument.read` (one pass, well-formedness checked, nesting
 * capped) under a larger size limit than error bodies
 * ({@link Limits.DEFAULT_MAX_SUCCESS_BODY_BYTES}); a body that cannot be read
 * is a `Failure` with the `UnparseableErrorBody`. No failed item is an empty
 * list. A client that reads the tree anyway uses {@link fromDocument}.
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
    // The size is checked in bytes above; a string is never longer in characters than in UTF-8 bytes.
    const read = XmlDocument.read(body.text, { maxDepth: limits.maxDepth, maxLength: limits.maxBodyBytes })
    if (read._tag === "Malformed") return reject(REASONS[read.reason], body.bytes, excerptOf(body.text), read.problem)
    return Result.succeed(fromDocument(read, { ...input, headers }, options))
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    return reject("malformed-xml", 0, "", `internal parser failure: ${message.slice(0, 160)}`)
  }
}
