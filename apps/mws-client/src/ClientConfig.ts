/**
 * The client's configuration, read through Effect `Config` from the
 * environment variables the CLI reads too. Secrets are held as `Redacted`
 * values from the moment they are read; a broken setting fails at start with
 * a message that names it (and never shows a secret).
 *
 * | Variable | Meaning |
 * |---|---|
 * | `MWS_ACCESS_KEY_ID` | the developer account's access key id (required) |
 * | `MWS_SECRET_ACCESS_KEY` | its secret key (required, redacted) |
 * | `MWS_SELLER_ID` | the seller (merchant) id (required) |
 * | `MWS_AUTH_TOKEN` | the MWSAuthToken, for third-party access (optional, redacted) |
 * | `MWS_REGION` | `NA`, `EU` or `FE` |
 * | `MWS_MARKETPLACE` | a marketplace code (`US`, `DE`...) or MarketplaceId |
 * | `MWS_ENDPOINT` | an explicit endpoint URL (wins over the two above) |
 * | `MWS_LEDGER` | a SQLite file path or a `postgres://` URL (default: the embedded file) |
 * | `MWS_REDIS_URL` | Redis for throttling shared by a fleet (optional, redacted) |
 * | `MWS_DEVELOPER_ID` | the developer account id keying the throttle buckets (optional) |
 * | `MWS_TIMEOUT_MS` | per-attempt timeout (default {@link DEFAULT_TIMEOUT_MS}) |
 * | `MWS_MAX_RESPONSE_BYTES` | the largest success body read (default `ResponseLimit.DEFAULT_MAX_RESPONSE_BYTES`, 64 MiB) |
 * | `MWS_APP_NAME`, `MWS_APP_VERSION` | the application in the User-Agent |
 * | `MWS_TIME_SCALE` | quotas and retry waits run this many times faster (sandbox only) |
 *
 * @since 0.1.0
 */
import { Config, Duration, Effect, Option, Redacted } from "effect"
import * as Endpoints from "./Endpoints.ts"
import {
  ClientConfigError,
  fail,
  maskUrl,
  parseLedger,
  positiveNumber,
  required,
  resolveEndpoint
} from "./internal/clientConfigParse.ts"
import * as UserAgent from "./UserAgent.ts"

// Defined (and documented) with the checks of single settings, in internal/clientConfigParse.ts.
export {
  ClientConfigError,
  defaultLedgerPath,
  maskUrl,
  parseEndpoint,
  parseLedger
} from "./internal/clientConfigParse.ts"

/**
 * The per-attempt timeout unless `MWS_TIMEOUT_MS` says otherwise: 2 minutes.
 * MWS gives no figure; feeds and reports may carry megabytes, and a request
 * stuck longer than the 15-minute Timestamp validity (DG_Timestamps) can
 * never succeed, so a retry well inside it is worth more than waiting.
 *
 * @category constants
 * @since 0.1.0
 */
export const DEFAULT_TIMEOUT_MS = 120_000

/**
 * The slowest `MWS_TIME_SCALE`: 0.01, quotas and waits a hundred times
 * slower than MWS. Below it a throttled call's wait (ListOrders restores a
 * request a minute) runs into days; `1e-9` waited forever.
 *
 * @category constants
 * @since 0.2.0
 */
export const MIN_TIME_SCALE = 0.01

/**
 * The fastest `MWS_TIME_SCALE`: 1,000,000, an hour's quota in under 4 ms.
 * Faster, the scaled waits fall under a millisecond and timers cannot keep
 * the buckets' pace.
 *
 * @category constants
 * @since 0.2.0
 */
export const MAX_TIME_SCALE = 1_000_000

/**
 * Every environment variable the client reads.
 *
 * @category constants
 * @since 0.1.0
 */
export const VARIABLES = [
  "MWS_ACCESS_KEY_ID",
  "MWS_SECRET_ACCESS_KEY",
  "MWS_SELLER_ID",
  "MWS_AUTH_TOKEN",
  "MWS_REGION",
  "MWS_MARKETPLACE",
  "MWS_ENDPOINT",
  "MWS_LEDGER",
  "MWS_REDIS_URL",
  "MWS_DEVELOPER_ID",
  "MWS_TIMEOUT_MS",
  "MWS_MAX_RESPONSE_BYTES",
  "MWS_APP_NAME",
  "MWS_APP_VERSION",
  "MWS_TIME_SCALE"
] as const

/**
 * An environment variable the client reads.
 *
 * @category models
 * @since 0.1.0
 */
export type Variable = (typeof VARIABLES)[number]

/**
 * Where the ledger lives.
 *
 * @category models
 * @since 0.1.0
 */
export type LedgerTarget =
  | { readonly _tag: "Sqlite"; readonly path: string }
  | { readonly _tag: "Postgres"; readonly url: Redacted.Redacted<string> }
  | { readonly _tag: "Memory" }

/**
 * The credentials and the account: the secret key and the token are
 * redacted values.
 *
 * @category models
 * @since 0.1.0
 */
export interface Credentials {
  readonly accessKeyId: string
  readonly secretKey: Redacted.Redacted<string>
  readonly sellerId: string
  readonly authToken?: Redacted.Redacted<string> | undefined
}

/**
 * The resolved configuration of a client.
 *
 * @category models
 * @since 0.1.0
 */
export interface ClientConfig extends Credentials {
  /** The endpoint origin, e.g. `https://mws.amazonservices.com`. */
  readonly endpoint: string
  /** The region, when known. */
  readonly region?: Endpoints.Region | undefined
  /**
   * The marketplace, when named: its endpoint, and the marketplace a ledger
   * entry records when the request names none. It is not added to requests.
   */
  readonly marketplace?: Endpoints.Marketplace | undefined
  readonly ledger: LedgerTarget
  readonly redisUrl?: Redacted.Redacted<string> | undefined
  /** The developer account id that keys throttle buckets (not a secret). */
  readonly developerId?: string | undefined
  readonly userAgent: string
  /** Per-attempt timeout. */
  readonly timeout: Duration.Duration
  /** Quotas and retry waits run this many times faster (the sandbox's time scale); 1 against MWS. */
  readonly timeScale: number
  /** The largest success body read (default `ResponseLimit.DEFAULT_MAX_RESPONSE_BYTES`). */
  readonly maxResponseBytes?: number | undefined
}

/**
 * The raw settings, as strings, before validation: what the environment (or
 * a test) gives.
 *
 * @category models
 * @since 0.1.0
 */
export type RawSettings = { readonly [V in Variable]?: string | undefined }

/**
 * Validates raw settings into a configuration. Every failure names its
 * setting; no message shows the secret key, the token, or the password of a
 * ledger or Redis URL.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { ClientConfig } from "@mws-kit/mws-client"
 *
 * const config = ClientConfig.fromSettings({
 *   MWS_ACCESS_KEY_ID: "AKIAEXAMPLE",
 *   MWS_SECRET_ACCESS_KEY: "secret",
 *   MWS_SELLER_ID: "A1SELLER",
 *   MWS_REGION: "XX"
 * })
 * // fails: ClientConfigError { setting: "MWS_REGION",
 * //   message: "MWS_REGION=XX is not a region: use NA, EU, FE or set MWS_ENDPOINT" }
 * ```
 *
 * @category constructors
 * @since 0.1.0
 */
export const fromSettings = (settings: RawSettings): Effect.Effect<ClientConfig, ClientConfigError> =>
  Effect.gen(function* () {
    const accessKeyId = yield* required(settings, "MWS_ACCESS_KEY_ID", "the access key id of your developer account")
    const secretKey = yield* required(settings, "MWS_SECRET_ACCESS_KEY", "the secret key of your developer account")
    const sellerId = yield* required(settings, "MWS_SELLER_ID", "the seller (merchant) id to call for")
    const authToken = settings.MWS_AUTH_TOKEN?.trim()
    const location = yield* resolveEndpoint(settings)
    const ledger = yield* parseLedger(settings.MWS_LEDGER)
    const redisText = settings.MWS_REDIS_URL?.trim()
    if (redisText !== undefined && redisText !== "" && !/^rediss?:\/\/[^\s]+$/i.test(redisText)) {
      return yield* fail("MWS_REDIS_URL", `MWS_REDIS_URL=${maskUrl(redisText)} is not a redis:// URL`)
    }
    const timeoutMs = yield* positiveNumber(settings, "MWS_TIMEOUT_MS", DEFAULT_TIMEOUT_MS)
    const timeScale = yield* positiveNumber(settings, "MWS_TIME_SCALE", 1)
    if (timeScale < MIN_TIME_SCALE || timeScale > MAX_TIME_SCALE) {
      return yield* fail(
        "MWS_TIME_SCALE",
        `MWS_TIME_SCALE=${settings.MWS_TIME_SCALE?.trim()} is out of range: from ${MIN_TIME_SCALE} to ${MAX_TIME_SCALE}`
      )
    }
    const maxResponseText = settings.MWS_MAX_RESPONSE_BYTES?.trim()
    const maxResponseBytes = yield* positiveNumber(settings, "MWS_MAX_RESPONSE_BYTES", Number.NaN)
    if (maxResponseText !== undefined && maxResponseText !== "" && !Number.isSafeInteger(maxResponseBytes)) {
      return yield* fail(
        "MWS_MAX_RESPONSE_BYTES",
        `MWS_MAX_RESPONSE_BYTES=${maxResponseText} is not a whole number of bytes`
      )
    }
    const appName = settings.MWS_APP_NAME?.trim()
    const appVersion = settings.MWS_APP_VERSION?.trim()
    let userAgent: string
    try {
      userAgent =
        appName === undefined || appName === ""
          ? UserAgent.defaultUserAgent()
          : UserAgent.defaultUserAgent({ name: appName, version: appVersion || "1.0" })
    } catch (error) {
      return yield* fail("MWS_APP_NAME", `MWS_APP_NAME / MWS_APP_VERSION: ${(error as Error).message}`)
    }
    const developerId = settings.MWS_DEVELOPER_ID?.trim()
    return {
      accessKeyId,
      secretKey: Redacted.make(secretKey),
      sellerId,
      ...(authToken === undefined || authToken === "" ? {} : { authToken: Redacted.make(authToken) }),
      ...location,
      ledger,
      ...(redisText === undefined || redisText === "" ? {} : { redisUrl: Redacted.make(redisText) }),
      ...(developerId === undefined || developerId === "" ? {} : { developerId }),
      userAgent,
      timeout: Duration.millis(timeoutMs),
      timeScale,
      ...(Number.isNaN(maxResponseBytes) ? {} : { maxResponseBytes })
    } satisfies ClientConfig
  })

/**
 * Reads every variable in {@link VARIABLES} through Effect `Config` (so the
 * current `ConfigProvider` decides where they come from: the environment by
 * default), as optional strings.
 *
 * @category constructors
 * @since 0.1.0
 */
export const readSettings: Effect.Effect<RawSettings, ClientConfigError> = Effect.gen(function* () {
  const settings: { [V in Variable]?: string } = {}
  for (const name of VARIABLES) {
    const value = yield* Config.option(Config.String(name)).pipe(
      Effect.mapError(() => new ClientConfigError({ setting: name, message: `${name} could not be read` }))
    )
    if (Option.isSome(value)) settings[name] = value.value
  }
  return settings
})

/**
 * The configuration from the environment (through Effect `Config`), checked.
 *
 * @category constructors
 * @since 0.1.0
 */
export const load: Effect.Effect<ClientConfig, ClientConfigError> = Effect.flatMap(readSettings, fromSettings)

/**
 * Just the ledger target from the environment (`MWS_LEDGER`), for commands
 * that only read the ledger.
 *
 * @category constructors
 * @since 0.1.0
 */
export const loadLedger: Effect.Effect<LedgerTarget, ClientConfigError> = Effect.flatMap(readSettings, (settings) =>
  parseLedger(settings.MWS_LEDGER)
)

/**
 * A configuration for the local sandbox: its URL, its default credential and
 * seller id, and the given ledger (in memory unless told otherwise).
 *
 * @category constructors
 * @since 0.1.0
 */
export const forSandbox = (options: {
  readonly url: string
  readonly accessKeyId: string
  readonly secretKey: string
  readonly sellerId: string
  readonly timeScale?: number | undefined
  readonly ledger?: LedgerTarget | undefined
  readonly authToken?: string | undefined
  readonly timeout?: Duration.Input | undefined
  readonly userAgent?: string | undefined
  readonly maxResponseBytes?: number | undefined
}): ClientConfig => ({
  accessKeyId: options.accessKeyId,
  secretKey: Redacted.make(options.secretKey),
  sellerId: options.sellerId,
  ...(options.authToken === undefined ? {} : { authToken: Redacted.make(options.authToken) }),
  endpoint: options.url.replace(/\/+$/, ""),
  marketplace: Endpoints.findMarketplace("US"),
  ledger: options.ledger ?? { _tag: "Memory" },
  userAgent: options.userAgent ?? UserAgent.defaultUserAgent(),
  timeout: Duration.fromInputUnsafe(options.timeout ?? Duration.millis(DEFAULT_TIMEOUT_MS)),
  timeScale: options.timeScale ?? 1,
  ...(options.maxResponseBytes === undefined ? {} : { maxResponseBytes: options.maxResponseBytes })
})
