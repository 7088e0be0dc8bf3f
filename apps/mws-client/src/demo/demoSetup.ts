/**
 * The demo's set-up: its tunables (how much faster than MWS quotas and
 * retry waits run, how many orders and requests), the sandboxes it starts,
 * and what every scene is given to work with.
 *
 * @internal
 */
import type { RetryPolicy } from "@mws-kit/backoff-policy"
import type { Ledger } from "@mws-kit/request-ledger"
import { Sandbox } from "@mws-kit/sandbox"
import { Effect } from "effect"
import * as ClientConfig from "../ClientConfig.ts"
import type { MwsClient } from "../MwsClient.ts"
import type { AttemptNarrator } from "./narration.ts"

/**
 * Quotas in the demo run 100 times faster: a restore of one request a
 * minute takes 600 ms, ListOrderItems' "one every 2 s" 20 ms. Fast enough to
 * finish in seconds; slow enough that waits are visible and that a burst
 * sent without pacing is throttled even on a slow, shared machine (the
 * in-process sandbox answers a few hundred requests a second there).
 *
 * @internal
 */
export const QUOTA_TIME_SCALE = 100

/**
 * Scene 4 has a sandbox of its own whose hour lasts 6 s (600 times faster):
 * an hourly quota cannot be waited out in a short demo at 100x (36 s).
 *
 * @internal
 */
export const HOURLY_TIME_SCALE = 600

/**
 * Retry waits in the demo run 10 times faster: the documented 1 s, 4 s, 10 s,
 * 30 s become 100 ms, 400 ms, 1 s, 3 s, so the timeline is visible and a call
 * that never recovers gives up in under 5 s.
 *
 * @internal
 */
export const RETRY_TIME_SCALE = 10

/**
 * The demo client's jitter allowance: 250 ms. The sandbox shares this
 * process (and its event loop) with a hundred requests in flight, so a
 * request can reach it a couple of hundred milliseconds after one granted
 * later; the client's loopback default (100 ms) let one of the 100 paced
 * requests be throttled on a busy 2-core machine.
 *
 * @internal
 */
export const DEMO_JITTER_ALLOWANCE_MS = 250

/** Orders the demo's sandbox holds: 50, ten ListOrders pages of 5. @internal */
export const DEMO_ORDERS = 50

/** Orders per page: 5, so the 6-request ListOrders burst runs out and throttling shows. @internal */
export const ORDERS_PER_PAGE = 5

/** Requests in the ListOrderItems bursts: 100 against a bucket of 30. @internal */
export const BURST = 100

/** The US marketplace's MarketplaceId: the marketplace of `ClientConfig.forSandbox`, named by every scene's requests. @internal */
export const MARKETPLACE = "ATVPDKIKX0DER"

/** What every scene works with: the main client and its ledger, the sandbox behind it, and the narration. @internal */
export interface SceneContext {
  /** The demo's client: paced, retried, recorded, its attempts narrated while `narrator` says so. */
  readonly mws: MwsClient["Service"]
  /** The ledger every attempt of the demo lands in. */
  readonly ledger: Ledger.Ledger["Service"]
  /** The in-process sandbox the client calls. */
  readonly sandbox: Sandbox.SandboxHandle
  /** The client's configuration (against `sandbox`). */
  readonly config: ClientConfig.ClientConfig
  /** Where the ledger lives, for a scene's own clients. */
  readonly ledgerTarget: ClientConfig.LedgerTarget
  /** The retry options, scaled to the demo's retry time scale. */
  readonly retry: RetryPolicy.Options
  /** How much faster than MWS the hourly-quota scene's sandbox runs. */
  readonly hourlyScale: number
  /** The per-attempt narration of single calls. */
  readonly narrator: AttemptNarrator
}

/**
 * A sandbox started in this process (closed with the scope) and a client
 * configuration against it: the sandbox's default credential and seller, its
 * time scale, and the ledger at `ledgerTarget`.
 *
 * @internal
 */
export const startSandbox = (
  options: Sandbox.SandboxOptions & { readonly timeScale: number },
  ledgerTarget: ClientConfig.LedgerTarget
) =>
  Effect.gen(function* () {
    const sandbox = yield* Effect.acquireRelease(
      Effect.promise(() => Sandbox.start(options)),
      (handle) => Effect.promise(() => handle.close())
    )
    const config = ClientConfig.forSandbox({
      url: sandbox.url,
      ...Sandbox.DEFAULT_CREDENTIAL,
      sellerId: Sandbox.DEFAULT_SELLER_ID,
      timeScale: options.timeScale,
      ledger: ledgerTarget
    })
    return { sandbox, config }
  })
