/**
 * Runs `mws` in this process with arguments and environment variables,
 * capturing what it prints and its exit code (for tests that need no real
 * process, signal or memory figure; those use faultHarness.ts).
 */
import { ConfigProvider, Console, Effect, Exit } from "effect"
import { main } from "../src/commands/main.ts"
import { NodeCliServices } from "../src/internal/runCli.ts"

/** Runs `mws ARGS` with exactly `env`; the exit code is the `CliExit` code (0 on success, -1 for anything else). */
export const runCli = (args: ReadonlyArray<string>, env: Record<string, string>) =>
  Effect.gen(function* () {
    const out: Array<string> = []
    const err: Array<string> = []
    const text = (values: ReadonlyArray<unknown>) => values.map(String).join(" ")
    const console: Console.Console = {
      ...globalThis.console,
      log: (...values) => out.push(text(values)),
      info: (...values) => out.push(text(values)),
      error: (...values) => err.push(text(values)),
      warn: (...values) => err.push(text(values))
    }
    const exit = yield* main(args).pipe(
      Effect.provideService(Console.Console, console),
      Effect.provideService(ConfigProvider.ConfigProvider, ConfigProvider.fromEnv({ env })),
      Effect.provide(NodeCliServices),
      Effect.exit
    )
    const code = Exit.isSuccess(exit)
      ? 0
      : ((exit.cause.reasons[0] as { readonly error?: { readonly code?: number } })?.error?.code ?? -1)
    return { code, out: out.join("\n"), err: err.join("\n") }
  })
