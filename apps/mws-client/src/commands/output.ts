/**
 * The CLI's output: plain lines, aligned tables, colour when the terminal
 * supports it, JSON for machines, a progress bar on stderr for work of many
 * requests, errors printed with their code, message, RequestId, Timestamp
 * and what to do about them, and the exit codes.
 *
 * Output goes through Effect's `Console` service (tests capture it); the
 * progress bar writes to stderr directly, and only on a terminal.
 *
 * @internal
 */
import type { RetryGaveUp } from "@mws-kit/backoff-policy"
import { ErrorClass, MwsError, UnparseableErrorBody } from "@mws-kit/error-codes"
import { Console, Effect, Runtime, Schema } from "effect"
import { ClientConfigError } from "../ClientConfig.ts"
import { DownloadWriteError } from "../Download.ts"
import { MalformedResponse } from "../ResponseBody.ts"
import { ResponseTooLarge } from "../ResponseLimit.ts"
import { MwsTransportError } from "../TransportError.ts"

/**
 * The exit codes of `mws`.
 *
 * @internal
 */
export const ExitCode = {
  /** Done. */
  ok: 0,
  /** The MWS call failed: an MWS error, a retry that gave up, a transport failure, a throttle limit. */
  callFailed: 1,
  /** Usage or configuration error: a bad argument, a missing or broken MWS_* setting. */
  usage: 2,
  /** Nothing found: no ledger entry for that request id, no example for that code. */
  notFound: 3,
  /** The ledger store failed: cannot open, read or write it. */
  ledger: 4,
  /** Interrupted (Ctrl-C, SIGINT). */
  interrupted: 130,
  /** Terminated (SIGTERM). */
  terminated: 143
} as const

/**
 * A failure the CLI has already printed, carrying its exit code.
 *
 * @internal
 */
export class CliExit extends Schema.TaggedError<CliExit>()("CliExit", { code: Schema.Int }) {
  override get [Runtime.errorExitCode](): number {
    return this.code
  }
  /** Already printed: the runtime must not log it again. */
  override get [Runtime.errorReported](): boolean {
    return false
  }
}

const env = process.env

/**
 * Whether a stream gets colour: FORCE_COLOR forces it; else a terminal, no
 * NO_COLOR, a TERM other than dumb. Decided per stream, so `mws ... 2>log`
 * keeps colour on the terminal's stdout and none in the log. @internal
 */
export const colorFor = (stream: { readonly isTTY?: boolean | undefined }): boolean =>
  env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== "0"
    ? true
    : env.NO_COLOR === undefined && stream.isTTY === true && env.TERM !== "dumb"

/** Whether either stream gets colour: text is styled then, and each print removes what its stream must not show. @internal */
export const colorEnabled = (): boolean => colorFor(process.stdout) || colorFor(process.stderr)

/** Text for a stream: its colour codes removed when that stream gets none. */
const forStream = (stream: { readonly isTTY?: boolean | undefined }, text: string): string =>
  colorFor(stream) ? text : text.replace(ANSI, "")

const paint =
  (open: number, close: number) =>
  (text: string): string =>
    colorEnabled() ? `\u001b[${open}m${text}\u001b[${close}m` : text

/** @internal */
export const style = {
  bold: paint(1, 22),
  dim: paint(2, 22),
  red: paint(31, 39),
  green: paint(32, 39),
  yellow: paint(33, 39),
  blue: paint(34, 39),
  magenta: paint(35, 39),
  cyan: paint(36, 39)
}

const UNPRINTABLE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: escape sequences (CSI, OSC, others) and control characters
  /\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u001b\[[0-?]*[ -/]*[@-~]|\u001b[@-_]?|[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g

/**
 * Text from the server (a Message, a Code, a document's values, a ledger
 * field) made safe to print on a terminal: escape sequences (CSI, OSC: a
 * Message could retitle the window or repaint the screen) and control
 * characters are removed; tabs and newlines stay. @internal
 */
export const printable = (text: string): string => text.replace(UNPRINTABLE, "")

// biome-ignore lint/suspicious/noControlCharactersInRegex: strips ANSI colour codes to measure width
const ANSI = /\u001b\[[0-9;]*m/g

/** The printed width of a string, colour codes aside. @internal */
export const width = (text: string): number => text.replace(ANSI, "").length

const pad = (text: string, size: number, right = false) => {
  const fill = " ".repeat(Math.max(0, size - width(text)))
  return right ? fill + text : text + fill
}

/** The narrowest a shrunk column gets: 6 columns, room for a few characters and the ellipsis. @internal */
export const MIN_COLUMN_WIDTH = 6

/**
 * How wide a table on stdout may be: the terminal's width (`COLUMNS` when
 * set, as shells export it), or `undefined` (no limit) when stdout is not a
 * terminal, so that piped output keeps every value whole.
 *
 * @internal
 */
export const terminalWidth = (): number | undefined =>
  process.stdout.isTTY === true ? columnsOf(process.stdout) : undefined

/** The columns of a terminal stream: `COLUMNS` when set, else what the terminal says, else 80. @internal */
export const columnsOf = (stream: { readonly columns?: number | undefined }): number => {
  const fromEnv = Number(env.COLUMNS)
  if (Number.isInteger(fromEnv) && fromEnv > 0) return fromEnv
  return stream.columns !== undefined && stream.columns > 0 ? stream.columns : 80
}

/** Text cut to a printed width, ending in an ellipsis when cut (its colour dropped then). */
const truncate = (text: string, size: number): string => {
  if (width(text) <= size) return text
  return `${text.replace(ANSI, "").slice(0, Math.max(0, size - 1))}…`
}

/** Column widths shrunk, widest first, until the row fits `maxWidth` (numeric columns are never cut). */
const fitWidths = (widths: Array<number>, numeric: ReadonlyArray<boolean>, maxWidth: number): Array<number> => {
  const fitted = [...widths]
  const total = () => fitted.reduce((sum, w) => sum + w, 0) + 2 * (fitted.length - 1)
  while (total() > maxWidth) {
    let widest = -1
    fitted.forEach((w, i) => {
      if (!numeric[i] && w > MIN_COLUMN_WIDTH && (widest < 0 || w > fitted[widest]!)) widest = i
    })
    if (widest < 0) break
    fitted[widest]! -= 1
  }
  return fitted
}

/**
 * An aligned table: a header row, a rule, the rows. Numeric columns align
 * right. With `maxWidth`, the widest text columns are cut (with an ellipsis)
 * until a row fits; `--wide` and `--json` show whole values.
 *
 * @internal
 */
export const table = (
  headers: ReadonlyArray<string>,
  rows: ReadonlyArray<ReadonlyArray<string | number>>,
  maxWidth?: number | undefined
): string => {
  const numeric = headers.map((_, i) => rows.length > 0 && rows.every((row) => typeof row[i] === "number"))
  const natural = headers.map((header, i) =>
    rows.reduce((widest, row) => Math.max(widest, width(String(row[i] ?? ""))), width(header))
  )
  const widths = maxWidth === undefined ? natural : fitWidths(natural, numeric, maxWidth)
  const line = (row: ReadonlyArray<string | number>) =>
    row
      .map((cell, i) => pad(truncate(String(cell), widths[i]!), widths[i]!, numeric[i]))
      .join("  ")
      .trimEnd()
  return [style.bold(line(headers)), style.dim(widths.map((w) => "-".repeat(w)).join("  ")), ...rows.map(line)].join(
    "\n"
  )
}

/** Prints lines on stdout. @internal */
export const print = (...lines: ReadonlyArray<string>): Effect.Effect<void> =>
  Effect.suspend(() => Console.log(forStream(process.stdout, lines.join("\n"))))

/** Prints a value as JSON (two-space indent). @internal */
export const printJson = (value: unknown): Effect.Effect<void> => Console.log(JSON.stringify(value, null, 2))

/** Prints to stderr. @internal */
export const printError = (...lines: ReadonlyArray<string>): Effect.Effect<void> =>
  Effect.suspend(() => Console.error(forStream(process.stderr, lines.join("\n"))))

/**
 * A progress bar on stderr, drawn only when stderr is a terminal: `label
 * [#######.......] 120/200`.
 *
 * @internal
 */
export const progress = (label: string, total: number) => {
  const enabled = process.stderr.isTTY === true && total > 1
  let done = 0
  let drawn = -1
  const draw = () => {
    if (!enabled) return
    const cells = 30
    const filled = Math.round((done / total) * cells)
    if (filled === drawn && done !== total) return
    drawn = filled
    process.stderr.write(`\r${label} [${"#".repeat(filled)}${".".repeat(cells - filled)}] ${done}/${total}`)
  }
  return {
    tick: Effect.sync(() => {
      done++
      draw()
    }),
    finish: Effect.sync(() => {
      if (enabled) process.stderr.write(`\r${" ".repeat(label.length + 45)}\r`)
    })
  }
}

const field = (name: string, value: string | number | undefined) =>
  `  ${style.dim(`${name}:`.padEnd(11))} ${value === undefined ? style.dim("(unknown)") : printable(String(value))}`

/**
 * An error as the CLI prints it: what happened (code and message), the
 * RequestId and Timestamp support asks for, and what to do about it (the
 * catalog's advice for its class). Never a secret: no error type here holds
 * one.
 *
 * @internal
 */
export const describeError = (error: unknown): { readonly lines: ReadonlyArray<string>; readonly code: number } => {
  if (error instanceof ClientConfigError) {
    return {
      code: ExitCode.usage,
      lines: [`${style.red("✖ Configuration:")} ${error.message}`, field("Setting", error.setting)]
    }
  }
  if (MwsError.isMwsError(error)) {
    return {
      code: ExitCode.callFailed,
      lines: [
        `${style.red(`✖ ${printable(error.code)}`)}: ${printable(error.mwsMessage) || "(no message)"}`,
        field("HTTP", error.httpStatus),
        field("Type", error.type || undefined),
        field("RequestId", error.requestId),
        field("Timestamp", error.requestTimestamp),
        field("Class", `${error.errorClass}${error.known ? "" : " (code not in the catalog)"}`),
        ...(error.retryHint?.resetsAt === undefined ? [] : [field("Resets at", error.retryHint.resetsAt)]),
        `  ${style.bold("What to do:")} ${ErrorClass.advice[error.errorClass]}`
      ]
    }
  }
  if (UnparseableErrorBody.isUnparseableErrorBody(error)) {
    return {
      code: ExitCode.callFailed,
      lines: [
        `${style.red(`✖ Unparseable error body (${error.reason})`)}: ${error.excerpt === "" ? "(empty)" : JSON.stringify(error.excerpt)}`,
        field("HTTP", error.httpStatus),
        field("RequestId", error.requestId),
        field("Timestamp", error.requestTimestamp),
        field("Class", error.errorClass),
        `  ${style.bold("What to do:")} ${ErrorClass.advice[error.errorClass]}`
      ]
    }
  }
  if (error instanceof MwsTransportError) {
    return {
      code: ExitCode.callFailed,
      lines: [
        `${style.red(`✖ ${`Transport:${error.kind}`}`)}: ${error.message}`,
        field("RequestId", undefined),
        field("Timestamp", error.requestTimestamp),
        `  ${style.bold("What to do:")} ${
          error.sent
            ? `${ErrorClass.advice.transient} The request may have been processed: check before resending a state-changing call.`
            : "Nothing was sent: check the endpoint (MWS_ENDPOINT / MWS_REGION) and the network."
        }`
      ]
    }
  }
  if (error instanceof MalformedResponse) {
    return {
      code: ExitCode.callFailed,
      lines: [
        `${style.red(`✖ MalformedResponse (${error.reason})`)}: ${error.problem}`,
        field("HTTP", error.httpStatus),
        field("RequestId", error.requestId),
        field("Timestamp", error.requestTimestamp),
        `  ${style.bold("What to do:")} the service answered but the body could not be read; retry, and report the RequestId if it persists.`
      ]
    }
  }
  if (error instanceof DownloadWriteError) {
    return {
      code: ExitCode.callFailed,
      lines: [
        `${style.red("✖ DownloadWriteError")}: cannot write ${error.path}: ${error.reason}`,
        field("HTTP", error.httpStatus),
        field("RequestId", error.requestId),
        field("Timestamp", error.requestTimestamp),
        `  ${style.bold("What to do:")} check the path, its directory and the free space, then download again.`
      ]
    }
  }
  if (error instanceof ResponseTooLarge) {
    return {
      code: ExitCode.callFailed,
      lines: [
        `${style.red("✖ ResponseTooLarge")}: the body is over ${error.limitBytes} bytes${error.declaredBytes === undefined ? "" : ` (declared ${error.declaredBytes})`}; the read stopped there`,
        field("HTTP", error.httpStatus),
        field("RequestId", error.requestId),
        field("Timestamp", error.requestTimestamp),
        `  ${style.bold("What to do:")} raise MWS_MAX_RESPONSE_BYTES (bytes) if this body is expected to be this large.`
      ]
    }
  }
  const tagged = error as { readonly _tag?: string; readonly message?: string }
  if (tagged?._tag === "RetryGaveUp") {
    const gaveUp = error as RetryGaveUp.RetryGaveUp
    const last = describeError(gaveUp.lastError)
    return {
      code: ExitCode.callFailed,
      lines: [
        `${style.red(`✖ Gave up after ${gaveUp.attempts.length} attempt${gaveUp.attempts.length === 1 ? "" : "s"} (${gaveUp.reason})`)}: manual follow-up needed`,
        ...(gaveUp.resetsAt === undefined ? [] : [field("Resets at", gaveUp.resetsAt)]),
        ...gaveUp.attempts.map(
          (a) =>
            `  #${a.attempt} ${a.code ?? a.errorClass}  RequestId ${a.requestId ?? "(none)"}  Timestamp ${a.timestamp ?? "(unknown)"}`
        ),
        "  Last error:",
        ...last.lines.map((line) => `  ${line}`)
      ]
    }
  }
  if (
    tagged?._tag === "ThrottleWaitTooLong" ||
    tagged?._tag === "UnknownOperation" ||
    tagged?._tag === "InvalidThrottleRequest"
  ) {
    return {
      code: tagged._tag === "ThrottleWaitTooLong" ? ExitCode.callFailed : ExitCode.usage,
      lines: [
        `${style.red(`✖ ${tagged._tag}`)}: ${tagged.message ?? ""}`,
        `  ${style.bold("What to do:")} ${
          tagged._tag === "ThrottleWaitTooLong"
            ? ErrorClass.advice.throttled
            : tagged._tag === "UnknownOperation"
              ? "The quota catalog does not know this section/operation: check the spelling (see the MWS API reference)."
              : "Split the request into smaller ones."
        }`
      ]
    }
  }
  if (tagged?._tag === "ThrottleStoreUnavailable") {
    return {
      code: ExitCode.callFailed,
      lines: [
        `${style.red("✖ ThrottleStoreUnavailable")}: ${tagged.message ?? ""}`,
        `  ${style.bold("What to do:")} the shared throttle store (MWS_REDIS_URL) is down; fix it or unset MWS_REDIS_URL if this process is the seller's only client.`
      ]
    }
  }
  if (tagged?._tag === "LedgerImportError") {
    return {
      code: ExitCode.usage,
      lines: [
        `${style.red("✖ LedgerImportError")}: ${tagged.message ?? ""}`,
        `  ${style.bold("What to do:")} give the spill file the ledger printed (mws-ledger-spill-*.jsonl) or a JSON Lines export; nothing was imported.`
      ]
    }
  }
  if (typeof tagged?._tag === "string" && tagged._tag.startsWith("Ledger")) {
    const readOnly = (error as { readonly failure?: string }).failure === "read-only"
    return {
      code: ExitCode.ledger,
      lines: [
        `${style.red(`✖ ${tagged._tag}`)}: ${tagged.message ?? ""}`,
        `  ${style.bold("What to do:")} ${
          readOnly
            ? "MWS_LEDGER cannot be written here (a read-only file or mount): `mws ledger list|find|stats|export` still read it; point MWS_LEDGER at a writable file to make calls."
            : "check MWS_LEDGER (a SQLite file path or a postgres:// URL) and that it can be read and written."
        }`
      ]
    }
  }
  if (tagged?._tag === "OutputWriteError") {
    return {
      code: ExitCode.callFailed,
      lines: [
        `${style.red("✖ Output")}: ${tagged.message ?? ""}`,
        `  ${style.bold("What to do:")} check the path, its directory and the free space; nothing was reported as written.`
      ]
    }
  }
  if (tagged?._tag === "RedisError") {
    return {
      code: ExitCode.callFailed,
      lines: [
        `${style.red("✖ Redis")}: cannot reach MWS_REDIS_URL`,
        `  ${style.bold("What to do:")} start Redis, or unset MWS_REDIS_URL to throttle in this process only.`
      ]
    }
  }
  const message = error instanceof Error ? error.message : String(error)
  return { code: ExitCode.callFailed, lines: [`${style.red("✖ Error")}: ${message}`] }
}

/**
 * Prints an error (to stderr, or as JSON on stdout with `--json`) and fails
 * with its exit code.
 *
 * @internal
 */
export const failWith = (error: unknown, json: boolean): Effect.Effect<never, CliExit> => {
  const { lines, code } = describeError(error)
  const printed = json ? printJson({ error: errorJson(error), exitCode: code }) : printError(...lines)
  return Effect.andThen(printed, Effect.fail(new CliExit({ code })))
}

/**
 * Prints a usage error (what is wrong with the invocation; as one JSON
 * document on stdout with `--json`) and fails with exit 2.
 *
 * @internal
 */
export const usageError = (message: string, json: boolean): Effect.Effect<never, CliExit> =>
  Effect.andThen(
    json
      ? printJson({ error: { _tag: "Usage", message }, exitCode: ExitCode.usage })
      : printError(`${style.red("✖ Usage:")} ${message}`),
    Effect.fail(new CliExit({ code: ExitCode.usage }))
  )

/** An error as JSON: its encoded fields where it has a schema, else its tag and message. @internal */
export const errorJson = (error: unknown): unknown => {
  if (MwsError.isMwsError(error)) {
    return { ...MwsError.encode(error), advice: ErrorClass.advice[error.errorClass] }
  }
  if (UnparseableErrorBody.isUnparseableErrorBody(error)) return UnparseableErrorBody.encode(error)
  const tagged = error as { readonly _tag?: string; readonly message?: string }
  if (tagged?._tag === "RetryGaveUp") {
    const gaveUp = error as RetryGaveUp.RetryGaveUp
    return {
      _tag: "RetryGaveUp",
      reason: gaveUp.reason,
      attempts: gaveUp.attempts,
      manualFollowUp: true,
      ...(gaveUp.resetsAt === undefined ? {} : { resetsAt: gaveUp.resetsAt }),
      lastError: errorJson(gaveUp.lastError),
      message: gaveUp.message
    }
  }
  if (
    error instanceof MwsTransportError ||
    error instanceof MalformedResponse ||
    error instanceof ResponseTooLarge ||
    error instanceof DownloadWriteError ||
    error instanceof ClientConfigError
  ) {
    return { ...JSON.parse(JSON.stringify(error)), _tag: error._tag, message: error.message }
  }
  return { _tag: tagged?._tag ?? "Error", message: tagged?.message ?? String(error) }
}

/** Milliseconds, readable: `850 ms`, `4.2 s`, `2 min`. @internal */
export const duration = (ms: number): string =>
  ms < 1_000
    ? `${Math.round(ms)} ms`
    : ms < 120_000
      ? `${(ms / 1_000).toFixed(ms < 10_000 ? 2 : 1)} s`
      : `${(ms / 60_000).toFixed(1)} min`

/**
 * A parsed XML tree as indented `Name: value` lines, appended to `lines`
 * (never spread into a call's arguments: a page of 250,000 elements would
 * overflow the stack). @internal
 */
export const tree = (value: unknown, indent = "", lines: Array<string> = []): Array<string> => {
  if (typeof value === "string") {
    lines.push(`${indent}${printable(value)}`)
    return lines
  }
  if (Array.isArray(value)) {
    value.forEach((item, index) => {
      if (typeof item === "string") lines.push(`${indent}- ${printable(item)}`)
      else {
        lines.push(`${indent}- ${style.dim(`#${index + 1}`)}`)
        tree(item, `${indent}  `, lines)
      }
    })
    return lines
  }
  if (typeof value === "object" && value !== null) {
    for (const [name, child] of Object.entries(value)) {
      if (typeof child === "string") lines.push(`${indent}${style.cyan(printable(name))}: ${printable(child)}`)
      else {
        lines.push(`${indent}${style.cyan(printable(name))}:`)
        tree(child, `${indent}  `, lines)
      }
    }
  }
  return lines
}
