/**
 * A configured client, assembled: the throttle (in memory, or on Redis when
 * `MWS_REDIS_URL` is set, shared by every process of the seller), the
 * request ledger (embedded SQLite by default, PostgreSQL for a
 * `postgres://` `MWS_LEDGER`, or memory), Node's HTTP transport and the
 * client itself. Drivers a configuration does not use (Redis, PostgreSQL)
 * are loaded only when it uses them.
 *
 * @since 0.1.0
 */
import { Ledger, LedgerError, MemoryStore as LedgerMemoryStore, type LedgerStore } from "@mws-kit/request-ledger"
import { MemoryStore, RedisStore, Throttle, type ThrottleError } from "@mws-kit/throttle"
import type * as RedisConnection from "@mws-kit/throttle/RedisConnection"
import { Duration, Effect, Layer } from "effect"
import type { Redis } from "effect/persistence"
import * as ClientConfig from "./ClientConfig.ts"
import { sqliteStoreLayer } from "./internal/ledgerStores.ts"
import { type ClientOptions, MwsClient } from "./MwsClient.ts"
import { Transport } from "./Transport.ts"

/**
 * The throttle's jitter allowance against MWS: 200 ms. The throttle paces as
 * if each bucket held that much less, so requests whose trip to MWS takes up
 * to 200 ms longer than an earlier one's are still inside the server's bucket
 * (throttle README, "Jitter allowance": "against MWS, a few hundred
 * milliseconds is cheap next to restore intervals of seconds to minutes").
 *
 * @category constants
 * @since 0.1.0
 */
export const MWS_JITTER_ALLOWANCE: Duration.Duration = Duration.millis(200)

/**
 * The allowance against a loopback endpoint (the sandbox): 100 ms. With a
 * hundred or more requests in flight on a busy, shared 2-core machine, a
 * request can reach the sandbox tens of milliseconds later than one granted
 * after it: the demo saw RequestThrottled with 25 ms, the benchmark with
 * 50 ms. Buckets too small for the allowance (at a high time scale) are
 * paced exactly.
 *
 * @category constants
 * @since 0.1.0
 */
export const LOOPBACK_JITTER_ALLOWANCE: Duration.Duration = Duration.millis(100)

/**
 * What assembling a client can fail with: Redis unreachable or silent past
 * its connect bound, or the `redis` package not installed (`MWS_REDIS_URL`),
 * the ledger store cannot be opened or is misconfigured (`MWS_LEDGER`).
 *
 * @category models
 * @since 0.1.0
 */
export type LayerError =
  | Redis.RedisError
  | ThrottleError.ThrottleStoreUnavailable
  | LedgerError.LedgerStoreError
  | LedgerError.LedgerConfigError
  | ClientConfig.ClientConfigError

/**
 * Everything that can be tuned when assembling a client.
 *
 * @category models
 * @since 0.1.0
 */
export interface LayerOptions extends ClientOptions {
  /** Throttle settings laid over the ones derived from the configuration. */
  readonly throttle?: Omit<Throttle.ThrottleConfig, "timeScale" | "developerId"> | undefined
  /** Request ledger settings (durability, retention...). */
  readonly ledger?: Ledger.Options | undefined
  /** A Redis key prefix for the shared throttle (default the store's). */
  readonly redisPrefix?: string | undefined
  /**
   * Bounds of the Redis connection (connect, command, close), laid over
   * `@mws-kit/throttle/RedisConnection`'s defaults.
   */
  readonly redis?: Omit<RedisConnection.RedisConnectionOptions, "url"> | undefined
}

const isLoopbackEndpoint = (endpoint: string): boolean => {
  const host = new URL(endpoint).hostname
  return host === "localhost" || host === "[::1]" || host.startsWith("127.")
}

/** Loads the Redis connection's module (and so `redis`, an optional peer dependency). */
const loadRedisConnection = () => import("@mws-kit/throttle/RedisConnection")

/**
 * Why an optional driver's module could not be loaded: the install hint when
 * the package is absent, else the loader's own message.
 */
const loadFailure = (cause: unknown, missing: string, what: string): string =>
  (cause as NodeJS.ErrnoException)?.code === "ERR_MODULE_NOT_FOUND"
    ? missing
    : `${what} could not be loaded: ${(cause as Error)?.message ?? String(cause)}`

/** Why the Redis module could not be loaded, as a configuration error on `MWS_REDIS_URL`. */
const redisLoadError = (cause: unknown): ClientConfig.ClientConfigError =>
  new ClientConfig.ClientConfigError({
    setting: "MWS_REDIS_URL",
    message: loadFailure(
      cause,
      "a redis:// throttle needs the redis package (5 or 6): install it (npm install redis)",
      "the Redis connection"
    )
  })

/**
 * The throttle a configuration asks for: in memory, or on Redis when
 * `redisUrl` is set (node-redis through `@mws-kit/throttle/RedisConnection`,
 * loaded only then, with every wait bounded). Redis being unreachable, or
 * silent past the connect bound, fails the layer with a typed error; the
 * `redis` package missing is a `ClientConfigError` on `MWS_REDIS_URL` that
 * says to install it. `load` (for tests) replaces the module's loader.
 *
 * @category layers
 * @since 0.1.0
 */
export const throttleLayer = (
  config: ClientConfig.ClientConfig,
  options: Pick<LayerOptions, "throttle" | "redisPrefix" | "redis"> = {},
  load: () => Promise<typeof RedisConnection> = loadRedisConnection
): Layer.Layer<
  Throttle.Throttle,
  Redis.RedisError | ThrottleError.ThrottleStoreUnavailable | ClientConfig.ClientConfigError
> => {
  const throttleConfig: Throttle.ThrottleConfig = {
    timeScale: config.timeScale,
    ...(config.developerId === undefined ? {} : { developerId: config.developerId }),
    jitterAllowance: isLoopbackEndpoint(config.endpoint) ? LOOPBACK_JITTER_ALLOWANCE : MWS_JITTER_ALLOWANCE,
    ...options.throttle
  }
  if (config.redisUrl === undefined)
    return Throttle.Throttle.layer(throttleConfig).pipe(Layer.provide(MemoryStore.layer))
  const url = config.redisUrl
  return Layer.unwrap(
    Effect.map(Effect.tryPromise({ try: load, catch: redisLoadError }), (Connection) =>
      Throttle.Throttle.layer(throttleConfig).pipe(
        Layer.provide(RedisStore.layer(options.redisPrefix === undefined ? {} : { prefix: options.redisPrefix })),
        Layer.provide(Connection.layer({ ...options.redis, url }))
      )
    )
  )
}

/** Loads the PostgreSQL store's module (and so `@effect/sql-pg`). */
const loadPgStore = () => import("./internal/pgStore.ts")

/**
 * The ledger store a target asks for: SQLite (`node:sqlite`, the embedded
 * default), PostgreSQL (`@effect/sql-pg`, loaded only then: when it is not
 * installed, a `LedgerConfigError` on `MWS_LEDGER` says to install it) or
 * memory. `readOnly` opens a SQLite file without writing to it (see
 * `SqliteStore`'s `readOnly`) and a PostgreSQL ledger without DDL or writes
 * (`PgStore`'s `readOnly`); memory ignores it.
 *
 * @category layers
 * @since 0.1.0
 */
export const ledgerStoreLayer = (
  target: ClientConfig.LedgerTarget,
  load: () => Promise<{ readonly layer: typeof import("./internal/pgStore.ts").layer }> = loadPgStore,
  readOnly = false
): Layer.Layer<LedgerStore.LedgerStore, LedgerError.LedgerStoreError | LedgerError.LedgerConfigError> => {
  switch (target._tag) {
    case "Memory":
      return LedgerMemoryStore.layer
    case "Sqlite":
      return sqliteStoreLayer(target.path, readOnly)
    case "Postgres": {
      const url = target.url
      return Layer.unwrap(
        Effect.map(
          Effect.tryPromise({
            try: load,
            catch: (cause) =>
              new LedgerError.LedgerConfigError({
                setting: "MWS_LEDGER",
                detail: loadFailure(
                  cause,
                  "a postgres:// ledger needs @effect/sql-pg: install it (npm install @effect/sql-pg)",
                  "the PostgreSQL store"
                )
              })
          }),
          (pg) => pg.layer(url, readOnly)
        )
      )
    }
  }
}

/**
 * The request ledger for a target, with its options; `readOnly` for a
 * ledger only read from (SQLite or PostgreSQL, opened without writing to it).
 *
 * @category layers
 * @since 0.1.0
 */
export const ledgerLayer = (
  target: ClientConfig.LedgerTarget,
  options: Ledger.Options & { readonly readOnly?: boolean | undefined } = {}
): Layer.Layer<Ledger.Ledger, LedgerError.LedgerStoreError | LedgerError.LedgerConfigError> => {
  const { readOnly, ...ledgerOptions } = options
  return Ledger.Ledger.layer(ledgerOptions).pipe(
    Layer.provide(ledgerStoreLayer(target, loadPgStore, readOnly === true))
  )
}

/**
 * Everything a configured client needs, and the client: `MwsClient`, and the
 * `Ledger` and `Throttle` it uses (to query the ledger, to share the
 * throttle with other code).
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { ClientConfig, ClientLayer, MwsClient } from "@mws-kit/mws-client"
 *
 * const program = Effect.gen(function* () {
 *   const config = yield* ClientConfig.load // MWS_ACCESS_KEY_ID, ...
 *   const status = yield* MwsClient.MwsClient.use((mws) =>
 *     mws.call({ section: "Orders", operation: "GetServiceStatus" })
 *   ).pipe(Effect.provide(ClientLayer.live(config)))
 * })
 * ```
 *
 * @category layers
 * @since 0.1.0
 */
export const live = (
  config: ClientConfig.ClientConfig,
  options: LayerOptions = {}
): Layer.Layer<MwsClient | Ledger.Ledger | Throttle.Throttle, LayerError> =>
  MwsClient.layer(config, options).pipe(
    Layer.provideMerge(Layer.mergeAll(throttleLayer(config, options), ledgerLayer(config.ledger, options.ledger))),
    Layer.provide(Transport.layerNode)
  )

/**
 * {@link live} with the configuration from the environment
 * ({@link ClientConfig.load}).
 *
 * @category layers
 * @since 0.1.0
 */
export const fromEnv = (
  options: LayerOptions = {}
): Layer.Layer<MwsClient | Ledger.Ledger | Throttle.Throttle, LayerError | ClientConfig.ClientConfigError> =>
  Layer.unwrap(Effect.map(ClientConfig.load, (config) => live(config, options)))
