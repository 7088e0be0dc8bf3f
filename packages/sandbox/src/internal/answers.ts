/**
 * The answers the sandbox sends, rendered: MWS XML error bodies, operation
 * responses, downloads and the HTML pages a load balancer sends.
 */
import * as Sections from "../Sections.ts"
import { md5Base64, type OperationResult } from "./operations.ts"
import { element } from "./xml.ts"

/** An answer ready to send: status, body, content type, headers of its own and the error code it carries. @internal */
export interface Answer {
  readonly status: number
  readonly body: string
  readonly contentType: string
  readonly headers?: Readonly<Record<string, string>>
  readonly code?: string
}

/** Codes whose error Type is Receiver (the service's fault); the rest are Sender, and RequestThrottled has none. */
const RECEIVER_CODES = new Set(["InternalError", "ServiceUnavailable"])

/**
 * An MWS `ErrorResponse` in the section's namespace, with the request id
 * element that section and status use (`RequestId` or `RequestID`).
 *
 * @internal
 */
export const errorAnswer = (
  section: Sections.Section | undefined,
  status: number,
  code: string,
  message: string,
  requestId: string
): Answer => {
  const type = code === "RequestThrottled" ? "" : RECEIVER_CODES.has(code) ? "Receiver" : "Sender"
  const idElement = Sections.requestIdElement(section?.name, status)
  const namespace = section?.errorNamespace ?? Sections.ROOT_NAMESPACE
  const detail = code === "RequestThrottled" ? "" : "\n    <Detail/>"
  return {
    status,
    code,
    contentType: "text/xml",
    body: `<?xml version="1.0"?>\n<ErrorResponse xmlns="${namespace}">\n  <Error>\n    <Type>${type}</Type>\n    ${element("Code", code)}\n    ${element("Message", message)}${detail}\n  </Error>\n  ${element(idElement, requestId)}\n</ErrorResponse>\n`
  }
}

/** The 503 RequestThrottled answer, as recorded (empty Type, no Detail). @internal */
export const throttledAnswer = (section: Sections.Section, requestId: string): Answer =>
  errorAnswer(section, 503, "RequestThrottled", "Request is throttled", requestId)

/** A load balancer's HTML error page (`502 Bad Gateway`, ...). @internal */
export const htmlPage = (status: number, title: string): Answer => ({
  status,
  contentType: "text/html",
  body: `<html>\r\n<head><title>${status} ${title}</title></head>\r\n<body>\r\n<center><h1>${status} ${title}</h1></center>\r\n</body>\r\n</html>\r\n`
})

/**
 * An operation's 200 answer: `<{Action}Response>` around its result (wrapped
 * in `<{Action}Result>` for a single one) and the `ResponseMetadata`.
 *
 * @internal
 */
const resultAnswer = (
  section: Sections.Section,
  action: string,
  result: Extract<OperationResult, { readonly _tag: "Result" | "Results" }>,
  requestId: string
): Answer => {
  const inner = result._tag === "Result" ? `<${action}Result>${result.xml}</${action}Result>` : result.xml
  return {
    status: 200,
    contentType: "text/xml",
    body: `<?xml version="1.0"?>\n<${action}Response xmlns="${section.namespace}">${inner}<ResponseMetadata>${element("RequestId", requestId)}</ResponseMetadata></${action}Response>\n`
  }
}

/**
 * A download's 200 answer: the document as is with its true Content-MD5,
 * or, when `corrupt`, a body with one character changed (the header stays
 * the true one, so the client's check fails).
 *
 * @internal
 */
const downloadAnswer = (result: Extract<OperationResult, { readonly _tag: "Download" }>, corrupt: boolean): Answer => ({
  status: 200,
  body: corrupt ? `${result.body.slice(0, -2)}#${result.body.slice(-1)}` : result.body,
  contentType: result.contentType,
  headers: { "content-md5": md5Base64(result.body) }
})

/**
 * The answer to an operation's result: its MWS error, its download (asking
 * `corruptDownload` whether to corrupt it) or its 200 response.
 *
 * @internal
 */
export const operationAnswer = (
  section: Sections.Section,
  action: string,
  result: OperationResult,
  requestId: string,
  corruptDownload: () => boolean
): Answer => {
  switch (result._tag) {
    case "Error":
      return errorAnswer(section, result.status, result.code, result.message, requestId)
    case "Download":
      return downloadAnswer(result, corruptDownload())
    case "Result":
    case "Results":
      return resultAnswer(section, action, result, requestId)
  }
}
