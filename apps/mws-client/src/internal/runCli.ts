/**
 * Runs the `mws` command as the process, the way a person expects a command
 * line tool to stop: SIGINT (Ctrl-C) and SIGTERM interrupt it (the attempt in
 * flight is recorded as `interrupted`, the ledger closes), and the process
 * exits with 130 or 143 within {@link SIGNAL_EXIT_DEADLINE_MS} whatever it was
 * waiting on; a second signal exits at once. Effect's own `runMain` waits for
 * interruption to finish, however long an uninterruptible wait takes, and
 * exits 130 for SIGTERM too.
 *
 * @internal
 */
import * as NodeChildProcessSpawner from "@effect/platform-node-shared/NodeChildProcessSpawner"
import * as NodeFileSystem from "@effect/platform-node-shared/NodeFileSystem"
import * as NodePath from "@effect/platform-node-shared/NodePath"
import * as NodeStdio from "@effect/platform-node-shared/NodeStdio"
import * as NodeTerminal from "@effect/platform-node-shared/NodeTerminal"
import { Cause, Effect, Exit, Layer, Runtime } from "effect"

/**
 * What Effect's CLI module needs of Node: files, paths, standard streams, the
 * terminal and a child process spawner. The same layer as
 * `@effect/platform-node`'s `NodeServices`, built from
 * `@effect/platform-node-shared`, which does not pull in `redis`.
 *
 * @internal
 */
export const NodeCliServices = Layer.provideMerge(
  NodeChildProcessSpawner.layer,
  Layer.mergeAll(NodeFileSystem.layer, NodePath.layer, NodeStdio.layer, NodeTerminal.layer)
)

/**
 * How long a signal may take to end the process: 900 ms, inside the
 * one second a person (and issue 13) expects Ctrl-C to take. Finalizers get
 * this long to record the interrupted attempt and close the ledger (whose
 * own close bound, `CLI_LEDGER_CLOSE_TIMEOUT`, is shorter); past it the
 * process exits anyway and says so.
 *
 * @internal
 */
export const SIGNAL_EXIT_DEADLINE_MS = 900

/** The conventional exit code for a signal: 128 + its number. @internal */
export const signalExitCode = (signal: "SIGINT" | "SIGTERM"): number => (signal === "SIGINT" ? 130 : 143)

/**
 * The exit code of the command's exit: 0, the failure's own code
 * (`Runtime.errorExitCode`), or the signal's when it was interrupted.
 *
 * @internal
 */
export const exitCodeOf = <A, E>(exit: Exit.Exit<A, E>, signal: "SIGINT" | "SIGTERM" | undefined): number => {
  if (Exit.isSuccess(exit)) return 0
  if (Cause.hasInterruptsOnly(exit.cause)) return signal === undefined ? 130 : signalExitCode(signal)
  let code = 1
  Runtime.defaultTeardown(exit, (teardownCode) => {
    code = teardownCode
  })
  return code
}

/**
 * What the process prints for a failure nothing else reported (a defect: a
 * bug): its message and a line saying it is one; the whole cause with its
 * stack with `verbose` (`--log-level debug`).
 *
 * @internal
 */
export const unexpectedFailure = (cause: Cause.Cause<unknown>, verbose: boolean): string => {
  const error = Cause.squash(cause)
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error)
  return verbose
    ? `mws: unexpected failure (a bug): ${Cause.pretty(cause)}\n`
    : `mws: unexpected failure (a bug): ${message}\n  Run again with --log-level debug for the stack, and report it.\n`
}

/** Whether the arguments ask for debug logs (and so for a defect's stack). @internal */
export const wantsDebug = (args: ReadonlyArray<string>): boolean => {
  const at = args.findIndex((arg) => arg === "--log-level" || arg.startsWith("--log-level="))
  if (at < 0) return false
  const level = args[at]!.includes("=") ? args[at]!.split("=")[1] : args[at + 1]
  return level !== undefined && ["all", "trace", "debug"].includes(level.toLowerCase())
}

/**
 * Runs the command. `onDeadline` runs (synchronously) when a signal's
 * deadline passes with the command still stopping, just before the process
 * exits: the last chance to save what is still in memory. `verbose` prints a
 * defect's whole cause with its stack.
 *
 * @internal
 */
export const runCli = (
  program: Effect.Effect<void, unknown>,
  options: { readonly onDeadline?: (() => void) | undefined; readonly verbose?: boolean | undefined } = {}
): void => {
  // A reader that closed the pipe (`mws ledger list | head -1`) is not an error of ours: what is
  // still written to stdout is dropped instead of crashing the process with an unhandled EPIPE.
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE") throw error
  })
  const fiber = Effect.runFork(program)
  let signal: "SIGINT" | "SIGTERM" | undefined

  const onSignal = (received: "SIGINT" | "SIGTERM") => {
    if (signal !== undefined) {
      // A second signal: the person means it.
      process.exit(signalExitCode(received))
    }
    signal = received
    fiber.interruptUnsafe()
    setTimeout(() => {
      options.onDeadline?.()
      process.stderr.write(`mws: still stopping ${SIGNAL_EXIT_DEADLINE_MS} ms after ${received}; exiting now\n`)
      process.exit(signalExitCode(received))
    }, SIGNAL_EXIT_DEADLINE_MS).unref()
  }
  const onSigint = () => onSignal("SIGINT")
  const onSigterm = () => onSignal("SIGTERM")
  process.on("SIGINT", onSigint)
  process.on("SIGTERM", onSigterm)

  fiber.addObserver((exit) => {
    process.removeListener("SIGINT", onSigint)
    process.removeListener("SIGTERM", onSigterm)
    const code = exitCodeOf(exit, signal)
    if (Exit.isFailure(exit) && !Cause.hasInterruptsOnly(exit.cause)) {
      const error = Cause.squash(exit.cause)
      const reported =
        typeof error === "object" && error !== null && (error as { readonly _tag?: string })._tag === "CliExit"
      if (!reported) process.stderr.write(unexpectedFailure(exit.cause, options.verbose === true))
    }
    if (signal !== undefined) {
      process.stderr.write(`✖ Interrupted (${signal})\n`)
      process.exit(code)
    }
    process.exitCode = code
  })
}
