/**
 * Successful MWS responses, parsed: the XML body as a plain tree with the
 * response metadata (request id, the request's Timestamp, the server's
 * timestamp, quota headers), and the document of a download with its
 * Content-MD5.
 *
 * A body is read once, by `XmlDocument` of `@mws-kit/xml-error-parser` (the
 * reader its error parser uses): one pass that checks it is well-formed XML
 * and builds the tree, in time linear in the body whatever it holds. It is
 * hardened as error bodies are (storage-and-xml.md section 4): a DOCTYPE or
 * entity declaration is refused; no entity is expanded, only the five
 * predefined ones and numeric references are decoded, once; values stay
 * strings (`0123` stays `0123`); namespace prefixes are dropped; nesting and
 * size are capped; `__proto__`, `constructor` and `prototype` element and
 * attribute names are refused. A body that is not well formed (a truncated
 * 200) is a typed error.
 *
 * @since 0.1.0
 */
import type { QuotaInfo } from "@mws-kit/error-codes"
import { type ItemErrors, SafeXml, XmlDocument } from "@mws-kit/xml-error-parser"
import { Schema } from "effect"

/**
 * The deepest nesting read: 64 levels. MWS success documents nest about
 * ten deep (ListOrders: Response, Result, Orders, Order, OrderTotal, ...);
 * the cap bounds the tree's depth for code that walks it.
 *
 * @category constants
 * @since 0.1.0
 */
export const MAX_DEPTH = 64

/**
 * The largest success body parsed into a tree: 32 MiB. A ListOrders page of
 * 100 orders is a few hundred KiB; reports and feed results are downloads
 * and are not parsed.
 *
 * @category constants
 * @since 0.1.0
 */
export const MAX_BODY_BYTES = 32 * 1024 * 1024

/**
 * A parsed XML element: attributes as `@name`, text as `#text` when the
 * element also has children or attributes, repeated children as arrays
 * (`XmlDocument.XmlValue`).
 *
 * @category models
 * @since 0.1.0
 */
export type XmlValue = XmlDocument.XmlValue

/**
 * A parsed XML element with children (`XmlDocument.XmlObject`).
 *
 * @category models
 * @since 0.1.0
 */
export type XmlObject = XmlDocument.XmlObject

/**
 * What the response said about itself.
 *
 * @category models
 * @since 0.1.0
 */
export interface ResponseMetadata {
  /** `x-mws-request-id` (else the body's `ResponseMetadata/RequestId`). */
  readonly requestId: string | undefined
  /** The request's own `Timestamp` parameter, as signed and sent: the one to quote to support. */
  readonly requestTimestamp: string
  /** `x-mws-timestamp`. */
  readonly serverTimestamp: string | undefined
  readonly httpStatus: number
  /** `x-mws-quota-max` / `-remaining` / `-resetsOn` (Feeds, Reports and Products only). */
  readonly quota: QuotaInfo.QuotaHeaders | undefined
  /** The logical call these attempts belong to (the ledger's `callId`). */
  readonly callId: string
  /** Which attempt succeeded (1 for the first). */
  readonly attempt: number
  /** How long the successful attempt took, in milliseconds. */
  readonly durationMs: number
  /** How long the successful attempt waited for its throttle permit, in milliseconds. */
  readonly throttleWaitMs: number
}

/**
 * A parsed success response. The body was read (well formed, no
 * declaration, bounded) before the call succeeded, and its tree kept: `result`
 * and `document` read it, nothing parses the body again.
 *
 * @category models
 * @since 0.1.0
 */
export interface MwsResponse {
  readonly section: string
  readonly operation: string
  /** The `<{Operation}Result>` element (the first, when the response has several). */
  readonly result: XmlObject
  /** The whole `<{Operation}Response>` element. */
  readonly document: XmlObject
  /** The body as received. */
  readonly xml: string
  /** Per-item errors inside the 200 (Products), classified. */
  readonly itemErrors: ReadonlyArray<ItemErrors.ItemError>
  readonly metadata: ResponseMetadata
}

/**
 * A downloaded document (GetReport, GetFeedSubmissionResult), checked against
 * its Content-MD5.
 *
 * @category models
 * @since 0.1.0
 */
export interface MwsDocument {
  readonly section: string
  readonly operation: string
  /** The document's bytes, as received. */
  readonly bytes: Uint8Array
  /** The document as text (UTF-8). */
  readonly text: string
  readonly contentType: string | undefined
  /** The Content-MD5 it came with, which matched. */
  readonly contentMd5: string | undefined
  readonly metadata: ResponseMetadata
}

/**
 * Why a success body could not be read.
 *
 * @category schemas
 * @since 0.1.0
 */
export const MalformedReason = Schema.Literals(["too-large", "declaration", "malformed-xml", "unsafe-name", "no-root"])

/**
 * A 2xx response whose body is not a readable MWS document (truncated, not
 * XML, hostile). The request was processed, so the call is retried only when
 * the operation is idempotent.
 *
 * @category errors
 * @since 0.1.0
 */
export class MalformedResponse extends Schema.TaggedError<MalformedResponse>()("MalformedResponse", {
  reason: MalformedReason,
  problem: Schema.String,
  section: Schema.String,
  operation: Schema.String,
  httpStatus: Schema.Int,
  requestId: Schema.optionalKey(Schema.String),
  requestTimestamp: Schema.String
}) {
  override get message(): string {
    return `MalformedResponse (${this.reason}: ${this.problem}) on ${this.section}/${this.operation} (HTTP ${this.httpStatus}, RequestId ${this.requestId ?? "unknown"}, Timestamp ${this.requestTimestamp})`
  }
}

/**
 * Decodes the five predefined entities and numeric references in one pass;
 * anything else (`&foo;`) stays as written. The same function as
 * `SafeXml.decodeEntities` of `@mws-kit/xml-error-parser`.
 *
 * @category parsing
 * @since 0.1.0
 */
export const decodeEntities: (text: string) => string = SafeXml.decodeEntities

/**
 * The outcome of parsing a success body.
 *
 * @category models
 * @since 0.1.0
 */
export type ParseOutcome =
  | { readonly _tag: "Parsed"; readonly root: string; readonly document: XmlObject }
  | { readonly _tag: "Malformed"; readonly reason: typeof MalformedReason.Type; readonly problem: string }

/**
 * Checks and parses a success body into its root element's name and tree,
 * in one pass (`XmlDocument.read`, capped at {@link MAX_DEPTH} and
 * {@link MAX_BODY_BYTES}): what the client does with every 2xx body. Never
 * throws.
 *
 * @example
 * ```ts
 * import { ResponseBody } from "@mws-kit/mws-client"
 *
 * ResponseBody.parse("<GetServiceStatusResponse><GetServiceStatusResult><Status>GREEN</Status></GetServiceStatusResult></GetServiceStatusResponse>")
 * // { _tag: "Parsed", root: "GetServiceStatusResponse", document: { GetServiceStatusResult: { Status: "GREEN" } } }
 * ```
 *
 * @category parsing
 * @since 0.1.0
 */
export const parse = (text: string): ParseOutcome => {
  const read = XmlDocument.read(text, { maxDepth: MAX_DEPTH, maxLength: MAX_BODY_BYTES })
  if (read._tag === "Parsed") return read
  // Nesting past the cap is malformed for the client, as it always was.
  return {
    _tag: "Malformed",
    reason: read.reason === "too-deep" ? "malformed-xml" : read.reason,
    problem: read.problem
  }
}

/**
 * Checks a success body: size, no DOCTYPE or entity declaration, well-formed
 * XML (a truncated body fails), one root, nesting under {@link MAX_DEPTH}, no
 * reserved element or attribute name. `undefined` when the body is fine.
 * Never throws. It reads the body as {@link parse} does and drops the tree:
 * to keep the tree, call {@link parse}.
 *
 * @category parsing
 * @since 0.1.0
 */
export const check = (text: string): Extract<ParseOutcome, { _tag: "Malformed" }> | undefined => {
  const outcome = parse(text)
  return outcome._tag === "Malformed" ? outcome : undefined
}

/**
 * The root element's name and content of a body {@link check} accepts (as
 * {@link parse} reads it). Never throws: a body that fails gives an empty
 * document.
 *
 * @category parsing
 * @since 0.1.0
 */
export const tree = (text: string): { readonly root: string; readonly document: XmlObject } => {
  const outcome = parse(text)
  return outcome._tag === "Parsed" ? { root: outcome.root, document: outcome.document } : { root: "", document: {} }
}

/**
 * The `<{Operation}Result>` element of a response document: the first one
 * when there are several (Products list operations answer one per item), or
 * the whole document when there is none.
 *
 * @category getters
 * @since 0.1.0
 */
export const resultOf = (document: XmlObject, operation: string): XmlObject => {
  const value = document[`${operation}Result`]
  const first = Array.isArray(value) ? value[0] : value
  if (typeof first === "object" && first !== null && !Array.isArray(first)) return first as XmlObject
  return document
}

/**
 * The request id in a success body's `<ResponseMetadata><RequestId>`.
 *
 * @category getters
 * @since 0.1.0
 */
export const bodyRequestId = (document: XmlObject): string | undefined => {
  const metadata = document.ResponseMetadata
  if (typeof metadata !== "object" || metadata === null || Array.isArray(metadata)) return undefined
  const id = (metadata as XmlObject).RequestId
  return typeof id === "string" && id !== "" ? id : undefined
}

/**
 * A text child of an element, or `undefined`.
 *
 * @example
 * ```ts
 * import { ResponseBody } from "@mws-kit/mws-client"
 *
 * declare const response: ResponseBody.MwsResponse
 * ResponseBody.text(response.result, "NextToken") // the next page's token, if any
 * ```
 *
 * @category getters
 * @since 0.1.0
 */
export const text = (element: XmlObject, name: string): string | undefined => {
  const value = element[name]
  if (typeof value === "string") return value
  if (typeof value === "object" && value !== null && !Array.isArray(value)) {
    const inner = (value as XmlObject)["#text"]
    return typeof inner === "string" ? inner : undefined
  }
  return undefined
}

/**
 * A child that may be repeated, always as an array (empty when absent).
 *
 * @category getters
 * @since 0.1.0
 */
export const list = (element: XmlObject | undefined, name: string): ReadonlyArray<XmlValue> => {
  if (element === undefined) return []
  const value = element[name]
  if (value === undefined || value === "") return []
  return Array.isArray(value) ? value : [value as XmlValue]
}

/**
 * A child element, or `undefined` when absent or not an element.
 *
 * @category getters
 * @since 0.1.0
 */
export const child = (element: XmlObject | undefined, name: string): XmlObject | undefined => {
  const value = element?.[name]
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as XmlObject) : undefined
}

/**
 * A success response over a body {@link check} accepted. Given `document`
 * (the tree {@link parse} read), `result` and `document` use it; without it
 * (since 0.1.0), they parse `xml` on first read, once.
 *
 * @category constructors
 * @since 0.1.0
 */
export const makeResponse = (input: {
  readonly section: string
  readonly operation: string
  readonly xml: string
  /** The tree already read from `xml` (since 0.2.0): nothing is parsed again. */
  readonly document?: XmlObject | undefined
  readonly itemErrors: ReadonlyArray<ItemErrors.ItemError>
  readonly metadata: ResponseMetadata
}): MwsResponse => {
  let parsed: XmlObject | undefined = input.document
  const document = (): XmlObject => {
    if (parsed === undefined) parsed = tree(input.xml).document
    return parsed
  }
  return {
    section: input.section,
    operation: input.operation,
    xml: input.xml,
    itemErrors: input.itemErrors,
    metadata: input.metadata,
    get document() {
      return document()
    },
    get result() {
      return resultOf(document(), input.operation)
    },
    toJSON() {
      return {
        section: input.section,
        operation: input.operation,
        result: resultOf(document(), input.operation),
        itemErrors: input.itemErrors,
        metadata: input.metadata
      }
    }
  } as MwsResponse
}
