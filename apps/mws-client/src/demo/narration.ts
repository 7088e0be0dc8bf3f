/**
 * How the demo talks while it runs: a heading per scene, indented lines
 * under it, and one line per attempt of the calls worth following (what
 * MWS answered, the RequestId and Timestamp, and when the retry comes,
 * against the documented timeline).
 *
 * @internal
 */
import { Timeline } from "@mws-kit/backoff-policy"
import { Duration, Effect } from "effect"
import { duration, print } from "../commands/output.ts"
import { style } from "../commands/terminal.ts"
import type { AttemptReport } from "../MwsClient.ts"

/** Prints a scene's heading (`n/6  title`) and its dimmed explanation. @internal */
export const scene = (n: number, title: string, ...explain: ReadonlyArray<string>): Effect.Effect<void> =>
  print("", style.bold(style.cyan(`${n}/6  ${title}`)), ...explain.map((line) => style.dim(`     ${line}`)))

/** Prints one line under the current scene's heading. @internal */
export const line = (text: string): Effect.Effect<void> => print(`     ${text}`)

/** Text (a table) with each of its lines indented under the current scene's heading. @internal */
export const indented = (text: string): string =>
  text
    .split("\n")
    .map((l) => `     ${l}`)
    .join("\n")

const documentedDelayMs = (attempt: number): number | undefined => {
  const delay = Timeline.DOCUMENTED_DELAYS[attempt - 1]
  return delay === undefined ? undefined : Duration.toMillis(delay)
}

/** The per-attempt narration of single calls: silent until a scene turns it on. @internal */
export interface AttemptNarrator {
  /** The client's `onAttempt`: one line per attempt while narrating, nothing otherwise. */
  readonly onAttempt: (report: AttemptReport) => Effect.Effect<void>
  /** Turns the per-attempt lines on (before a call worth following) or off. */
  readonly narrate: (on: boolean) => void
}

/**
 * A narrator whose retry lines compare each wait with the documented one,
 * `retryScale` times faster.
 *
 * @internal
 */
export const makeAttemptNarrator = (retryScale: number): AttemptNarrator => {
  let narrating = false
  const onAttempt = (report: AttemptReport): Effect.Effect<void> => {
    if (!narrating) return Effect.void
    const what =
      report.outcome === "success"
        ? style.green(`HTTP ${report.httpStatus}`)
        : style.red(`${report.httpStatus ?? "no response"} ${report.errorCode ?? ""}`.trim())
    const next =
      report.outcome === "retried"
        ? (() => {
            const documented =
              report.reason === "immediate" || report.reason === "timeline"
                ? documentedDelayMs(report.attempt)
                : undefined
            const wait = report.nextDelayMs ?? 0
            return wait === 0
              ? style.yellow("-> retry at once")
              : style.yellow(
                  `-> retry in ${duration(wait)}${documented === undefined ? ` (${report.reason})` : ` (the documented ${duration(documented)}, ${retryScale}x faster)`}`
                )
          })()
        : report.outcome === "gave-up"
          ? style.red("-> gave up: manual follow-up needed")
          : report.outcome === "failed"
            ? style.red("-> not retried")
            : ""
    return line(
      `attempt ${report.attempt}  ${what}  ${style.dim(`RequestId ${report.requestId ?? "(none)"}  Timestamp ${report.requestTimestamp}`)}  ${next}`
    )
  }
  return {
    onAttempt,
    narrate: (on) => {
      narrating = on
    }
  }
}
