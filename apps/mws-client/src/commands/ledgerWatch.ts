/**
 * The ledger as a one-shot `mws` process uses it: every entry committed
 * before the command goes on (`sync`), every attempt's row written before
 * the request is sent (write-ahead), a short close, and a watch on what the
 * ledger proper did not store, so that the command exits 4 and says where
 * those entries went (the spill file) instead of exiting 0 with a row lost.
 *
 * @internal
 */
import type { Ledger, LedgerSpill } from "@mws-kit/request-ledger"
import { Duration, Effect } from "effect"
import type { ClientOptions } from "../MwsClient.ts"
import { CliExit, ExitCode } from "./cliExit.ts"
import { printError } from "./output.ts"
import { style } from "./terminal.ts"

/**
 * How long closing the CLI's ledger may try to write what is still pending
 * before spilling it to a file: 500 ms, so that Ctrl-C still ends the
 * process within a second (`SIGNAL_EXIT_DEADLINE_MS`) with the entries in
 * the spill file. In sync mode nothing is pending at close unless the store
 * already failed, so a longer try would only delay the same spill.
 *
 * @internal
 */
export const CLI_LEDGER_CLOSE_TIMEOUT: Duration.Duration = Duration.millis(500)

/** Whether a refusal left the entry in the ledger's buffer (retried, spilled at close) rather than nowhere. */
const stillBuffered = (error: unknown): boolean =>
  typeof error === "object" && error !== null && (error as { readonly _tag?: string })._tag === "LedgerStoreError"

/**
 * Ledger and client options for one CLI run, and the verdict to run once the
 * ledger has closed.
 *
 * @internal
 */
export const make = () => {
  const spills: Array<LedgerSpill.SpillReport> = []
  let lost = 0
  const ledger: Ledger.Options = {
    durability: "sync",
    closeTimeout: CLI_LEDGER_CLOSE_TIMEOUT,
    onSpill: (report) => Effect.sync(() => void spills.push(report))
  }
  const client: Pick<ClientOptions, "writeAhead" | "onLedgerRefusal"> = {
    writeAhead: true,
    onLedgerRefusal: (_input, error) =>
      Effect.sync(() => {
        if (!stillBuffered(error)) lost++
      })
  }
  /** After the ledger closed: exit 4 when anything of this run is not in the ledger proper. */
  const verdict: Effect.Effect<void, CliExit> = Effect.suspend(() => {
    if (spills.length === 0 && lost === 0) return Effect.void
    const spilled = spills.reduce((sum, spill) => sum + spill.entries, 0)
    const lines = [
      `${style.red("✖ Ledger:")} ${spilled + lost} entr${spilled + lost === 1 ? "y" : "ies"} of this run ${spilled + lost === 1 ? "is" : "are"} not in the ledger (MWS_LEDGER)`
    ]
    for (const spill of spills) {
      lines.push(
        spill.path === undefined
          ? `  ${spill.entries} could not even be spilled to a file: their RequestIds are in the error log above`
          : `  ${spill.entries} spilled to ${spill.path}: load them back with ${style.bold(`mws ledger import ${spill.path}`)}`
      )
      if (spill.requestIds.length > 0) lines.push(`  RequestIds: ${spill.requestIds.join(", ")}`)
    }
    if (lost > 0) lines.push(`  ${lost} refused by the ledger outright: see the error log above`)
    return Effect.andThen(printError(...lines), Effect.fail(new CliExit({ code: ExitCode.ledger })))
  })
  return { ledger, client, verdict }
}
