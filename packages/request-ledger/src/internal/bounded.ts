/**
 * Bounding a wait on something that may never answer (a PostgreSQL that
 * accepts and goes silent, a SQLite worker stuck on a lock, a pool that will
 * not close). `Effect.timeout` is not enough for these: it interrupts the
 * late effect and then waits for the interruption to finish, and a driver's
 * interruption can itself wait on the silent peer (@effect/sql-pg drains an
 * aborted query for up to 5 seconds, then sends a cancel that may hang as
 * long). Here the effect runs on a detached fiber: the caller gets its answer
 * within the bound either way, and a late effect is interrupted in the
 * background.
 *
 * @internal
 */
import { Effect, type Exit, Fiber, Option } from "effect"
import { LedgerStoreError, type StoreKind } from "../LedgerError.ts"

/**
 * Succeeds with `None` after `millis` milliseconds of real time. Bounds on
 * I/O use real time, never the application's `Clock`: a test that moves a
 * `TestClock` by hours must not time out a write the disk is doing, and a
 * store that is silent in real time must fail even under a test clock.
 *
 * @internal
 */
export const realTimeout = (millis: number): Effect.Effect<Option.Option<never>> =>
  Effect.callback<Option.Option<never>>((resume) => {
    const timer = setTimeout(() => resume(Effect.succeed(Option.none())), millis)
    return Effect.sync(() => clearTimeout(timer))
  })

/**
 * Waits for a fiber at most `millis` milliseconds of real time: `Some` of its
 * exit, or `None` (the fiber keeps running).
 *
 * @internal
 */
export const awaitAtMost = <A, E>(
  fiber: Fiber.Fiber<A, E>,
  millis: number
): Effect.Effect<Option.Option<Exit.Exit<A, E>>> =>
  Effect.raceFirst(Effect.map(Fiber.await(fiber), Option.some), realTimeout(millis))

/**
 * Runs `effect` and waits for it at most `millis` milliseconds of real time;
 * past that, fails with `onTimeout()` at once and interrupts the effect in
 * the background. A non-finite `millis` waits without bound.
 *
 * @internal
 */
export const bounded = <A, E, R, E2>(
  effect: Effect.Effect<A, E, R>,
  millis: number,
  onTimeout: () => E2
): Effect.Effect<A, E | E2, R> => {
  if (!Number.isFinite(millis)) return effect
  return Effect.flatMap(Effect.forkDetach(effect), (fiber) => {
    const abandon = Effect.asVoid(Effect.forkDetach(Fiber.interrupt(fiber)))
    return awaitAtMost(fiber, millis).pipe(
      Effect.onInterrupt(() => abandon),
      Effect.flatMap(
        (exit): Effect.Effect<A, E | E2> =>
          Option.isSome(exit) ? exit.value : Effect.andThen(abandon, Effect.fail(onTimeout()))
      )
    )
  })
}

/** "no answer within N ms", the detail of every timed-out store call. @internal */
export const noAnswer = (millis: number): string => `no answer within ${Math.round(millis)} ms`

/**
 * The error of a store call that timed out: `unavailable`, "no answer within
 * N ms", as `bounded`'s `onTimeout`. @internal
 */
export const noAnswerError = (store: StoreKind, operation: string, millis: number) => (): LedgerStoreError =>
  new LedgerStoreError({ store, operation, failure: "unavailable", detail: noAnswer(millis) })
