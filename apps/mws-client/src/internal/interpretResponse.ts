/**
 * What an answered attempt means: its headers read once (RequestId, server
 * timestamp, quota), the throttle taught by them (quota headers, a
 * RequestThrottled drains the bucket, a QuotaExceeded blocks the hourly
 * quota until its reset), and the body turned into the call's result or its
 * typed error: an MWS error, a body over the cap, a corrupted or unwritable
 * download, a malformed document.
 *
 * @internal
 */
import { rename, rm } from "node:fs/promises"
import { MwsError } from "@mws-kit/error-codes"
import { QuotaHeaders, type Throttle } from "@mws-kit/throttle"
import { ResponseHeaders } from "@mws-kit/wire-format"
import { ErrorResponse, ItemErrors } from "@mws-kit/xml-error-parser"
import { Effect } from "effect"
import * as ContentMd5 from "../ContentMd5.ts"
import * as Download from "../Download.ts"
import * as ResponseBody from "../ResponseBody.ts"
import * as ResponseLimit from "../ResponseLimit.ts"
import type { RawResponse } from "../Transport.ts"
import type { PreparedCall } from "./callParams.ts"
import type { MwsClientError } from "./clientModels.ts"
import type { Answered } from "./ledgerRows.ts"

/**
 * Extra wait after a QuotaExceeded reset time read from the message: 1
 * second, because the message gives the time to the second ("Your quota will
 * reset on Mon Mar 25 02:25:00 UTC 2019"; mws-facts 1.5), so the true reset
 * is up to a second later.
 *
 * @internal
 */
export const MESSAGE_RESET_MARGIN_MS = 1_000

/** How a call reads its 2xx bodies: parsed, as a document in memory, or streamed to a file. @internal */
export type Mode = "parse" | "download" | "file"

/** What a call of each mode returns. @internal */
export type ModeResult<M extends Mode> = M extends "parse"
  ? ResponseBody.MwsResponse
  : M extends "download"
    ? ResponseBody.MwsDocument
    : Download.DownloadedFile

/** The attempt an answer belongs to. @internal */
export interface AnsweredAttempt {
  readonly call: PreparedCall
  readonly mode: Mode
  /** With `file`: where the download goes. */
  readonly path: string | undefined
  readonly requestTimestamp: string
  readonly maxBodyBytes: number
  /** The response metadata besides what the headers say. */
  readonly callId: string
  readonly attempt: number
  readonly durationMs: number
  readonly throttleWaitMs: number
}

/** An answer, interpreted: the call's result or its error, and what the response said about itself. @internal */
export type Interpreted =
  | { readonly _tag: "Success"; readonly value: ModeResult<Mode>; readonly answered: Answered }
  | { readonly _tag: "Failure"; readonly error: MwsClientError; readonly answered: Answered }

const textDecoder = new TextDecoder()

const removeFile = (path: string): Effect.Effect<void> => Effect.promise(() => rm(path, { force: true }))

/** Renames a file; the system's reason when it cannot. */
const renameFile = (from: string, to: string): Effect.Effect<string | undefined> =>
  Effect.promise(() =>
    rename(from, to).then(
      () => undefined,
      (error: NodeJS.ErrnoException) => `${error.code ?? "error"}: ${error.message}`
    )
  )

/** The reset a QuotaExceeded names, as epoch ms (a second later when read from the message's text). */
const quotaResetOf = (error: MwsError.MwsError): number | undefined => {
  const hint = error.retryHint
  const at = hint?.resetsAt === undefined ? undefined : Date.parse(hint.resetsAt)
  if (at === undefined || Number.isNaN(at)) return undefined
  return hint?.source === "message" ? at + MESSAGE_RESET_MARGIN_MS : at
}

/** What an MWS error teaches the throttle. */
const teachThrottle = (throttle: Throttle.Throttle["Service"], target: Throttle.Target, error: unknown) => {
  if (!MwsError.isMwsError(error)) return Effect.void
  if (error.code === "RequestThrottled") return Effect.ignore(throttle.reportThrottled(target))
  if (error.code === "QuotaExceeded") return Effect.ignore(throttle.reportQuotaExceeded(target, quotaResetOf(error)))
  return Effect.void
}

/**
 * Interprets one answered attempt.
 *
 * @internal
 */
export const interpret = (
  throttle: Throttle.Throttle["Service"],
  attempt: AnsweredAttempt,
  response: RawResponse
): Effect.Effect<Interpreted> =>
  Effect.gen(function* () {
    const { call, requestTimestamp } = attempt
    const { section, operation } = call
    const headers = ResponseHeaders.normalize(response.headers)
    const requestId = ResponseHeaders.requestId(headers)
    const serverTimestamp = ResponseHeaders.serverTimestamp(headers)
    const quota = ResponseHeaders.quota(headers)
    const observation = QuotaHeaders.fromFields(quota)
    if (observation !== undefined) yield* Effect.ignore(throttle.observeQuota(call.target, observation))
    const answered: Answered = { requestId, serverTimestamp, httpStatus: response.status, quota }
    const failure = (error: MwsClientError): Interpreted => ({ _tag: "Failure", error, answered })
    const facts = {
      section,
      operation,
      httpStatus: response.status,
      ...(requestId === undefined ? {} : { requestId }),
      requestTimestamp
    }

    if (response.status < 200 || response.status > 299) {
      const error = ErrorResponse.toError({
        body: response.body,
        status: response.status,
        headers,
        section,
        operation,
        requestTimestamp
      })
      yield* teachThrottle(throttle, call.target, error)
      return failure(error)
    }
    if (response.overLimit === true) {
      const declared = Number(headers.get("content-length"))
      return failure(
        new ResponseLimit.ResponseTooLarge({
          ...facts,
          limitBytes: response.limitBytes ?? attempt.maxBodyBytes,
          ...(Number.isSafeInteger(declared) && declared > 0 ? { declaredBytes: declared } : {})
        })
      )
    }
    const metadata: ResponseBody.ResponseMetadata = {
      requestId,
      requestTimestamp,
      serverTimestamp,
      httpStatus: response.status,
      quota,
      callId: attempt.callId,
      attempt: attempt.attempt,
      durationMs: attempt.durationMs,
      throttleWaitMs: attempt.throttleWaitMs
    }
    if (attempt.mode === "parse") {
      // Read once: the tree feeds the item errors, the body's RequestId and the response.
      const text = textDecoder.decode(response.body)
      const read = ResponseBody.parse(text)
      if (read._tag === "Malformed") {
        return failure(new ResponseBody.MalformedResponse({ reason: read.reason, problem: read.problem, ...facts }))
      }
      const itemErrors =
        section === "Products"
          ? ItemErrors.fromDocument(read, { status: response.status, headers, section, operation })
          : []
      const bodyRequestId = requestId === undefined ? ResponseBody.bodyRequestId(read.document) : undefined
      const value = ResponseBody.makeResponse({
        section,
        operation,
        xml: text,
        document: read.document,
        itemErrors,
        metadata: requestId === undefined ? { ...metadata, requestId: bodyRequestId } : metadata
      })
      return { _tag: "Success", value, answered: { ...answered, requestId: requestId ?? bodyRequestId } }
    }

    // A download: checked against its Content-MD5, then (to a file) renamed into place.
    const contentMd5 = headers.get("content-md5")
    const contentType = headers.get("content-type")
    const partial = `${attempt.path}${Download.PARTIAL_SUFFIX}`
    const writeError = (reason: string) =>
      failure(new Download.DownloadWriteError({ ...facts, path: attempt.path!, reason }))
    if (response.destinationError !== undefined) {
      yield* removeFile(partial)
      return writeError(response.destinationError)
    }
    const computed = response.md5 ?? ContentMd5.of(response.body)
    if (!ContentMd5.matchesDigest(computed, contentMd5)) {
      if (attempt.mode === "file") yield* removeFile(partial)
      return failure(
        MwsError.make({
          ...facts,
          code: "ContentMD5DoesNotMatch",
          mwsMessage: `Received Content-MD5 = ${computed} but expected ${contentMd5}: the download is corrupted`,
          ...(serverTimestamp === undefined ? {} : { serverTimestamp })
        })
      )
    }
    if (attempt.mode === "download") {
      const document: ResponseBody.MwsDocument = {
        section,
        operation,
        bytes: response.body,
        text: textDecoder.decode(response.body),
        contentType,
        contentMd5,
        metadata
      }
      return { _tag: "Success", value: document, answered }
    }
    const renamed = yield* renameFile(partial, attempt.path!)
    if (renamed !== undefined) return writeError(renamed)
    const file: Download.DownloadedFile = {
      section,
      operation,
      path: attempt.path!,
      bytes: response.bytesWritten ?? 0,
      contentType,
      contentMd5,
      metadata
    }
    return { _tag: "Success", value: file, answered }
  })
