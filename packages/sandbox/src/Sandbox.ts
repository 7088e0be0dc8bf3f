/**
 * A local MWS emulator: an HTTP server on loopback that routes
 * `/{Section}/{Version}`, checks Signature Version 2, the Timestamp and the
 * User-Agent, throttles with the documented quotas (time-scaled), checks
 * Content-MD5, answers a set of operations with small valid bodies, injects
 * faults on demand and logs every request id it issues.
 *
 * @since 0.1.0
 */
import { createServer, type Server } from "node:http"
import type { AddressInfo } from "node:net"
import { MwsQuotas, type QuotaCatalog } from "@mws-kit/throttle"
import { Context, Effect, Layer } from "effect"
import * as Faults from "./Faults.ts"
import { DownloadCorruption } from "./internal/downloadCorruption.ts"
import { requestListener, type SandboxState } from "./internal/handler.ts"
import { KNOWN_ASINS, SandboxData } from "./internal/operations.ts"
import { ServerQuotas } from "./internal/serverQuotas.ts"
import type { LoggedRequest } from "./RequestLog.ts"

/**
 * A pair of credentials the sandbox accepts.
 *
 * @category models
 * @since 0.1.0
 */
export interface Credential {
  readonly accessKeyId: string
  readonly secretKey: string
}

/**
 * The credentials the sandbox accepts unless told otherwise. They are not
 * secret: anyone can read them here, and they work nowhere but the sandbox.
 *
 * @category constants
 * @since 0.1.0
 */
export const DEFAULT_CREDENTIAL: Credential = {
  accessKeyId: "AKIASANDBOXEXAMPLE01",
  secretKey: "sandbox-secret-key-not-a-real-one"
}

/**
 * The seller id the demos use. The sandbox accepts any seller id.
 *
 * @category constants
 * @since 0.1.0
 */
export const DEFAULT_SELLER_ID = "A1SANDBOXSELLER"

/**
 * How far a request's Timestamp may be from the server's clock: 15 minutes
 * (MWS Developer Guide, "Timestamps": requests that differ by more are
 * rejected, and a Timestamp expires 15 minutes after it).
 *
 * @category constants
 * @since 0.1.0
 */
export const MAX_CLOCK_SKEW_MS = 15 * 60_000

/**
 * The longest User-Agent accepted: 500 characters (MWS Developer Guide,
 * "Including a User-Agent header"; the Feeds and Reports error list names
 * UserAgentHeaderMaximumLengthExceeded).
 *
 * @category constants
 * @since 0.1.0
 */
export const MAX_USER_AGENT_LENGTH = 500

/**
 * The largest request body read: 32 MiB. Real feeds may be larger (the docs
 * allow up to 2 GiB); the sandbox is for tests and demos.
 *
 * @category constants
 * @since 0.1.0
 */
export const MAX_REQUEST_BYTES = 32 * 1024 * 1024

/**
 * Orders the sandbox seeds unless told otherwise: enough for three
 * ListOrders pages of 10.
 *
 * @category constants
 * @since 0.1.0
 */
export const DEFAULT_ORDER_COUNT = 25

/**
 * Sandbox options; every one has a default.
 *
 * @category models
 * @since 0.1.0
 */
export interface SandboxOptions {
  /** The port; 0 (default) picks a free one. */
  readonly port?: number
  /** The address to listen on (default 127.0.0.1; loopback only). */
  readonly host?: string
  /** Time runs this many times faster for quotas: 3600 makes an hour last a second (default 1). */
  readonly timeScale?: number
  /** Accepted credentials (default {@link DEFAULT_CREDENTIAL}). */
  readonly credentials?: ReadonlyArray<Credential>
  /** The quota catalog (default `@mws-kit/throttle`'s MWS catalog). */
  readonly quotas?: QuotaCatalog.QuotaCatalog
  /** Orders to seed (default {@link DEFAULT_ORDER_COUNT}). */
  readonly orders?: number
  /** Corrupt every download's body (its Content-MD5 header stays the true one). */
  readonly corruptDownloads?: boolean
  /** Faults to script from the start, per operation (`"*"` for any). */
  readonly faults?: Readonly<Record<string, ReadonlyArray<Faults.Fault>>>
  /** The clock, in epoch milliseconds (default `Date.now`). */
  readonly now?: () => number
  /** The random source for probabilistic faults (default `Math.random`). */
  readonly random?: () => number
}

/**
 * A running sandbox.
 *
 * @category models
 * @since 0.1.0
 */
export interface SandboxHandle {
  /** `http://127.0.0.1:PORT`: the endpoint to point a client at. */
  readonly url: string
  readonly port: number
  /** The Host header value clients send (and sign). */
  readonly host: string
  /** Every request answered so far, oldest first. */
  readonly requests: () => ReadonlyArray<LoggedRequest>
  /** Scripted and probabilistic faults. */
  readonly faults: Faults.FaultPlan
  /** Corrupts the bodies of the next `count` downloads (GetReport, GetFeedSubmissionResult). */
  readonly corruptNextDownloads: (count?: number) => void
  /** Stops the server. */
  readonly close: () => Promise<void>
}

/**
 * Starts a sandbox and resolves once it listens. For Effect programs and
 * tests, prefer {@link Sandbox.layer}, which stops it when its scope closes.
 *
 * @example
 * ```ts
 * import { Sandbox } from "@mws-kit/sandbox"
 *
 * const sandbox = await Sandbox.start({ timeScale: 60 })
 * // point a client at sandbox.url, with Sandbox.DEFAULT_CREDENTIAL
 * sandbox.faults.script("ListOrders", [{ kind: "internal-error" }, { kind: "internal-error" }])
 * await sandbox.close()
 * ```
 *
 * @category constructors
 * @since 0.1.0
 */
export const start = async (options: SandboxOptions = {}): Promise<SandboxHandle> => {
  const now = options.now ?? Date.now
  const timeScale = options.timeScale ?? 1
  if (!(timeScale > 0 && Number.isFinite(timeScale)))
    throw new RangeError(`timeScale must be a positive number, got ${timeScale}`)
  const credentials = new Map((options.credentials ?? [DEFAULT_CREDENTIAL]).map((c) => [c.accessKeyId, c.secretKey]))
  const quotas = new ServerQuotas(options.quotas ?? MwsQuotas.catalog, timeScale)
  const data = new SandboxData(options.orders ?? DEFAULT_ORDER_COUNT, now())
  const faults = new Faults.FaultPlan(options.random)
  for (const [operation, list] of Object.entries(options.faults ?? {})) faults.script(operation, list)
  const state: SandboxState = {
    now,
    credentials,
    quotas,
    data,
    faults,
    log: [],
    downloads: new DownloadCorruption(options.corruptDownloads === true),
    maxRequestBytes: MAX_REQUEST_BYTES,
    maxUserAgentLength: MAX_USER_AGENT_LENGTH,
    maxClockSkewMs: MAX_CLOCK_SKEW_MS
  }

  const server: Server = createServer(requestListener(state))
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject)
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => {
      server.off("error", reject)
      resolve()
    })
  })
  const address = server.address() as AddressInfo
  const hostName = address.family === "IPv6" ? `[${address.address}]` : address.address
  const host = `${hostName}:${address.port}`
  return {
    url: `http://${host}`,
    port: address.port,
    host,
    requests: () => [...state.log],
    faults,
    corruptNextDownloads: (count = 1) => state.downloads.add(count),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()))
        server.closeAllConnections()
      })
  }
}

/**
 * The sandbox as an Effect service: `Sandbox.layer(options)` starts it and
 * stops it when the layer's scope closes.
 *
 * @example
 * ```ts
 * import { it } from "@effect/vitest"
 * import { Effect } from "effect"
 * import { Sandbox } from "@mws-kit/sandbox"
 *
 * it.layer(Sandbox.Sandbox.layer({ timeScale: 100 }))((it) => {
 *   it.effect("talks to the sandbox", () =>
 *     Effect.gen(function* () {
 *       const sandbox = yield* Sandbox.Sandbox
 *       // ... call sandbox.url, then check sandbox.requests()
 *     }))
 * })
 * ```
 *
 * @category services
 * @since 0.1.0
 */
export class Sandbox extends Context.Service<Sandbox, SandboxHandle>()("@mws-kit/sandbox/Sandbox") {
  /** Starts a sandbox for the layer's lifetime. */
  static layer(options: SandboxOptions = {}): Layer.Layer<Sandbox> {
    return Layer.effect(
      Sandbox,
      Effect.acquireRelease(
        Effect.promise(() => start(options)),
        (sandbox) => Effect.promise(() => sandbox.close())
      )
    )
  }
}

/**
 * ASINs that `GetMatchingProductForId` knows; any other id gets a per-item
 * `InvalidParameterValue`, as the real service answers unknown ids.
 *
 * @category constants
 * @since 0.1.0
 */
export const KNOWN_PRODUCT_ASINS: ReadonlyArray<string> = KNOWN_ASINS
