import { MwsError } from "@mws-kit/error-codes"
import { Clock, Effect, Logger, References } from "effect"

/** One scripted outcome: an error to fail with, or "ok" to succeed. */
export type Step<E> = E | "ok"

/**
 * An effect that runs through a script, one step per attempt (or asks a
 * function for the step of attempt n), recording the Clock time of every
 * attempt. After the script it keeps repeating the last step.
 */
export const scripted = <E>(steps: ReadonlyArray<Step<E>> | ((attempt: number) => Step<E>)) => {
  const times: Array<number> = []
  const effect = Effect.flatMap(Clock.currentTimeMillis, (now) => {
    const step =
      typeof steps === "function" ? steps(times.length + 1) : steps[Math.min(times.length, steps.length - 1)]!
    times.push(now)
    return step === "ok" ? Effect.succeed(times.length) : Effect.fail(step)
  })
  return { effect, times }
}

let counter = 0

/** An MwsError with a fresh RequestId and the request Timestamp set. */
export const mwsError = (input: MwsError.MakeInput): MwsError.MwsError => {
  counter++
  return MwsError.make({
    requestId: `req-${counter}`,
    requestTimestamp: `2026-11-25T10:00:${String(counter % 60).padStart(2, "0")}.000Z`,
    ...input
  })
}

export const internalError = () => mwsError({ code: "InternalError", httpStatus: 500 })
export const serviceUnavailable = () => mwsError({ code: "ServiceUnavailable", httpStatus: 503 })
export const throttled = (operation?: string) =>
  mwsError({ code: "RequestThrottled", httpStatus: 503, ...(operation === undefined ? {} : { operation }) })

export interface CapturedLog {
  readonly level: string
  readonly message: string
  readonly annotations: Readonly<Record<string, unknown>>
}

/** Runs an effect with a logger that captures every line, at Debug level and up. */
export const captureLogs = <A, E, R>(effect: Effect.Effect<A, E, R>, logs: Array<CapturedLog>) => {
  const logger = Logger.make((options) => {
    const message = Array.isArray(options.message) ? options.message.join(" ") : String(options.message)
    logs.push({
      level: options.logLevel,
      message,
      annotations: options.fiber.getRef(References.CurrentLogAnnotations)
    })
  })
  return effect.pipe(
    Effect.provideService(Logger.CurrentLoggers, new Set([logger])),
    Effect.provideService(References.MinimumLogLevel, "Debug")
  )
}

/** Differences between consecutive times. */
export const gaps = (times: ReadonlyArray<number>): Array<number> => times.slice(1).map((t, i) => t - times[i]!)
