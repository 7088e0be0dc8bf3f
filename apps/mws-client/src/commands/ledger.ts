/**
 * `mws ledger find|list|best-example|export|prune|stats`: the request ledger
 * (MWS_LEDGER: a SQLite file, by default the embedded one, or a postgres://
 * URL), read from the command line.
 *
 * @internal
 */
import { existsSync } from "node:fs"
import { ErrorClass } from "@mws-kit/error-codes"
import { Ledger, LedgerEntry } from "@mws-kit/request-ledger"
import { Effect, Option } from "effect"
import { Argument, Command, Flag } from "effect/cli"
import * as ClientConfig from "../ClientConfig.ts"
import * as ClientLayer from "../ClientLayer.ts"
import { CliExit, ExitCode } from "./cliExit.ts"
import * as LineSink from "./lineSink.ts"
import { failWith, print, printError, printJson, usageError } from "./output.ts"
import { printable } from "./serverText.ts"
import { style, terminalWidth } from "./terminal.ts"
import { table } from "./textTable.ts"

const json = Flag.Boolean("json").pipe(Flag.withDescription("Print machine-readable JSON"), Flag.withDefault(false))

const UNITS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1_000,
  sec: 1_000,
  m: 60_000,
  min: 60_000,
  h: 3_600_000,
  hour: 3_600_000,
  hours: 3_600_000,
  d: 86_400_000,
  day: 86_400_000,
  days: 86_400_000
}

/** An ISO 8601 date, with an optional time: `2026-02-28`, `2026-02-28T10:00:00Z`. */
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/

/**
 * `--since`: a duration back from now (`30m`, `24h`, `7d`) or an ISO 8601
 * date. A date that does not exist (`2026-02-30`, which `Date.parse` would
 * roll over to March 2nd) is refused, as is anything else. @internal
 */
export const parseSince = (text: string, now = Date.now()): number | undefined => {
  const trimmed = text.trim()
  const match = /^(\d+(?:\.\d+)?)\s*([a-z]+)$/i.exec(trimmed)
  if (match !== null) {
    const unit = UNITS[match[2]!.toLowerCase()]
    return unit === undefined ? undefined : now - Number(match[1]) * unit
  }
  const date = ISO_DATE.exec(trimmed)
  if (date === null) return undefined
  const [year, month, day] = [Number(date[1]), Number(date[2]), Number(date[3])]
  const calendar = new Date(Date.UTC(year, month - 1, day))
  if (calendar.getUTCFullYear() !== year || calendar.getUTCMonth() !== month - 1 || calendar.getUTCDate() !== day) {
    return undefined
  }
  if (Number(date[4] ?? 0) > 23 || Number(date[5] ?? 0) > 59 || Number(date[6] ?? 0) > 59) return undefined
  const at = Date.parse(trimmed)
  return Number.isNaN(at) ? undefined : at
}

/** The most entries `mws ledger list` shows at once: the ledger's own query cap. @internal */
export const MAX_LIST_LIMIT = 10_000

const since = Flag.String("since").pipe(
  Flag.withDescription("Only entries recorded since: a duration back from now (30m, 24h, 7d) or an ISO 8601 date"),
  Flag.optional
)

const usage = (asJson: boolean, message: string): Effect.Effect<never, CliExit> => usageError(message, asJson)

const sinceMillis = (value: Option.Option<string>, asJson: boolean) =>
  Option.isNone(value)
    ? Effect.succeed(undefined)
    : Effect.suspend(() => {
        const at = parseSince(value.value)
        return at === undefined
          ? usage(asJson, `--since ${value.value} is neither a duration (24h, 7d) nor a date that exists (2026-02-28)`)
          : Effect.succeed(at)
      })

/** Runs a ledger program with the ledger MWS_LEDGER names; any failure is printed with its exit code. */
/**
 * Runs a ledger command. `read` commands (list, find, stats, export,
 * best-example) open a SQLite ledger read-only: nothing is written, so they
 * work on a file this process may not write (a copy, a read-only mount), and
 * a ledger file that does not exist yet reads as an empty ledger instead of
 * being created.
 */
const withLedger = <A, E>(
  asJson: boolean,
  program: (ledger: Ledger.Ledger["Service"]) => Effect.Effect<A, E>,
  access: "read" | "write" = "read"
) =>
  Effect.gen(function* () {
    const configured = yield* ClientConfig.loadLedger.pipe(Effect.catch((e) => failWith(e, asJson)))
    const target: ClientConfig.LedgerTarget =
      access === "read" && configured._tag === "Sqlite" && !existsSync(configured.path)
        ? { _tag: "Memory" }
        : configured
    return yield* Effect.flatMap(Effect.service(Ledger.Ledger), program).pipe(
      Effect.provide(ClientLayer.ledgerLayer(target, { backgroundPrune: false, readOnly: access === "read" })),
      Effect.catch((error) => (error instanceof CliExit ? Effect.fail(error) : failWith(error, asJson)))
    )
  })

const outcomeColour = (outcome: LedgerEntry.Outcome) =>
  outcome === "success" ? style.green(outcome) : outcome === "retried" ? style.yellow(outcome) : style.red(outcome)

const wide = Flag.Boolean("wide").pipe(
  Flag.withDescription("Show whole values: on a terminal, long columns are cut to fit its width"),
  Flag.withDefault(false)
)

/** Entries as a table, cut to `maxWidth` when given. @internal */
export const entriesTable = (entries: ReadonlyArray<LedgerEntry.LedgerEntry>, maxWidth?: number): string =>
  table(
    ["Recorded", "Operation", "#", "HTTP", "Code", "Outcome", "RequestId", "Timestamp"],
    entries.map((e) => [
      e.recordedAt.replace("T", " ").slice(0, 19),
      `${e.section}/${e.operation}`,
      e.attempt,
      e.httpStatus === null ? "-" : String(e.httpStatus),
      printable(e.errorCode ?? ""),
      outcomeColour(e.outcome),
      e.requestId ?? style.dim("(none)"),
      e.requestTimestamp ?? ""
    ]),
    maxWidth
  )

const find = Command.make(
  "find",
  {
    requestId: Argument.String("request-id").pipe(Argument.withDescription("The RequestId (x-mws-request-id)")),
    json,
    wide
  },
  ({ requestId, json: asJson, wide: whole }) =>
    withLedger(asJson, (ledger) =>
      Effect.gen(function* () {
        const entries = yield* ledger.byRequestId(requestId.trim())
        if (entries.length === 0) {
          if (asJson) yield* printJson({ entries: [] })
          else yield* printError(`${style.yellow("No ledger entry")} has RequestId ${requestId}`)
          return yield* new CliExit({ code: ExitCode.notFound })
        }
        const attempts = yield* ledger.attempts(entries[0]!.callId)
        if (asJson) return yield* printJson({ entries, attempts })
        for (const entry of entries) {
          yield* print(
            style.bold(`RequestId ${entry.requestId}`),
            ...Object.entries(entry)
              .filter(([name]) => name !== "params")
              .map(
                ([name, value]) =>
                  `  ${style.dim(`${name}:`.padEnd(18))} ${value === null ? style.dim("-") : printable(String(value))}`
              ),
            `  ${style.dim("params:".padEnd(18))} ${Object.entries(entry.params)
              .map(([k, v]) => `${k}=${v}`)
              .join(", ")}`,
            "",
            style.bold(`Attempts of call ${entry.callId}:`),
            entriesTable(attempts, whole ? undefined : terminalWidth())
          )
        }
      })
    )
).pipe(Command.withDescription("Show the ledger entry with a RequestId, and the other attempts of its call"))

const list = Command.make(
  "list",
  {
    since,
    code: Flag.String("code").pipe(Flag.withDescription("Only this error code"), Flag.optional),
    errorClass: Flag.Literals("class", ErrorClass.all).pipe(
      Flag.withDescription("Only this error class"),
      Flag.optional
    ),
    operation: Flag.String("operation").pipe(Flag.withDescription("Only this operation"), Flag.optional),
    outcome: Flag.Literals("outcome", LedgerEntry.Outcome.literals).pipe(
      Flag.withDescription(
        "Only this outcome (gave-up: the calls that need manual follow-up; interrupted, in-flight: attempts cut off)"
      ),
      Flag.optional
    ),
    limit: Flag.Int("limit").pipe(
      Flag.withDescription(`At most this many entries (1 to ${MAX_LIST_LIMIT})`),
      Flag.withDefault(50)
    ),
    json,
    wide
  },
  (input) =>
    Effect.gen(function* () {
      if (!Number.isSafeInteger(input.limit) || input.limit < 1 || input.limit > MAX_LIST_LIMIT) {
        yield* usage(input.json, `--limit must be a whole number from 1 to ${MAX_LIST_LIMIT}, got ${input.limit}`)
      }
      const from = yield* sinceMillis(input.since, input.json)
      yield* withLedger(input.json, (ledger) =>
        Effect.gen(function* () {
          const entries = yield* ledger.find({
            ...(from === undefined ? {} : { from }),
            ...(Option.isSome(input.code) ? { errorCode: input.code.value } : {}),
            ...(Option.isSome(input.errorClass) ? { errorClass: input.errorClass.value } : {}),
            ...(Option.isSome(input.operation) ? { operation: input.operation.value } : {}),
            ...(Option.isSome(input.outcome) ? { outcome: input.outcome.value } : {}),
            limit: input.limit
          })
          if (input.json) return yield* printJson({ entries })
          if (entries.length === 0) return yield* print(style.dim("No matching entries."))
          yield* print(
            entriesTable(entries, input.wide ? undefined : terminalWidth()),
            style.dim(`${entries.length} entr${entries.length === 1 ? "y" : "ies"}, newest first`)
          )
        })
      )
    })
).pipe(Command.withDescription("List ledger entries, newest first"))

const bestExample = Command.make(
  "best-example",
  {
    match: Argument.String("code-or-class").pipe(
      Argument.withDescription(
        `An error code (InternalError, RequestThrottled...) or class (${ErrorClass.all.join(", ")})`
      )
    ),
    json
  },
  ({ match, json: asJson }) =>
    withLedger(asJson, (ledger) =>
      Effect.gen(function* () {
        const byClass = (ErrorClass.all as ReadonlyArray<string>).includes(match)
        const found = yield* ledger.bestExample(
          byClass ? { errorClass: match as ErrorClass.ErrorClass } : { errorCode: match }
        )
        if (Option.isNone(found)) {
          if (asJson) yield* printJson({ example: null })
          else
            yield* printError(`${style.yellow("No complete ledger entry")} with ${byClass ? "class" : "code"} ${match}`)
          return yield* new CliExit({ code: ExitCode.notFound })
        }
        if (asJson) return yield* printJson(found.value)
        yield* print(printable(found.value.ticket))
      })
    )
).pipe(
  Command.withDescription("The best example request for an error code or class, as a support ticket block"),
  Command.withExamples([
    { command: "mws ledger best-example InternalError", description: "Ready to paste into a support case" }
  ])
)

const exportCommand = Command.make(
  "export",
  {
    format: Flag.Literals("format", ["jsonl", "csv"]).pipe(
      Flag.withDescription("JSON Lines or CSV"),
      Flag.withDefault("jsonl")
    ),
    output: Flag.String("output").pipe(
      Flag.withAlias("o"),
      Flag.withDescription("Write to this file instead of stdout"),
      Flag.optional
    ),
    since
  },
  (input) =>
    Effect.gen(function* () {
      const from = yield* sinceMillis(input.since, false)
      yield* withLedger(false, (ledger) =>
        Effect.gen(function* () {
          const query = from === undefined ? {} : { from }
          const lines = input.format === "csv" ? ledger.exportCsv(query) : ledger.exportJsonLines(query)
          if (Option.isNone(input.output)) return yield* LineSink.toStdout(lines)
          const path = input.output.value
          // Printed only once the file is flushed and closed.
          const count = yield* LineSink.toFile(lines, path)
          yield* printError(
            `${style.green("✔")} ${input.format === "csv" ? count - 1 : count} entries written to ${path}`
          )
        })
      )
    })
).pipe(Command.withDescription("Export ledger entries (oldest first) as JSON Lines or CSV"))

const importCommand = Command.make(
  "import",
  {
    file: Argument.String("file").pipe(
      Argument.withDescription("A spill file the ledger wrote when its store failed (or a JSON Lines export)")
    ),
    json
  },
  ({ file, json: asJson }) =>
    withLedger(
      asJson,
      (ledger) =>
        Effect.gen(function* () {
          const result = yield* ledger.importJsonLines(file)
          if (asJson) return yield* printJson(result)
          yield* print(
            `${style.green("✔")} ${result.imported} entr${result.imported === 1 ? "y" : "ies"} from ${file} written to the ledger (entries it already held are skipped)`
          )
        }),
      "write"
    )
).pipe(
  Command.withDescription(
    "Load a spill file (or a JSON Lines export) back into the ledger; importing twice adds nothing"
  ),
  Command.withExamples([
    {
      command: "mws ledger import /tmp/mws-ledger-spill-2026-12-04T10-00-00.000Z-4242.jsonl",
      description: "After the store is back: load the entries a failed run spilled"
    }
  ])
)

const prune = Command.make("prune", { json }, ({ json: asJson }) =>
  withLedger(
    asJson,
    (ledger) =>
      Effect.gen(function* () {
        const result = yield* ledger.prune
        if (asJson) return yield* printJson(result)
        yield* print(
          `${style.green("✔")} removed ${result.removed} entries recorded before ${result.cutoff} (retention)`
        )
      }),
    "write"
  )
).pipe(Command.withDescription("Remove entries older than the retention (30 days by default) now"))

const stats = Command.make("stats", { since, json }, (input) =>
  Effect.gen(function* () {
    const from = yield* sinceMillis(input.since, input.json)
    yield* withLedger(input.json, (ledger) =>
      Effect.gen(function* () {
        const result = yield* ledger.stats(from === undefined ? {} : { from })
        if (input.json) return yield* printJson(result)
        const section = (title: string, counts: ReadonlyArray<{ readonly key: string; readonly count: number }>) =>
          counts.length === 0
            ? []
            : [
                "",
                table(
                  [title, "Attempts"],
                  counts.map((c) => [printable(c.key), c.count]),
                  terminalWidth()
                )
              ]
        yield* print(
          `${style.bold(`${result.total}`)} attempts recorded${result.from === null ? "" : ` since ${result.from}`}`,
          ...section("Outcome", result.byOutcome),
          ...section("Error code", result.byCode),
          ...section("Error class", result.byClass),
          ...section("Operation", result.byOperation)
        )
      })
    )
  })
).pipe(Command.withDescription("Counts by outcome, error code, class and operation"))

/** @internal */
export const command = Command.make("ledger").pipe(
  Command.withDescription(
    "Read the request ledger: every attempt's RequestId and Timestamp, kept 30 days (MWS_LEDGER)"
  ),
  Command.withSubcommands([find, list, bestExample, exportCommand, importCommand, prune, stats])
)
