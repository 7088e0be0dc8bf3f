/**
 * `mws call <Section> <Operation> [Name=Value ...] [--body FILE] [--paginate] [--endpoint URL] [--json]`:
 * one MWS call (or every page of a listing) with the configuration from the
 * environment, paced, retried and recorded in the ledger like any other,
 * telling on stderr what it waits for (a retry, a throttle slot).
 *
 * @internal
 */
import { readFile } from "node:fs/promises"
import { Duration, Effect, Option, Stream } from "effect"
import { Argument, Command, Flag } from "effect/cli"
import * as ClientConfig from "../ClientConfig.ts"
import * as ClientLayer from "../ClientLayer.ts"
import * as ContentMd5 from "../ContentMd5.ts"
import * as Endpoints from "../Endpoints.ts"
import { type CallRequest, MwsClient } from "../MwsClient.ts"
import * as Pagination from "../Pagination.ts"
import * as CallOutput from "./callOutput.ts"
import { CliExit } from "./cliExit.ts"
import { describeError } from "./errorDescription.ts"
import * as LedgerWatch from "./ledgerWatch.ts"
import { failWith, usageError } from "./output.ts"
import * as WaitProgress from "./waitProgress.ts"

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

/** What is wrong with the flags for this operation, if anything. */
const checkModes = (
  input: { readonly output: Option.Option<string>; readonly paginate: boolean; readonly body: Option.Option<string> },
  operation: string
): string | undefined => {
  const download = ContentMd5.DOWNLOAD_OPERATIONS.has(operation)
  if (Option.isSome(input.output) && !download) {
    return `--output is for downloads (${[...ContentMd5.DOWNLOAD_OPERATIONS].join(", ")}), not ${operation}`
  }
  if (input.paginate && (download || Option.isSome(input.body))) {
    return `--paginate follows NextToken pages of a listing (ListOrders, ListReports...), not ${operation}${Option.isSome(input.body) ? " with --body" : ""}`
  }
  return undefined
}

/** One call: a feed submission, a download (to stdout or a file) or any other operation. */
const send = (
  mws: MwsClient["Service"],
  request: CallRequest,
  output: Option.Option<string>,
  contentType: Option.Option<string>,
  body: Uint8Array | undefined
) => {
  if (request.operation === "SubmitFeed" && body !== undefined) {
    const params = request.params as ReadonlyArray<readonly [string, string]>
    return mws.submitFeed({
      feedType: params.find(([name]) => name === "FeedType")![1],
      feed: body,
      params: params.filter(([name]) => name !== "FeedType" && name !== ContentMd5.PARAMETER),
      ...(Option.isSome(contentType) ? { contentType: contentType.value } : {})
    })
  }
  if (ContentMd5.DOWNLOAD_OPERATIONS.has(request.operation)) {
    return Option.isSome(output) ? mws.downloadTo(request, output.value) : mws.download(request)
  }
  return mws.call(request)
}

/** Prints a failed call's error (stderr, or JSON on stdout). */
const printFailure = (error: unknown, json: boolean): Effect.Effect<void> =>
  error instanceof CliExit ? Effect.void : Effect.flip(failWith(error, json)).pipe(Effect.asVoid)

/** The exit a failed call ends with. */
const exitFor = (error: unknown): CliExit =>
  error instanceof CliExit ? error : new CliExit({ code: describeError(error).code })

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
    paginate: Flag.Boolean("paginate").pipe(
      Flag.withAlias("all"),
      Flag.withDescription(
        "Follow NextToken: call {Operation}ByNextToken until the last page, printing each page as it arrives (JSON Lines with --json)"
      ),
      Flag.withDefault(false)
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
      return yield* usageError(`parameters are Name=Value, got ${JSON.stringify(assignments.invalid)}`, json)
    }
    const { section, operation } = input
    const wrong = checkTarget(section, operation) ?? checkModes(input, operation)
    if (wrong !== undefined) return yield* usageError(wrong, json)
    const settings = yield* ClientConfig.readSettings.pipe(Effect.catch((e) => failWith(e, json)))
    const config = yield* ClientConfig.fromSettings(
      Option.isSome(input.endpoint) ? { ...settings, MWS_ENDPOINT: input.endpoint.value } : settings
    ).pipe(Effect.catch((e) => failWith(e, json)))
    let body: Uint8Array | undefined
    if (Option.isSome(input.body)) {
      const path = input.body.value
      body = yield* Effect.tryPromise(() => readFile(path)).pipe(
        Effect.catch(() => usageError(`cannot read --body ${path}`, json))
      )
    }
    const params = assignments.params
    if (operation === "SubmitFeed" && body !== undefined && !params.some(([name]) => name === "FeedType")) {
      return yield* usageError("SubmitFeed needs FeedType=...", json)
    }
    const request = {
      section,
      operation,
      params,
      ...(body === undefined ? {} : { body }),
      ...(Option.isSome(input.contentType) ? { contentType: input.contentType.value } : {})
    }
    const label = `${section}/${operation}`
    // One-shot process: each attempt's row is committed before the request is sent and completed
    // before the command goes on; what the ledger could not store makes the command exit 4.
    const watch = LedgerWatch.make()
    const progress = yield* WaitProgress.make(WaitProgress.stderrSink())
    const program = Effect.gen(function* () {
      const mws = yield* MwsClient
      if (input.paginate) {
        let page = 0
        return yield* Pagination.pagesWith(mws, request).pipe(
          Stream.runForEach((response) =>
            Effect.andThen(progress.clear, CallOutput.showPage(response, label, ++page, json))
          )
        )
      }
      const outcome = yield* send(mws, request, input.output, input.contentType, body)
      yield* progress.clear
      return yield* CallOutput.show(outcome, label, json)
    }).pipe(
      Effect.provide(
        ClientLayer.live(config, {
          ...watch.client,
          onAttempt: progress.onAttempt,
          onThrottleWait: progress.onThrottleWait,
          ledger: watch.ledger,
          redis: { closeTimeout: CLI_REDIS_CLOSE_TIMEOUT }
        })
      )
    )
    yield* program.pipe(
      Effect.catch((error) =>
        // The call's error first, then the ledger's verdict: exit 4 wins when a row is missing.
        Effect.andThen(
          Effect.andThen(progress.clear, printFailure(error, json)),
          Effect.andThen(watch.verdict, Effect.fail(exitFor(error)))
        )
      )
    )
    yield* watch.verdict
  }, Effect.scoped)
).pipe(
  Command.withDescription("Make one MWS call (configuration from MWS_* environment variables)"),
  Command.withExamples([
    {
      command: "mws call Orders ListOrders MarketplaceId.Id.1=ATVPDKIKX0DER CreatedAfter=2026-11-01T00:00:00Z",
      description: "List orders created since November 1st"
    },
    {
      command:
        "mws call Orders ListOrders MarketplaceId.Id.1=ATVPDKIKX0DER CreatedAfter=2026-11-01T00:00:00Z --all --json",
      description: "Every page of the listing, as JSON Lines (one page per line)"
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
