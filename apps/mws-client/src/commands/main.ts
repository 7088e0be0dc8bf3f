/**
 * The `mws` command tree and its runner: parses the arguments, runs the
 * command, and turns every outcome into a documented exit code.
 *
 * @internal
 */
import { Console, Effect, Layer, Logger, References } from "effect"
import { CliError, CliOutput, Command } from "effect/cli"
import * as Observability from "../Observability.ts"
import * as UserAgent from "../UserAgent.ts"
import * as call from "./call.ts"
import { CliExit, ExitCode } from "./cliExit.ts"
import * as demo from "./demo.ts"
import * as ledger from "./ledger.ts"
import { printError, printJson } from "./output.ts"
import * as sandbox from "./sandbox.ts"

/** The root command. @internal */
export const root = Command.make("mws").pipe(
  Command.withDescription(
    "The mws-kit reference client for Amazon MWS: signed, paced, retried calls, every attempt in the request ledger.\n" +
      "Exit codes: 0 done; 1 the MWS call failed; 2 usage or configuration error; 3 nothing found in the ledger;\n" +
      "4 the ledger store failed; 130 interrupted."
  ),
  Command.withSubcommands([call.command, ledger.command, sandbox.command, demo.command])
)

/**
 * How `mws` presents a wrong invocation: what is wrong and the command's
 * one-line usage on stderr, with where to find the full help (gh and aws do
 * the same); with `--json` anywhere on the line, one JSON document on stdout
 * instead (`{"error":{"_tag":"Usage",...},"exitCode":2}`), so that a script
 * reading stdout always gets JSON. `--help` still prints the full help on
 * stdout.
 *
 * @internal
 */
export const presenter = (json: boolean) =>
  CliOutput.layerPresenter({
    present: (event) =>
      event._tag === "InvalidInvocation"
        ? Effect.gen(function* () {
            const formatter = yield* CliOutput.Formatter
            const usage = `Usage: ${event.helpDoc.usage}\nRun '${event.commandPath.join(" ")} --help' for the arguments and options.`
            if (json) {
              return yield* printJson({
                error: { _tag: "Usage", message: event.errors.map((e) => e.message).join("; "), usage },
                exitCode: ExitCode.usage
              })
            }
            yield* Console.error(formatter.formatErrors(event.errors))
            yield* Console.error(usage)
          })
        : CliOutput.defaultPresenter.present(event)
  })

/**
 * Runs `mws` with arguments. Fails with `CliExit` carrying the exit code when
 * the command did not succeed (already printed).
 *
 * @internal
 */
export const main = (args: ReadonlyArray<string>) =>
  Command.runWith(root, { version: UserAgent.LIBRARY.version })(args).pipe(
    Effect.catch((error) => {
      if (error instanceof CliExit) return Effect.fail(error)
      if (CliError.isCliError(error)) {
        const code = error._tag === "ShowHelp" && error.errors.length === 0 ? ExitCode.ok : ExitCode.usage
        return code === ExitCode.ok ? Effect.void : Effect.fail(new CliExit({ code }))
      }
      return Effect.andThen(printError(`✖ ${String(error)}`), Effect.fail(new CliExit({ code: ExitCode.callFailed })))
    }),
    // A defect (a bug) is printed on stderr by the runner; with --json, stdout still gets its one document.
    Effect.tapDefect((defect) =>
      args.includes("--json")
        ? printJson({
            error: { _tag: "Defect", message: defect instanceof Error ? defect.message : String(defect) },
            exitCode: ExitCode.callFailed
          })
        : Effect.void
    ),
    // Log lines would interleave with the output: errors only, unless --log-level says otherwise,
    // and always on stderr, so that stdout holds only the command's output (one JSON document with --json).
    Effect.provideService(References.MinimumLogLevel, "Error"),
    Effect.provideService(Logger.LogToStderr, true),
    Effect.provide(Layer.orDie(Observability.layer)),
    Effect.provide(presenter(args.includes("--json")))
  )
