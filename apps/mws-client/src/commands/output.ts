/**
 * The CLI's output: plain lines, JSON for machines, a progress bar on
 * stderr for work of many requests, errors printed (see
 * `errorDescription.ts`) before the command fails with their exit code, and
 * durations as a person reads them. Tables are in `textTable.ts`, colour in
 * `terminal.ts`, server text made safe to print in `serverText.ts`.
 *
 * Output goes through Effect's `Console` service (tests capture it); the
 * progress bar writes to stderr directly, and only on a terminal.
 *
 * @internal
 */
import { Console, Effect } from "effect"
import { CliExit, ExitCode } from "./cliExit.ts"
import { describeError, errorJson } from "./errorDescription.ts"
import { forStream, style } from "./terminal.ts"

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

/** Milliseconds, readable: `850 ms`, `4.2 s`, `2 min`. @internal */
export const duration = (ms: number): string =>
  ms < 1_000
    ? `${Math.round(ms)} ms`
    : ms < 120_000
      ? `${(ms / 1_000).toFixed(ms < 10_000 ? 2 : 1)} s`
      : `${(ms / 60_000).toFixed(1)} min`
