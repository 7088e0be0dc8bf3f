/**
 * Downloads streamed to a file (GetReport, GetFeedSubmissionResult): the
 * body goes to `<path>.partial` as it arrives, its MD5 computed on the way,
 * and the file is renamed to `path` only once the MD5 matches the response's
 * `Content-MD5`. A corrupted download is removed and retried like any other
 * (three more attempts); memory stays flat whatever the report's size.
 *
 * @since 0.2.0
 */
import { Schema } from "effect"
import type * as ResponseBody from "./ResponseBody.ts"

/**
 * The suffix of the file a download is written to until its MD5 is checked.
 *
 * @category constants
 * @since 0.2.0
 */
export const PARTIAL_SUFFIX = ".partial"

/**
 * A download written to a file, its Content-MD5 checked.
 *
 * @category models
 * @since 0.2.0
 */
export interface DownloadedFile {
  readonly section: string
  readonly operation: string
  /** Where the document is. */
  readonly path: string
  /** Its size in bytes. */
  readonly bytes: number
  readonly contentType: string | undefined
  /** The Content-MD5 it came with, which matched. */
  readonly contentMd5: string | undefined
  readonly metadata: ResponseBody.ResponseMetadata
}

/**
 * A download arrived but could not be written to its file (a full disk, a
 * directory that does not exist, no permission). Not retried: the next
 * attempt would fail the same way. `reason` is the system's code and
 * message; the RequestId names the response for support.
 *
 * @category errors
 * @since 0.2.0
 */
export class DownloadWriteError extends Schema.TaggedError<DownloadWriteError>()("DownloadWriteError", {
  section: Schema.String,
  operation: Schema.String,
  path: Schema.String,
  reason: Schema.String,
  httpStatus: Schema.Int,
  requestId: Schema.optionalKey(Schema.String),
  requestTimestamp: Schema.String
}) {
  override get message(): string {
    return `DownloadWriteError: cannot write ${this.section}/${this.operation} to ${this.path}: ${this.reason} (HTTP ${this.httpStatus}, RequestId ${this.requestId ?? "unknown"}, Timestamp ${this.requestTimestamp})`
  }
}
