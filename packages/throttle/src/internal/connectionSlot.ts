/**
 * The one shared connection of a `RedisConnection` layer: connected on
 * demand, one attempt at a time, dropped when it fails or goes silent, and
 * reconnected by the next command (never by a background loop, so a Redis
 * that stays down costs nothing but the callers' own attempts, spaced by the
 * reconnect delay).
 *
 * @internal
 */
import { Clock, Deferred, Effect, Fiber, type Scope } from "effect"
import type { Redis } from "effect/persistence"
import { type Client, close, destroy, failureMessage, reconnectDelayMs, redisError } from "./redisClient.ts"

type State =
  | { readonly _tag: "Idle"; readonly failures: number; readonly retryAt: number; readonly reason: string | undefined }
  | {
      readonly _tag: "Connecting"
      readonly failures: number
      readonly done: Deferred.Deferred<Client, Redis.RedisError>
    }
  | { readonly _tag: "Ready"; readonly client: Client }
  | { readonly _tag: "Closed" }

/** @internal */
export interface Slot {
  /** The connected client: the current one, the attempt in progress, or a new attempt. */
  readonly get: Effect.Effect<Client, Redis.RedisError>
  /** Drops `client` (if it is still the current one) and destroys it; the next `get` connects again. */
  readonly drop: (client: Client, reason: string) => void
  /** Stops any attempt and closes the client, within `closeTimeoutMs`. */
  readonly close: Effect.Effect<void>
}

/** @internal */
export const make = (options: {
  /** One bounded, interruptible attempt; `onError` reports the client's later failures. */
  readonly connect: (onError: (client: Client, message: string) => void) => Effect.Effect<Client, Redis.RedisError>
  readonly scope: Scope.Scope
  readonly target: string
  readonly reconnectBaseMs: number
  readonly reconnectMaxMs: number
  readonly closeTimeoutMs: number
}): Slot => {
  let state: State = { _tag: "Idle", failures: 0, retryAt: 0, reason: undefined }
  let attempt: Fiber.Fiber<void> | undefined

  const drop = (client: Client, reason: string): void => {
    if (state._tag === "Ready" && state.client === client) {
      state = { _tag: "Idle", failures: 0, retryAt: 0, reason }
    }
    destroy(client, reason)
  }

  const start = Effect.gen(function* () {
    const failures = state._tag === "Idle" ? state.failures : 0
    const done = Deferred.makeUnsafe<Client, Redis.RedisError>()
    state = { _tag: "Connecting", failures, done }
    const current = () => state._tag === "Connecting" && state.done === done
    attempt = yield* options.connect(drop).pipe(
      Effect.matchEffect({
        onSuccess: (client) =>
          Effect.sync(() => {
            if (!current()) {
              client.destroy()
              Deferred.doneUnsafe(done, Effect.fail(redisError(`the connection to ${options.target} is closed`)))
              return
            }
            state = { _tag: "Ready", client }
            Deferred.doneUnsafe(done, Effect.succeed(client))
          }),
        onFailure: (error) =>
          Effect.map(Clock.currentTimeMillis, (now) => {
            if (current()) {
              const next = failures + 1
              state = {
                _tag: "Idle",
                failures: next,
                retryAt: now + reconnectDelayMs(next, options.reconnectBaseMs, options.reconnectMaxMs),
                reason: failureMessage(error)
              }
            }
            Deferred.doneUnsafe(done, Effect.fail(error))
          })
      }),
      Effect.onInterrupt(() =>
        Effect.sync(() => {
          Deferred.doneUnsafe(done, Effect.fail(redisError(`the connection to ${options.target} is closed`)))
        })
      ),
      Effect.forkIn(options.scope)
    )
    return yield* Deferred.await(done)
  })

  const get: Effect.Effect<Client, Redis.RedisError> = Effect.suspend(() => {
    switch (state._tag) {
      case "Ready": {
        if (state.client.isReady) return Effect.succeed(state.client)
        drop(state.client, `the connection to ${options.target} was lost`)
        return start
      }
      case "Connecting":
        return Deferred.await(state.done)
      case "Closed":
        return Effect.fail(redisError(`the connection to ${options.target} is closed`))
      case "Idle": {
        const idle = state
        return Effect.flatMap(Clock.currentTimeMillis, (now) =>
          now < idle.retryAt
            ? Effect.fail(
                redisError(
                  `not connected to ${options.target} (${idle.reason ?? "not connected yet"}); next attempt in ${Math.ceil(idle.retryAt - now)} ms`
                )
              )
            : start
        )
      }
    }
  })

  const closeSlot: Effect.Effect<void> = Effect.suspend(() => {
    const previous = state
    state = { _tag: "Closed" }
    const stopAttempt = attempt === undefined ? Effect.void : Fiber.interrupt(attempt)
    if (previous._tag === "Connecting") {
      Deferred.doneUnsafe(previous.done, Effect.fail(redisError(`the connection to ${options.target} is closed`)))
    }
    return Effect.andThen(
      stopAttempt,
      previous._tag === "Ready" ? close(previous.client, options.closeTimeoutMs) : Effect.void
    )
  })

  return { get, drop, close: closeSlot }
}
