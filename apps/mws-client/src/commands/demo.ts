/**
 * `mws demo`: with no configuration at all, starts the MWS sandbox in this
 * process and runs a narrated scenario against it, recording every attempt
 * in the embedded SQLite ledger (or the one MWS_LEDGER names).
 *
 * @internal
 */
import { Effect } from "effect"
import { Command, Flag } from "effect/cli"
import * as ClientConfig from "../ClientConfig.ts"
import { CliExit, failWith, printJson } from "./output.ts"

/** @internal */
export const command = Command.make(
  "demo",
  {
    json: Flag.Boolean("json").pipe(
      Flag.withDescription("After the narration, print the run's figures as JSON"),
      Flag.withDefault(false)
    )
  },
  ({ json }) =>
    Effect.gen(function* () {
      const target = yield* ClientConfig.loadLedger.pipe(Effect.catch((e) => failWith(e, false)))
      // Loaded on demand: the other commands never pay for the scenario's modules.
      const Scenario = yield* Effect.promise(() => import("../demo/scenario.ts"))
      const result = yield* Scenario.run(target).pipe(
        Effect.catch((error) => (error instanceof CliExit ? Effect.fail(error) : failWith(error, false)))
      )
      if (json) yield* printJson(result)
    })
).pipe(
  Command.withDescription(
    "A narrated tour against an in-process MWS sandbox: throttling, pacing, the retry timeline, QuotaExceeded, Content-MD5, the ledger (no configuration needed)"
  )
)
