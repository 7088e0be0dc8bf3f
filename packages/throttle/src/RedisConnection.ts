/**
 * Effect's `Redis` service (`effect/persistence`) over node-redis, with every
 * wait bounded: the connect (TCP and handshake), each command, and the close.
 * Use it instead of `@effect/platform-node`'s `NodeRedis.layer` under
 * {@link RedisStore}: against a Redis that accepts connections and never
 * answers, `NodeRedis.layer` waits forever to connect (node-redis bounds the
 * TCP connect, not the handshake after it), a command written to a silent
 * connection waits forever for its reply, and closing the layer waits for
 * those replies, so neither Ctrl-C nor the end of the program gets through.
 *
 * Here a silent or refusing Redis becomes a typed error within its bound:
 *
 * - building the layer fails with `ThrottleStoreUnavailable` (action
 *   `"connect"`) after at most `connectTimeout`, and can be interrupted at
 *   any moment (the half-open socket is destroyed);
 * - a command fails with `RedisError` at once while there is no connection
 *   (no offline queue), or after `commandTimeout` without a reply; a missing
 *   reply drops the connection (the replies behind it cannot be trusted), so
 *   nothing stays waiting on it, and the next command connects again;
 * - reconnecting happens only when a command needs the connection, one
 *   attempt at a time, each bounded by `connectTimeout`, spaced after
 *   failures by a delay that doubles from `reconnectBaseDelay` up to
 *   `reconnectMaxDelay` (meanwhile commands fail at once): no loop, no spin;
 * - closing waits at most `closeTimeout` for replies still due, then
 *   destroys the socket.
 *
 * No message or log line holds the URL's password: targets are shown as
 * `redis://***@host:port`.
 *
 * This module is a deep import (`@mws-kit/throttle/RedisConnection`), the
 * only one that loads `redis` (an optional peer dependency).
 *
 * @since 0.2.0
 */
import { Deferred, Duration, Effect, Layer, Redacted } from "effect"
import { Redis } from "effect/persistence"
import { createClient } from "redis"
import * as ConnectionSlot from "./internal/connectionSlot.ts"
import { describeTarget, secretsOf } from "./internal/redact.ts"
import * as RedisClient from "./internal/redisClient.ts"
import { ThrottleStoreUnavailable } from "./ThrottleError.ts"

/**
 * How long the TCP connect and the handshake after it (HELLO, AUTH, SELECT,
 * CLIENT SETINFO) may take together: 5 seconds, node-redis's own
 * `connectTimeout` default, which it applies to the TCP connect alone. On a
 * LAN both take about a millisecond; 5 s leaves room for TLS to a managed
 * Redis in another region.
 *
 * @category constants
 * @since 0.2.0
 */
export const DEFAULT_CONNECT_TIMEOUT: Duration.Duration = Duration.seconds(5)

/**
 * How long a command may wait for its reply before the connection is
 * dropped and the command fails: 2 seconds, the same bound as
 * `RedisStore.DEFAULT_TIMEOUT` (one round trip, well under a millisecond on
 * a LAN, so 2 s means Redis or the network is gone, not slow). It polices the
 * connection even after a caller gave up on the command.
 *
 * @category constants
 * @since 0.2.0
 */
export const DEFAULT_COMMAND_TIMEOUT: Duration.Duration = Duration.seconds(2)

/**
 * How long closing the layer waits for the replies still due before it
 * destroys the socket: 1 second. A healthy Redis answers within a
 * millisecond; a silent one never does, and a program that is shutting down
 * (Ctrl-C) should not wait on it for longer than a person notices.
 *
 * @category constants
 * @since 0.2.0
 */
export const DEFAULT_CLOSE_TIMEOUT: Duration.Duration = Duration.seconds(1)

/**
 * The wait before connecting again after one failed attempt: 50 ms, doubled
 * per further failure in a row, the numbers of node-redis's default
 * reconnect strategy (`2^retries × 50 ms`).
 *
 * @category constants
 * @since 0.2.0
 */
export const DEFAULT_RECONNECT_BASE_DELAY: Duration.Duration = Duration.millis(50)

/**
 * The longest wait between two connect attempts: 2 seconds, node-redis's
 * default cap (`Math.min(..., 2000)`).
 *
 * @category constants
 * @since 0.2.0
 */
export const DEFAULT_RECONNECT_MAX_DELAY: Duration.Duration = Duration.seconds(2)

/**
 * node-redis client options this module leaves to the caller (TLS and other
 * socket settings, RESP version, client name, database...). The ones it
 * bounds are its own: `url`, `disableOfflineQueue`, `socket.connectTimeout`,
 * `socket.reconnectStrategy`.
 *
 * @category models
 * @since 0.2.0
 */
export type ClientOptions = Omit<NonNullable<Parameters<typeof createClient>[0]>, "url" | "disableOfflineQueue">

/**
 * Options of {@link layer}.
 *
 * @category models
 * @since 0.2.0
 */
export interface RedisConnectionOptions {
  /** `redis://[user:password@]host[:port][/db]` (or `rediss://` for TLS); a `Redacted` one stays redacted. */
  readonly url: string | Redacted.Redacted<string>
  /** TCP connect and handshake together ({@link DEFAULT_CONNECT_TIMEOUT}). */
  readonly connectTimeout?: Duration.Input | undefined
  /** The longest wait for a reply on the shared connection ({@link DEFAULT_COMMAND_TIMEOUT}). */
  readonly commandTimeout?: Duration.Input | undefined
  /** The longest wait for replies still due when the layer closes ({@link DEFAULT_CLOSE_TIMEOUT}). */
  readonly closeTimeout?: Duration.Input | undefined
  /** The wait after a failed connect attempt, doubled per failure ({@link DEFAULT_RECONNECT_BASE_DELAY}). */
  readonly reconnectBaseDelay?: Duration.Input | undefined
  /** The longest wait between connect attempts ({@link DEFAULT_RECONNECT_MAX_DELAY}). */
  readonly reconnectMaxDelay?: Duration.Input | undefined
  /** More node-redis options (see {@link ClientOptions}). */
  readonly client?: ClientOptions | undefined
  /** The pool behind `Redis.reserve` (Effect's defaults: 10 connections, unbounded acquire wait). */
  readonly pool?: Redis.PoolOptions | undefined
}

const millis = (input: Duration.Input | undefined, fallback: Duration.Duration): number =>
  Duration.toMillis(Duration.fromInputUnsafe(input ?? fallback))

/**
 * Makes the `Redis` service: connects once (failing with
 * `ThrottleStoreUnavailable`, action `"connect"`, within `connectTimeout`),
 * and closes everything, within `closeTimeout`, when the scope closes.
 *
 * @category constructors
 * @since 0.2.0
 */
export const make = Effect.fnUntraced(function* (options: RedisConnectionOptions) {
  const url = Redacted.isRedacted(options.url) ? Redacted.value(options.url) : options.url
  const target = describeTarget(url)
  const secrets = secretsOf(url)
  const connectTimeoutMs = millis(options.connectTimeout, DEFAULT_CONNECT_TIMEOUT)
  const commandTimeoutMs = millis(options.commandTimeout, DEFAULT_COMMAND_TIMEOUT)
  const closeTimeoutMs = millis(options.closeTimeout, DEFAULT_CLOSE_TIMEOUT)
  const clientOptions = options.client ?? {}

  const create = () =>
    createClient({
      ...clientOptions,
      url,
      // A command sent while the connection is down fails at once instead of
      // waiting in a queue for a connection that may never come.
      disableOfflineQueue: true,
      socket: {
        ...(clientOptions.socket ?? {}),
        // node-redis bounds the TCP connect with this; the handshake is bounded by `connect` below.
        connectTimeout: connectTimeoutMs,
        // Never reconnect inside node-redis: its reconnect runs the handshake unbounded. A lost
        // connection is dropped, and the next command connects again (bounded).
        reconnectStrategy: false
      } as NonNullable<ClientOptions["socket"]>
    })

  const connect = (onError: (message: string) => void) =>
    RedisClient.connect({ create, timeoutMs: connectTimeoutMs, target, secrets, onError })

  const scope = yield* Effect.scope
  const slot = ConnectionSlot.make({
    connect: (onError) =>
      Effect.suspend(() => {
        let connected: RedisClient.Client | undefined
        return Effect.tap(
          connect((message) => {
            if (connected !== undefined) onError(connected, message)
          }),
          (client) =>
            Effect.sync(() => {
              connected = client
            })
        )
      }),
    scope,
    target,
    reconnectBaseMs: millis(options.reconnectBaseDelay, DEFAULT_RECONNECT_BASE_DELAY),
    reconnectMaxMs: millis(options.reconnectMaxDelay, DEFAULT_RECONNECT_MAX_DELAY),
    closeTimeoutMs
  })
  // Added first, so it runs last: after the pool below has closed its reserved connections.
  yield* Effect.addFinalizer(() => slot.close)

  yield* Effect.mapError(
    slot.get,
    (error) =>
      new ThrottleStoreUnavailable({ store: "redis", action: "connect", detail: RedisClient.failureMessage(error) })
  )

  const sendShared = <A = unknown>(command: string, ...args: ReadonlyArray<string>) =>
    Effect.flatMap(slot.get, (client) =>
      RedisClient.send<A>(client, [command, ...args], {
        timeoutMs: commandTimeoutMs,
        secrets,
        onTimeout: (reason) => slot.drop(client, reason)
      })
    )

  return yield* Redis.make({
    send: sendShared,
    // Reserved connections carry blocking commands (BLPOP, XREAD BLOCK...), whose replies
    // legitimately take long: no reply bound there. Interrupting one, or closing the scope,
    // destroys the connection (Redis.reserve closes a connection whose command did not end).
    connect: Effect.map(
      connect(() => {}),
      (client) => ({
        send: <A = unknown>(command: string, ...args: ReadonlyArray<string>) =>
          RedisClient.send<A>(client, [command, ...args], { timeoutMs: undefined, secrets, onTimeout: () => {} }),
        close: Effect.sync(() => client.destroy())
      })
    ),
    pool: options.pool,
    // A subscriber does not reconnect: a lost connection fails the subscription's queue,
    // and the caller subscribes again.
    subscribe: Effect.fnUntraced(function* (channel, onMessage) {
      const lost = Deferred.makeUnsafe<void>()
      let reason = `the subscription to ${target} was lost`
      const subscriber = yield* Effect.acquireRelease(
        connect((message) => {
          reason = `the subscription to ${target} was lost: ${message}`
          Deferred.doneUnsafe(lost, Effect.void)
        }),
        (client) => Effect.sync(() => client.destroy())
      )
      subscriber.on("end", () => Deferred.doneUnsafe(lost, Effect.void))
      yield* Effect.tryPromise({
        try: () => subscriber.subscribe(channel, (message, channel) => onMessage({ channel, message })),
        catch: () => RedisClient.redisError(`cannot subscribe on ${target}`)
      }).pipe(
        Effect.timeoutOrElse({
          duration: Duration.millis(commandTimeoutMs),
          orElse: () => Effect.fail(RedisClient.redisError(`no reply to SUBSCRIBE within ${commandTimeoutMs} ms`))
        })
      )
      return Effect.andThen(
        Deferred.await(lost),
        Effect.suspend(() => Effect.fail(RedisClient.redisError(reason)))
      )
    })
  })
})

/**
 * Provides Effect's `Redis` service over node-redis with every wait bounded
 * (see the module docs). Building it connects, and fails with
 * `ThrottleStoreUnavailable` (store `"redis"`, action `"connect"`) within
 * `connectTimeout` when Redis refuses, is unreachable or never answers.
 *
 * @example
 * ```ts
 * import { Layer } from "effect"
 * import { RedisStore, Throttle } from "@mws-kit/throttle"
 * import * as RedisConnection from "@mws-kit/throttle/RedisConnection"
 *
 * const ThrottleLive = Throttle.Throttle.layer({ developerId: "1234-5678-9012" }).pipe(
 *   Layer.provide(RedisStore.layer()),
 *   Layer.provide(RedisConnection.layer({ url: "redis://127.0.0.1:6379" }))
 * )
 * ```
 *
 * @category layers
 * @since 0.2.0
 */
export const layer = (options: RedisConnectionOptions): Layer.Layer<Redis.Redis, ThrottleStoreUnavailable> =>
  Layer.effect(Redis.Redis, make(options))
