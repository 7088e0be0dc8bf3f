/**
 * `mws call <Section> <Operation> [Name=Value ...] [--body FILE] [--endpoint URL] [--json]`:
 * one MWS call with the configuration from the environment, paced, retried
 * and recorded in the ledger like any other.
 *
 * @internal
 */
import { readFile } from "node:fs/promises"
import { Duration, Effect, Option } from "effect"
import { Argument, Command, Flag } from "effect/cli"
import * as ClientConfig from "../ClientConfig.ts"
import * as ClientLayer from "../ClientLayer.ts"
import * as ContentMd5 from "../ContentMd5.ts"
import type * as Download from "../Download.ts"
import * as Endpoints from "../Endpoints.ts"
import { MwsClient } from "../MwsClient.ts"
import type * as ResponseBody from "../ResponseBody.ts"
import * as LedgerWatch from "./ledgerWatch.ts"
import {
  CliExit,
  describeError,
  duration,
  ExitCode,
  failWith,
  print,
  printable,
  printError,
  printJson,
  style,
  tree
} from "./output.ts"

/**
 * How long closing the Redis connection may wait for replies still due:
 * 300 ms, so that Ctrl-C ends the process within a second
 * (`SIGNAL_EXIT_DEADLINE_MS`, 900 ms) with the ledger's close
 * (`CLI_LEDGER_CLOSE_TIMEOUT`, 500 ms) in the same window. A one-shot call has
 * nothing left to say to Redis once its permit is taken.
 *
 * @internal
 */
export const CLI_REDIS_CLOSE_TIMEOUT: Duration.Duration = Duration.millis(300)

/**
 * What is wrong with a section and operation before anything is sent: an
 * empty one, or a section the endpoint table does not know (with the right
 * spelling when only the case differs). `undefined` when both look right.
 *
 * @internal
 */
export const checkTarget = (section: string, operation: string): string | undefined => {
  if (section.trim() === "") return `the section is empty: one of ${Endpoints.SECTIONS.join(", ")}`
  if (operation.trim() === "") return `the operation is empty: the Action, e.g. ListOrders`
  if (Endpoints.section(section) !== undefined) return undefined
  const near = Endpoints.SECTIONS.find((known) => known.toLowerCase() === section.toLowerCase())
  return near === undefined
    ? `unknown section ${JSON.stringify(section)}: one of ${Endpoints.SECTIONS.join(", ")}`
    : `unknown section ${JSON.stringify(section)}: did you mean ${near}?`
}

/** `Name=Value` pairs into pairs, in order; the first `=` splits. @internal */
export const parseAssignments = (
  assignments: ReadonlyArray<string>
): { readonly params: Array<[string, string]> } | { readonly invalid: string } => {
  const params: Array<[string, string]> = []
  for (const assignment of assignments) {
    const at = assignment.indexOf("=")
    if (at <= 0) return { invalid: assignment }
    params.push([assignment.slice(0, at), assignment.slice(at + 1)])
  }
  return { params }
}

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

/** Prints a call's outcome: metadata on stderr and the document on stdout, or one JSON document. */
const show = (
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
    if (json) {
      return yield* printJson({
        metadata: outcome.metadata,
        result: outcome.result,
        itemErrors: outcome.itemErrors.map((e) => ({ ...e, error: e.error.code }))
      })
    }
    const lines = [...metadataLine(outcome.metadata, label), ""]
    yield* print(tree(outcome.result, "", lines).join("\n"))
    for (const item of outcome.itemErrors) {
      yield* print(
        `${style.yellow("!")} ${printable(item.element)} ${JSON.stringify(item.identifier)}: ${printable(item.error.code)}: ${printable(item.error.mwsMessage)}`
      )
    }
  })

/** Prints a failed call's error (stderr, or JSON on stdout). */
const printFailure = (error: unknown, json: boolean): Effect.Effect<void> =>
  Effect.flip(failWith(error, json)).pipe(Effect.asVoid)

/** The exit a failed call ends with. */
const exitFor = (error: unknown): CliExit => new CliExit({ code: describeError(error).code })

const sectionArgument = Argument.String("section").pipe(
  Argument.withDescription("The API section: Orders, Products, Reports, Feeds, Sellers, Finances...")
)
const operationArgument = Argument.String("operation").pipe(
  Argument.withDescription("The operation (the Action): ListOrders, GetReport, SubmitFeed...")
)
const paramsArgument = Argument.String("params").pipe(
  Argument.withDescription("Request parameters as Name=Value (lists as Name.1=..., Name.2=...)"),
  Argument.variadic()
)

/** @internal */
export const command = Command.make(
  "call",
  {
    section: sectionArgument,
    operation: operationArgument,
    params: paramsArgument,
    body: Flag.String("body").pipe(
      Flag.withDescription("A file sent as the request body (a feed for SubmitFeed: its MD5 goes in ContentMD5Value)"),
      Flag.optional
    ),
    contentType: Flag.String("content-type").pipe(
      Flag.withDescription("The body's content type (default text/xml)"),
      Flag.optional
    ),
    output: Flag.String("output").pipe(
      Flag.withAlias("o"),
      Flag.withDescription(
        "GetReport / GetFeedSubmissionResult: stream the document into this file (MD5-checked on the way) instead of stdout"
      ),
      Flag.optional
    ),
    endpoint: Flag.String("endpoint").pipe(
      Flag.withDescription("Call this endpoint instead of MWS_ENDPOINT / MWS_REGION / MWS_MARKETPLACE"),
      Flag.optional
    ),
    json: Flag.Boolean("json").pipe(Flag.withDescription("Print machine-readable JSON"), Flag.withDefault(false))
  },
  Effect.fnUntraced(function* (input) {
    const json = input.json
    const assignments = parseAssignments(input.params)
    if ("invalid" in assignments) {
      yield* printError(
        `${style.red("✖ Usage:")} parameters are Name=Value, got ${JSON.stringify(assignments.invalid)}`
      )
      return yield* new CliExit({ code: ExitCode.usage })
    }
    const settings = yield* ClientConfig.readSettings.pipe(Effect.catch((e) => failWith(e, json)))
    const config = yield* ClientConfig.fromSettings(
      Option.isSome(input.endpoint) ? { ...settings, MWS_ENDPOINT: input.endpoint.value } : settings
    ).pipe(Effect.catch((e) => failWith(e, json)))
    let body: Uint8Array | undefined
    if (Option.isSome(input.body)) {
      const path = input.body.value
      body = yield* Effect.tryPromise(() => readFile(path)).pipe(
        Effect.catch(() =>
          Effect.andThen(
            printError(`${style.red("✖ Usage:")} cannot read --body ${path}`),
            Effect.fail(new CliExit({ code: ExitCode.usage }))
          )
        )
      )
    }
    const { section, operation } = input
    const unknown = checkTarget(section, operation)
    if (unknown !== undefined) {
      yield* printError(`${style.red("✖ Usage:")} ${unknown}`)
      return yield* new CliExit({ code: ExitCode.usage })
    }
    if (Option.isSome(input.output) && !ContentMd5.DOWNLOAD_OPERATIONS.has(operation)) {
      yield* printError(
        `${style.red("✖ Usage:")} --output is for downloads (${[...ContentMd5.DOWNLOAD_OPERATIONS].join(", ")}), not ${operation}`
      )
      return yield* new CliExit({ code: ExitCode.usage })
    }
    const params = assignments.params
    const request = {
      section,
      operation,
      params,
      ...(body === undefined ? {} : { body }),
      ...(Option.isSome(input.contentType) ? { contentType: input.contentType.value } : {})
    }
    // One-shot process: each attempt's row is committed before the request is sent and completed
    // before the command goes on; what the ledger could not store makes the command exit 4.
    const watch = LedgerWatch.make()
    const program = Effect.gen(function* () {
      const mws = yield* MwsClient
      if (operation === "SubmitFeed" && body !== undefined) {
        const feedType = params.find(([name]) => name === "FeedType")?.[1]
        if (feedType === undefined) {
          yield* printError(`${style.red("✖ Usage:")} SubmitFeed needs FeedType=...`)
          return yield* new CliExit({ code: ExitCode.usage })
        }
        return yield* mws.submitFeed({
          feedType,
          feed: body,
          params: params.filter(([name]) => name !== "FeedType" && name !== ContentMd5.PARAMETER),
          ...(Option.isSome(input.contentType) ? { contentType: input.contentType.value } : {})
        })
      }
      if (ContentMd5.DOWNLOAD_OPERATIONS.has(operation)) {
        return Option.isSome(input.output)
          ? yield* mws.downloadTo(request, input.output.value)
          : yield* mws.download(request)
      }
      return yield* mws.call(request)
    }).pipe(
      Effect.provide(
        ClientLayer.live(config, {
          ...watch.client,
          ledger: watch.ledger,
          redis: { closeTimeout: CLI_REDIS_CLOSE_TIMEOUT }
        })
      )
    )
    const outcome = yield* program.pipe(
      Effect.catch((error) =>
        // The call's error first, then the ledger's verdict: exit 4 wins when a row is missing.
        Effect.andThen(
          error instanceof CliExit ? Effect.void : printFailure(error, json),
          Effect.andThen(watch.verdict, Effect.fail(error instanceof CliExit ? error : exitFor(error)))
        )
      )
    )
    yield* show(outcome, `${section}/${operation}`, json)
    yield* watch.verdict
  })
).pipe(
  Command.withDescription("Make one MWS call (configuration from MWS_* environment variables)"),
  Command.withExamples([
    {
      command: "mws call Orders ListOrders MarketplaceId.Id.1=ATVPDKIKX0DER CreatedAfter=2026-11-01T00:00:00Z",
      description: "List orders created since November 1st"
    },
    {
      command: "mws call Feeds SubmitFeed FeedType=_POST_PRODUCT_DATA_ --body products.xml",
      description: "Submit a feed (its MD5 is sent as ContentMD5Value)"
    },
    {
      command: "mws call Reports GetReport ReportId=12345 > report.txt",
      description: "Download a report, MD5-checked"
    },
    {
      command: "mws call Reports GetReport ReportId=12345 --output report.txt",
      description: "Stream a report of any size into a file, MD5-checked on the way"
    }
  ])
)
