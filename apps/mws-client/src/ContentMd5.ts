/**
 * Content-MD5: the base64 MD5 of a body (MWS Developer Guide, "Using the
 * Content-MD5 header"; mws-facts 4.3). SubmitFeed sends it as the
 * `ContentMD5Value` parameter, so it is signed with the request; downloads
 * (GetReport, GetFeedSubmissionResult) are checked against the response's
 * `Content-MD5` header.
 *
 * @since 0.1.0
 */
import { createHash } from "node:crypto"

/**
 * The parameter SubmitFeed carries the feed's MD5 in: preferred over the
 * `Content-MD5` header because it becomes part of the signature
 * (Feeds_SubmitFeed; mws-facts 4.3).
 *
 * @category constants
 * @since 0.1.0
 */
export const PARAMETER = "ContentMD5Value"

/**
 * Operations whose response body is a document with a `Content-MD5` header
 * to check (Reports_GetReport, Feeds_GetFeedSubmissionResult).
 *
 * @category constants
 * @since 0.1.0
 */
export const DOWNLOAD_OPERATIONS: ReadonlySet<string> = new Set(["GetReport", "GetFeedSubmissionResult"])

/**
 * The base64 of the MD5 of the bytes (a string is read as UTF-8).
 *
 * @example
 * ```ts
 * import { ContentMd5 } from "@mws-kit/mws-client"
 *
 * ContentMd5.of("") // "1B2M2Y8AsgTpgAmY7PhCfg==" (the MD5 of nothing: the drained-stream mistake)
 * ```
 *
 * @category constructors
 * @since 0.1.0
 */
export const of = (body: string | Uint8Array): string => createHash("md5").update(body).digest("base64")

/**
 * Whether a body matches the `Content-MD5` it came with. A missing header
 * counts as a match (nothing to check).
 *
 * @category predicates
 * @since 0.1.0
 */
export const matches = (body: string | Uint8Array, header: string | undefined): boolean =>
  header === undefined || header.trim() === "" || of(body) === header.trim()

/**
 * Whether a base64 MD5 computed on the way (while the body streamed in)
 * matches the `Content-MD5` header. A missing header counts as a match.
 *
 * @category predicates
 * @since 0.2.0
 */
export const matchesDigest = (digest: string, header: string | undefined): boolean =>
  header === undefined || header.trim() === "" || digest === header.trim()
