/**
 * The exit codes of `mws`, and the failure that carries one out of a
 * command once its error has been printed.
 *
 * @internal
 */
import { Runtime, Schema } from "effect"

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
