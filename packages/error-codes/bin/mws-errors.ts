#!/usr/bin/env node
/**
 * `mws-errors`: look up an MWS error code or an HTTP status in the catalog
 * and print what it means and what a client should do about it.
 *
 *   mws-errors                     summary and the nine common codes
 *   mws-errors RequestThrottled    one code (every section that lists it)
 *   mws-errors 503                 every code with that status, and the fallback class
 *   mws-errors --list              the whole catalog
 *   add --json for machine-readable output (one JSON document on stdout, usage errors included)
 *
 * Exit codes: 0 found (and `--help`, `--version`); 1 the code is not in the
 * catalog; 2 usage error (an unknown option, more than one code, an empty
 * one). The lookup runs synchronously, so Ctrl-C ends the process by the
 * signal itself, which a shell reports as 130 like `mws`.
 *
 * Built on `effect/cli` with nothing but `effect`: the few services
 * `Command.runWith` asks for are stand-ins (see `cliServices`), so the
 * package needs no `@effect/platform-node`.
 */
import { Cause, Console, Data, Effect, Exit, FileSystem, Layer, Option, Path, Runtime, Stdio, Terminal } from "effect"
import { Argument, CliConfig, CliError, CliOutput, Command, Flag, GlobalFlag } from "effect/cli"
import { ChildProcessSpawner } from "effect/process"
import packageJson from "../package.json" with { type: "json" }
import { ErrorCatalog, ErrorClass, MwsCatalog } from "../src/index.ts"

type Entry = ErrorCatalog.CatalogEntry

const catalog = MwsCatalog.catalog

/** The one-line usage, printed after a usage error and at the end of the summary. */
const USAGE = "Usage: mws-errors [<Code> | <HTTP status> | --list] [--json]"

/** The exit codes of `mws-errors`. */
const ExitCode = { found: 0, notFound: 1, usage: 2 } as const

/** A code the catalog does not know: already printed, exit 1. */
class NotInCatalog extends Data.TaggedError("NotInCatalog")<{ readonly code: string }> {
  override readonly [Runtime.errorExitCode] = ExitCode.notFound
  override readonly [Runtime.errorReported] = false
}

const printJson = (value: unknown) => Console.log(JSON.stringify(value, null, 2))

const status = (entry: Entry): string => (entry.httpStatus === null ? "?" : String(entry.httpStatus))

const tableOf = (entries: ReadonlyArray<Entry>): string => {
  const rows = entries.map((entry) => [entry.code, entry.section, status(entry), entry.errorClass])
  const header = ["code", "section", "status", "class"]
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)))
  const line = (cells: ReadonlyArray<string>) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column]!))
      .join("  ")
      .trimEnd()
  return [line(header), line(widths.map((width) => "-".repeat(width))), ...rows.map(line)].join("\n")
}

const explain = (entry: Entry): string =>
  [
    `${entry.code} (${entry.section})`,
    `  HTTP status: ${entry.httpStatus ?? "no source states one"}`,
    `  class:       ${entry.errorClass}: ${ErrorClass.advice[entry.errorClass]}`,
    `  meaning:     ${entry.description}`,
    `  source:      ${entry.source}${entry.documented ? "" : " (seen on the wire, in no published table)"}`
  ].join("\n")

/** Prints `value` as JSON with `--json`, else the text. */
const printer =
  (json: boolean) =>
  (value: unknown, text: () => string): Effect.Effect<void> =>
    json ? printJson(value) : Effect.suspend(() => Console.log(text()))

const summary = (print: ReturnType<typeof printer>) => {
  const byClass = Object.fromEntries(
    ErrorClass.all.map((cls) => [cls, catalog.entries.filter((entry) => entry.errorClass === cls).length])
  )
  return print({ entries: catalog.entries.length, byClass, common: MwsCatalog.commonCodes }, () =>
    [
      `mws-kit error catalog: ${catalog.entries.length} entries.`,
      "",
      ...ErrorClass.all.map(
        (cls) => `  ${cls.padEnd(15)}${String(byClass[cls]).padStart(4)}  ${ErrorClass.advice[cls]}`
      ),
      "",
      "The nine common codes (MWS Developer Guide, Handling errors, Table 1):",
      "",
      tableOf(MwsCatalog.commonCodes),
      "",
      USAGE
    ].join("\n")
  )
}

const byStatus = (print: ReturnType<typeof printer>, httpStatus: number) => {
  const entries = catalog.entries.filter((entry) => entry.httpStatus === httpStatus)
  const fallback = ErrorClass.fromHttpStatus(httpStatus)
  return print({ httpStatus, unknownCodeClass: fallback, entries }, () =>
    [
      entries.length === 0 ? `No catalogued code has HTTP ${httpStatus}.` : tableOf(entries),
      "",
      `A code the catalog does not know, sent with HTTP ${httpStatus}, is classified "${fallback}": ${ErrorClass.advice[fallback]}`
    ].join("\n")
  )
}

const byCode = (print: ReturnType<typeof printer>, code: string): Effect.Effect<void, NotInCatalog> => {
  const entries = ErrorCatalog.lookupAll(catalog, code)
  if (entries.length > 0) return print(entries, () => entries.map(explain).join("\n\n"))
  const near = catalog.entries.filter((entry) => entry.code.toLowerCase().includes(code.toLowerCase()))
  const printed = print({ code, known: false, suggestions: near.map((entry) => entry.code) }, () =>
    [
      `"${code}" is not in the catalog. An unknown code is classified by its HTTP status: 429/503 throttled, other 5xx transient, other 4xx client.`,
      ...(near.length > 0 ? [`Did you mean: ${[...new Set(near.map((entry) => entry.code))].join(", ")}?`] : [])
    ].join("\n")
  )
  return Effect.andThen(printed, Effect.fail(new NotInCatalog({ code })))
}

/** The `mws-errors` command. */
const command = Command.make(
  "mws-errors",
  {
    code: Argument.String("code").pipe(
      Argument.withDescription("An MWS error code such as RequestThrottled, or a three-digit HTTP status such as 503"),
      Argument.mapEffect((code) =>
        code.trim() === ""
          ? Effect.fail(new CliError.ValidationError({ message: "the code must not be empty" }))
          : Effect.succeed(code)
      ),
      Argument.optional
    ),
    list: Flag.Boolean("list").pipe(Flag.withDescription("Print the whole catalog"), Flag.withDefault(false)),
    json: Flag.Boolean("json").pipe(
      Flag.withDescription("Print one JSON document on stdout instead of text"),
      Flag.withDefault(false)
    )
  },
  ({ code, list, json }) => {
    const print = printer(json)
    if (list) return print(catalog.entries, () => tableOf(catalog.entries))
    if (Option.isNone(code)) return summary(print)
    return /^\d{3}$/.test(code.value) ? byStatus(print, Number(code.value)) : byCode(print, code.value)
  }
).pipe(
  Command.withDescription(
    "Looks up an MWS error code or HTTP status in the mws-kit catalog: what it means and what to do.\n" +
      "Exit codes: 0 found; 1 the code is not in the catalog; 2 usage error."
  ),
  Command.withExamples([
    { command: "mws-errors RequestThrottled", description: "One code: its status, class, meaning and source" },
    { command: "mws-errors 503", description: "Every code with that status, and how an unknown one is classified" },
    { command: "mws-errors --list --json", description: "The whole catalog as JSON" }
  ])
)

/**
 * How a wrong invocation is shown: what is wrong and the one-line usage on
 * stderr (exit 2), or with `--json` one JSON document on stdout, in the
 * shape `mws` prints (`{"error":{"_tag":"Usage",...},"exitCode":2}`).
 * `--help` prints the full help on stdout.
 */
const presenter = (json: boolean) =>
  CliOutput.layerPresenter({
    present: (event) => {
      if (event._tag !== "InvalidInvocation") return CliOutput.defaultPresenter.present(event)
      const usage = `${USAGE}\nRun 'mws-errors --help' for the options.`
      if (json) {
        const message = event.errors.map((error) => error.message).join("; ")
        return printJson({ error: { _tag: "Usage", message, usage }, exitCode: ExitCode.usage })
      }
      const colors = process.stderr.isTTY === true && !process.env.NO_COLOR && process.env.TERM !== "dumb"
      return Console.error(`${CliOutput.defaultFormatter({ colors }).formatErrors(event.errors)}\n${usage}`)
    }
  })

/**
 * The services `Command.runWith` asks for (files, paths, a terminal, child
 * processes, stdio). This command reads no file, prompts for nothing (the
 * `--wizard` built-in is left out) and spawns nothing, so none of them is
 * ever called: stand-ins from `effect` itself keep the bin free of
 * `@effect/platform-node`.
 */
const cliServices = Layer.mergeAll(
  FileSystem.layerNoop({}),
  Path.layer,
  Stdio.layerTest({}),
  Layer.mock(Terminal.Terminal, { "~effect/Terminal": "~effect/Terminal" }),
  Layer.mock(ChildProcessSpawner.ChildProcessSpawner, {}),
  CliConfig.layer({ builtIns: GlobalFlag.BuiltIns.filter((flag) => flag !== GlobalFlag.Wizard) })
)

/** The exit code of a run: 0, 2 for a usage error, else the failure's own (`Runtime.errorExitCode`). */
const exitCodeOf = (exit: Exit.Exit<void, unknown>): number => {
  if (Exit.isSuccess(exit)) return ExitCode.found
  const error = Cause.squash(exit.cause)
  if (CliError.isCliError(error)) return error._tag === "ShowHelp" && error.errors.length === 0 ? 0 : ExitCode.usage
  if (Runtime.getErrorReported(error)) {
    process.stderr.write(`mws-errors: unexpected failure (a bug): ${Cause.pretty(exit.cause)}\n`)
  }
  return Runtime.getErrorExitCode(error)
}

const args = process.argv.slice(2)
Effect.runFork(
  Command.runWith(command, { version: packageJson.version })(args).pipe(
    Effect.provide(cliServices),
    Effect.provide(presenter(args.includes("--json")))
  )
).addObserver((exit) => {
  process.exitCode = exitCodeOf(exit)
})
