/**
 * `mws demo`: with no configuration at all, starts the MWS sandbox in this
 * process and runs a narrated scenario against it, recording every attempt
 * in the embedded SQLite ledger (or the one MWS_LEDGER names).
 *
 * @internal
 */
import { Console, Effect } from "effect"
import { Command, Flag } from "effect/cli"
import { identity } from "effect/Function"
import * as ClientConfig from "../ClientConfig.ts"
import { CliExit } from "./cliExit.ts"
import { failWith, printJson } from "./output.ts"

/** A console whose plain output goes to stderr. */
const narrationOnStderr = (console: Console.Console): Console.Console => ({
  ...console,
  log: (...args) => console.error(...args),
  info: (...args) => console.error(...args),
  table: (...args) => console.error(...args)
})

/** @internal */
export const command = Command.make(
  "demo",
  {
    json: Flag.Boolean("json").pipe(
      Flag.withDescription("Print the run's figures as one JSON document on stdout (the narration goes to stderr)"),
      Flag.withDefault(false)
    )
  },
  ({ json }) =>
    Effect.gen(function* () {
      const target = yield* ClientConfig.loadLedger.pipe(Effect.catch((e) => failWith(e, json)))
      // Loaded on demand: the other commands never pay for the scenario's modules.
      const Scenario = yield* Effect.promise(() => import("../demo/scenario.ts"))
      const result = yield* Scenario.run(target).pipe(
        Effect.catch((error) => (error instanceof CliExit ? Effect.fail(error) : failWith(error, json))),
        // With --json, stdout carries the one JSON document: the narration goes to stderr.
        json ? Effect.provideService(Console.Console, narrationOnStderr(yield* Console.Console)) : identity
      )
      if (json) yield* printJson(result)
    })
).pipe(
  Command.withDescription(
    "A narrated tour against an in-process MWS sandbox: throttling, pacing, the retry timeline, QuotaExceeded, Content-MD5, the ledger (no configuration needed)"
  )
)
