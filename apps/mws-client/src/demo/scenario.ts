/**
 * The `mws demo` scenario: a sandbox in this process, a client with the
 * embedded SQLite ledger, and six short scenes that show what the packages
 * do, narrated as they run. The scenes are in `pacingScenes.ts` (1, 2) and
 * `recoveryScenes.ts` (3 to 5); the summary (6) is here.
 *
 * @internal
 */
import { ErrorCatalog, MwsCatalog } from "@mws-kit/error-codes"
import { Ledger } from "@mws-kit/request-ledger"
import { Clock, Effect, Layer, Option } from "effect"
import type * as ClientConfig from "../ClientConfig.ts"
import * as ClientLayer from "../ClientLayer.ts"
import { duration, print } from "../commands/output.ts"
import { style } from "../commands/terminal.ts"
import { table } from "../commands/textTable.ts"
import { MwsClient, scaledRetryOptions } from "../MwsClient.ts"
import { Transport } from "../Transport.ts"
import {
  DEMO_JITTER_ALLOWANCE_MS,
  DEMO_ORDERS,
  HOURLY_TIME_SCALE,
  QUOTA_TIME_SCALE,
  RETRY_TIME_SCALE,
  type SceneContext,
  startSandbox
} from "./demoSetup.ts"
import { indented, makeAttemptNarrator, scene } from "./narration.ts"
import { burstScene, pagingScene } from "./pacingScenes.ts"
import { internalErrorScene, md5Scene, quotaExceededScene } from "./recoveryScenes.ts"

/** What a demo run produced, for its summary and for tests. @internal */
export interface DemoResult {
  readonly ledgerPath: string | undefined
  readonly startedAt: number
  readonly elapsedMs: number
  readonly attempts: number
  readonly byOutcome: ReadonlyArray<{ readonly key: string; readonly count: number }>
  readonly byCode: ReadonlyArray<{ readonly key: string; readonly count: number }>
  readonly ticket: string | undefined
  readonly unpacedThrottled: number
  readonly pacedThrottled: number
}

/**
 * Runs the demo. Everything the main client does lands in the ledger at
 * `ledger` (the embedded SQLite file by default).
 *
 * @internal
 */
export const run = (
  ledgerTarget: ClientConfig.LedgerTarget,
  scales: { readonly retry?: number | undefined; readonly hourly?: number | undefined } = {}
) =>
  Effect.gen(function* () {
    const RETRY_SCALE = scales.retry ?? RETRY_TIME_SCALE
    const HOURLY_SCALE = scales.hourly ?? HOURLY_TIME_SCALE
    const startedAt = yield* Clock.currentTimeMillis
    const { sandbox, config } = yield* startSandbox({ timeScale: QUOTA_TIME_SCALE, orders: DEMO_ORDERS }, ledgerTarget)
    const retry = scaledRetryOptions(RETRY_SCALE)
    const ledgerPath = ledgerTarget._tag === "Sqlite" ? ledgerTarget.path : undefined

    yield* print(
      style.bold("mws-kit demo: a throttled, flaky MWS, handled as the MWS docs say"),
      style.dim(
        `A local MWS sandbox is running at ${sandbox.url} (signature checks, the documented quotas, faults on demand).`
      ),
      style.dim(
        `Quotas run ${QUOTA_TIME_SCALE}x faster (a minute's restore takes 600 ms); retry waits run ${RETRY_SCALE}x faster.`
      ),
      style.dim(
        `Every attempt's RequestId and Timestamp goes to the request ledger: ${ledgerPath ?? ledgerTarget._tag}`
      )
    )

    const narrator = makeAttemptNarrator(RETRY_SCALE)
    const client = MwsClient.layer(config, { retry, onAttempt: narrator.onAttempt }).pipe(
      Layer.provideMerge(
        ClientLayer.throttleLayer(config, { throttle: { jitterAllowance: DEMO_JITTER_ALLOWANCE_MS } })
      ),
      Layer.provideMerge(ClientLayer.ledgerLayer(ledgerTarget, { backgroundPrune: false })),
      Layer.provide(Transport.layerNode)
    )

    return yield* Effect.gen(function* () {
      const mws = yield* MwsClient
      const ledger = yield* Ledger.Ledger
      const context: SceneContext = {
        mws,
        ledger,
        sandbox,
        config,
        ledgerTarget,
        retry,
        hourlyScale: HOURLY_SCALE,
        narrator
      }
      yield* pagingScene(context)
      const { orderId, unpacedThrottled, pacedThrottled } = yield* burstScene(context)
      yield* internalErrorScene(context, orderId)
      yield* quotaExceededScene(context)
      yield* md5Scene(context)

      // 6. Summary.
      yield* ledger.flush
      const stats = yield* ledger.stats({ from: startedAt })
      const example = yield* ledger.bestExample({ errorCode: "InternalError" })
      const elapsedMs = (yield* Clock.currentTimeMillis) - startedAt
      yield* scene(6, "Summary", "What the ledger recorded during this run.")
      yield* print(
        indented(
          table(
            ["Outcome", "Attempts"],
            stats.byOutcome.map((c) => [c.key, c.count])
          )
        ),
        "",
        indented(
          table(
            ["Error code", "Class", "Attempts"],
            stats.byCode.map((c) => [c.key, classOf(c.key), c.count])
          )
        ),
        "",
        `     ${stats.total} attempts in ${duration(elapsedMs)}; ${unpacedThrottled} RequestThrottled without pacing, ${pacedThrottled} with it.`,
        `     Ledger: ${ledgerPath ?? ledgerTarget._tag} (kept 30 days; try \`mws ledger list\`, \`mws ledger stats\`).`,
        "",
        style.bold("The support ticket block for InternalError (`mws ledger best-example InternalError`):"),
        "",
        Option.isSome(example) ? example.value.ticket : style.dim("(no complete InternalError entry)")
      )
      return {
        ledgerPath,
        startedAt,
        elapsedMs,
        attempts: stats.total,
        byOutcome: stats.byOutcome,
        byCode: stats.byCode,
        ticket: Option.isSome(example) ? example.value.ticket : undefined,
        unpacedThrottled,
        pacedThrottled
      } satisfies DemoResult
    }).pipe(Effect.provide(client))
  }).pipe(Effect.scoped)

/** The error class a summary row shows: the catalog's, and transient for a transport failure. */
const classOf = (code: string): string =>
  code.startsWith("Transport:") ? "transient" : ErrorCatalog.classify(MwsCatalog.catalog, code).errorClass
