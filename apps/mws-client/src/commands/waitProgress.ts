/**
 * What a call is waiting for, told to the person at the terminal: "attempt
 * 1: InternalError (HTTP 500); retrying in 9 s" counting down, "waiting for
 * Orders/ListOrders quota (next slot in 54 s)". On a terminal it is one
 * status line on stderr, redrawn every second and erased when the wait
 * ends; off a terminal (a log, CI) it is one line per decision, so a log
 * shows why a call took five minutes without a line per second. Never on
 * stdout: `mws call ... --json > out` leaves one document in out.
 *
 * @internal
 */
import type { Throttle } from "@mws-kit/throttle"
import { Clock, Duration, Effect, Fiber, type Scope } from "effect"
import type { AttemptReport } from "../MwsClient.ts"
import { printable } from "./serverText.ts"
import { colorFor, columnsOf, style } from "./terminal.ts"

/**
 * Throttle waits shorter than this are not told: 1 second, below which a
 * person does not wonder what the command is doing (and a paginated listing
 * would otherwise print a line for every paced page).
 *
 * @internal
 */
export const MIN_TOLD_WAIT_MS = 1_000

/** How often the status line's countdown is redrawn: once a second, the unit it counts in. @internal */
export const REDRAW_INTERVAL: Duration.Duration = Duration.seconds(1)

/** Whole seconds left, rounded up, as a person reads a countdown: `9 s`, `2 min 5 s`, `1 h 3 min`. @internal */
export const countdown = (ms: number): string => {
  const seconds = Math.max(0, Math.ceil(ms / 1_000))
  if (seconds < 60) return `${seconds} s`
  const minutes = Math.floor(seconds / 60)
  if (minutes < 60) return seconds % 60 === 0 ? `${minutes} min` : `${minutes} min ${seconds % 60} s`
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`
}

/** What a wait is, given the time left: the text of the status line or the log line. */
type Wait = (leftMs: number) => string

/** The wait after a failed attempt that the retry policy decided to retry; `undefined` for any other report. @internal */
export const retryWait = (report: AttemptReport): Wait | undefined => {
  if (report.nextDelayMs === undefined) return undefined
  const code = printable(report.errorCode ?? report.errorClass ?? report.outcome)
  const status = report.httpStatus === undefined || report.httpStatus === null ? "" : ` (HTTP ${report.httpStatus})`
  return (leftMs) =>
    `attempt ${report.attempt} of ${report.section}/${report.operation}: ${code}${status}; retrying in ${countdown(leftMs)}`
}

/** The wait for a throttle permit. @internal */
export const throttleWait =
  (wait: Throttle.ThrottleWait): Wait =>
  (leftMs) => {
    const name = `${wait.section}/${wait.operation}`
    const ahead = wait.queuedAhead > 0 ? `, ${wait.queuedAhead} queued ahead` : ""
    return wait.limitedBy === "hourly"
      ? `waiting for the hourly quota of ${name} (resets in ${countdown(leftMs)}${ahead})`
      : `waiting for ${name} quota (next slot in ${countdown(leftMs)}${ahead})`
  }

/**
 * Where the progress goes: a terminal that can redraw one line, or a stream
 * that gets whole lines.
 *
 * @internal
 */
export interface ProgressSink {
  readonly terminal: boolean
  /** Whether the status line may be coloured. */
  readonly colour: boolean
  /** Columns of the terminal (to keep the status line on one row). */
  readonly columns: number
  readonly write: (text: string) => void
}

/** stderr as a progress sink. @internal */
export const stderrSink = (): ProgressSink => ({
  terminal: process.stderr.isTTY === true,
  colour: colorFor(process.stderr),
  columns: columnsOf(process.stderr),
  write: (text) => void process.stderr.write(text)
})

/**
 * The progress of one command: the client hooks that tell it what is
 * happening, and `clear` for when the command is about to print its result.
 * The redraw fiber lives in the given scope.
 *
 * @internal
 */
export const make = Effect.fnUntraced(function* (sink: ProgressSink) {
  const colour = sink.terminal && sink.colour
  let current: { readonly wait: Wait; readonly until: number } | undefined
  let shown = false

  const erase = () => {
    if (shown) sink.write("\r\u001b[2K")
    shown = false
  }
  const draw = Effect.gen(function* () {
    if (current === undefined) return
    const now = yield* Clock.currentTimeMillis
    const left = current.until - now
    if (left <= 0) {
      current = undefined
      return erase()
    }
    // One row: longer text would wrap, and `\r` would then redraw only its last row.
    const text = current.wait(left).slice(0, Math.max(10, sink.columns - 3))
    sink.write(`\r\u001b[2K${colour ? style.yellow("⏳") : "…"} ${colour ? style.dim(text) : text}`)
    shown = true
  })

  const tell = (wait: Wait, waitMs: number): Effect.Effect<void> =>
    Effect.gen(function* () {
      const now = yield* Clock.currentTimeMillis
      if (!sink.terminal) return sink.write(`mws: ${wait(waitMs)}\n`)
      current = { wait, until: now + waitMs }
      yield* draw
    })

  const redraw: Effect.Effect<never> = Effect.forever(Effect.andThen(Effect.sleep(REDRAW_INTERVAL), draw))
  const fiber: Fiber.Fiber<never> | undefined = sink.terminal ? yield* Effect.forkScoped(redraw) : undefined

  return {
    onAttempt: (report: AttemptReport): Effect.Effect<void> => {
      const wait = retryWait(report)
      return wait === undefined ? Effect.void : tell(wait, report.nextDelayMs ?? 0)
    },
    onThrottleWait: (wait: Throttle.ThrottleWait): Effect.Effect<void> =>
      wait.waitMs < MIN_TOLD_WAIT_MS ? Effect.void : tell(throttleWait(wait), wait.waitMs),
    /** Erases the status line and stops redrawing: the command prints its result next. */
    clear: Effect.suspend(() => {
      current = undefined
      erase()
      return fiber === undefined ? Effect.void : Fiber.interrupt(fiber)
    })
  }
}) satisfies (sink: ProgressSink) => Effect.Effect<unknown, never, Scope.Scope>
