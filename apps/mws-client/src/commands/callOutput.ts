/**
 * How `mws call` shows what came back: the call's metadata (HTTP status,
 * attempt, RequestId, Timestamp, quota) on stderr and the document on
 * stdout, or one JSON document; with `--paginate`, a page at a time (JSON
 * Lines with `--json`).
 *
 * @internal
 */
import { Console, Effect } from "effect"
import type * as Download from "../Download.ts"
import type * as ResponseBody from "../ResponseBody.ts"
import { duration, print, printError, printJson } from "./output.ts"
import { printable, tree } from "./serverText.ts"
import { style } from "./terminal.ts"

const metadataLine = (metadata: ResponseBody.ResponseMetadata, label: string) => {
  const quota =
    metadata.quota === undefined
      ? ""
      : `  quota ${metadata.quota.remaining ?? "?"}/${metadata.quota.max ?? "?"}${metadata.quota.resetsOn === undefined ? "" : ` until ${metadata.quota.resetsOn}`}`
  return [
    `${style.green("✔")} ${style.bold(label)}  HTTP ${metadata.httpStatus}  ${style.dim(`attempt ${metadata.attempt}, ${duration(metadata.durationMs)}`)}`,
    `  ${style.dim("RequestId:".padEnd(11))} ${metadata.requestId ?? "(none)"}`,
    `  ${style.dim("Timestamp:".padEnd(11))} ${metadata.requestTimestamp}${quota}`
  ]
}

/** A response as the JSON `mws call --json` prints. */
const responseJson = (response: ResponseBody.MwsResponse) => ({
  metadata: response.metadata,
  result: response.result,
  itemErrors: response.itemErrors.map((e) => ({ ...e, error: e.error.code }))
})

/**
 * Prints one page of a `--paginate` listing as soon as it arrives: the
 * page's metadata and document like a single call, or one line of JSON
 * Lines (`{"page":2,"metadata":...,"result":...}`) with `--json`.
 *
 * @internal
 */
export const showPage = (
  response: ResponseBody.MwsResponse,
  label: string,
  page: number,
  json: boolean
): Effect.Effect<void> =>
  json
    ? Console.log(JSON.stringify({ page, ...responseJson(response) }))
    : show(response, `${label}  ${style.dim(`page ${page}`)}`, false)

/** Prints a call's outcome: metadata on stderr and the document on stdout, or one JSON document. @internal */
export const show = (
  outcome: ResponseBody.MwsResponse | ResponseBody.MwsDocument | Download.DownloadedFile,
  label: string,
  json: boolean
): Effect.Effect<void> =>
  Effect.gen(function* () {
    if ("path" in outcome) {
      if (json) {
        return yield* printJson({
          metadata: outcome.metadata,
          path: outcome.path,
          bytes: outcome.bytes,
          contentType: outcome.contentType,
          contentMd5: outcome.contentMd5
        })
      }
      return yield* printError(
        ...metadataLine(outcome.metadata, label),
        `  ${style.dim("Content-MD5:")} ${outcome.contentMd5 ?? "(none)"} (checked)`,
        `${style.green("✔")} ${outcome.bytes} bytes written to ${outcome.path}`
      )
    }
    if ("text" in outcome) {
      if (json) {
        return yield* printJson({
          metadata: outcome.metadata,
          contentType: outcome.contentType,
          contentMd5: outcome.contentMd5,
          text: outcome.text
        })
      }
      yield* printError(
        ...metadataLine(outcome.metadata, label),
        `  ${style.dim("Content-MD5:")} ${outcome.contentMd5 ?? "(none)"} (checked)`
      )
      return yield* print(outcome.text)
    }
    if (json) return yield* printJson(responseJson(outcome))
    const lines = [...metadataLine(outcome.metadata, label), ""]
    yield* print(tree(outcome.result, "", lines).join("\n"))
    for (const item of outcome.itemErrors) {
      yield* print(
        `${style.yellow("!")} ${printable(item.element)} ${JSON.stringify(item.identifier)}: ${printable(item.error.code)}: ${printable(item.error.mwsMessage)}`
      )
    }
  })
