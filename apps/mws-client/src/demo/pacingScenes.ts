/**
 * The demo's pacing scenes: paging through orders under ListOrders
 * throttling (scene 1), and a burst of ListOrderItems sent without pacing,
 * then with it (scene 2).
 *
 * @internal
 */
import { Ledger } from "@mws-kit/request-ledger"
import { MwsQuotas, QuotaCatalog, Throttle } from "@mws-kit/throttle"
import { Clock, Duration, Effect, Layer, Stream } from "effect"
import { duration, progress } from "../commands/output.ts"
import { style } from "../commands/terminal.ts"
import { MwsClient } from "../MwsClient.ts"
import * as Pagination from "../Pagination.ts"
import * as ResponseBody from "../ResponseBody.ts"
import { Transport } from "../Transport.ts"
import {
  BURST,
  DEMO_JITTER_ALLOWANCE_MS,
  DEMO_ORDERS,
  MARKETPLACE,
  ORDERS_PER_PAGE,
  QUOTA_TIME_SCALE,
  type SceneContext
} from "./demoSetup.ts"
import { line, scene } from "./narration.ts"

/** A throttle that lets everything through at once: how a client without pacing behaves. */
const unpaced = (timeScale: number): Layer.Layer<Throttle.Throttle> =>
  Layer.effect(
    Throttle.Throttle,
    Effect.map(Effect.service(Throttle.Throttle), (real) =>
      Throttle.Throttle.of({
        ...real,
        acquire: (request) =>
          Effect.map(real.resolve(request), ({ entry }) => ({
            section: entry.section,
            operation: entry.operation,
            bucket: entry.bucket,
            cost: 1,
            grantedAt: Date.now(),
            waitedMs: 0,
            tokens: entry.maxQuota
          }))
      })
    )
  ).pipe(Layer.provide(Throttle.Throttle.layerMemory({ timeScale })))

/**
 * Scene 1: every page of ListOrders, paced so that MWS never answers
 * RequestThrottled.
 *
 * @internal
 */
export const pagingScene = ({ mws }: SceneContext) =>
  Effect.gen(function* () {
    const listOrders = QuotaCatalog.lookup(MwsQuotas.catalog, "Orders", "ListOrders")!
    yield* scene(
      1,
      "Paging through orders under ListOrders throttling",
      `ListOrders and ListOrdersByNextToken share one bucket: ${listOrders.maxQuota} requests, then one a minute.`,
      "The throttle paces each page before sending it, so MWS never has to say RequestThrottled."
    )
    let orders = 0
    let page = 0
    yield* Pagination.pagesWith(mws, {
      section: "Orders",
      operation: "ListOrders",
      params: {
        "MarketplaceId.Id": [MARKETPLACE],
        CreatedAfter: new Date(Date.now() - (DEMO_ORDERS + 1) * 3_600_000),
        MaxResultsPerPage: ORDERS_PER_PAGE
      }
    }).pipe(
      Stream.runForEach((response) => {
        page++
        const count = ResponseBody.list(ResponseBody.child(response.result, "Orders"), "Order").length
        orders += count
        const waited = response.metadata.throttleWaitMs
        return line(
          `page ${String(page).padStart(2)}  ${response.operation.padEnd(21)} ${count} orders  ${
            waited > 1 ? style.yellow(`waited ${duration(waited)} for the bucket`) : style.dim("from the burst")
          }  ${style.dim(`RequestId ${response.metadata.requestId}`)}`
        )
      })
    )
    yield* line(style.green(`✔ ${orders} orders in ${page} pages, no RequestThrottled.`))
  })

/**
 * Scene 2: {@link BURST} ListOrderItems at once from a client without
 * pacing, then (the bucket refilled) from the demo's client. Returns the
 * order id the burst asked about (the next scenes use it) and how many
 * requests the sandbox answered RequestThrottled in each burst.
 *
 * @internal
 */
export const burstScene = ({ mws, ledger, config, sandbox }: SceneContext) =>
  Effect.gen(function* () {
    const items = QuotaCatalog.lookup(MwsQuotas.catalog, "Orders", "ListOrderItems")!
    const intervalMs = QuotaCatalog.unitIntervalMs(items, QUOTA_TIME_SCALE)
    yield* scene(
      2,
      `${BURST} ListOrderItems at once, without and with pacing`,
      `ListOrderItems allows ${items.maxQuota} at once, then one every 2 s (${duration(intervalMs)} here).`
    )
    const orderIds = Array.from({ length: BURST }, (_, i) => i)
    const someOrder = yield* Pagination.pagesWith(mws, {
      section: "Orders",
      operation: "ListOrders",
      params: { "MarketplaceId.Id": [MARKETPLACE], CreatedAfter: new Date(Date.now() - 2 * 3_600_000) }
    }).pipe(Stream.take(1), Stream.runCollect)
    const firstOrder = ResponseBody.list(ResponseBody.child(someOrder[0]!.result, "Orders"), "Order")[0]
    const orderId =
      typeof firstOrder === "object" && firstOrder !== null && !Array.isArray(firstOrder)
        ? (ResponseBody.text(firstOrder as ResponseBody.XmlObject, "AmazonOrderId") ?? "")
        : ""

    const naiveLayer = MwsClient.layer(config, { retry: false }).pipe(
      Layer.provide(unpaced(QUOTA_TIME_SCALE)),
      Layer.provide(Layer.succeed(Ledger.Ledger, ledger)),
      Layer.provide(Transport.layerNode)
    )
    const burst = (client: MwsClient["Service"], label: string) =>
      Effect.gen(function* () {
        const bar = progress(`     ${label}`, BURST)
        const started = yield* Clock.currentTimeMillis
        const results = yield* Effect.forEach(
          orderIds,
          () =>
            client.call({ section: "Orders", operation: "ListOrderItems", params: { AmazonOrderId: orderId } }).pipe(
              Effect.result,
              Effect.tap(() => bar.tick)
            ),
          { concurrency: "unbounded" }
        )
        yield* bar.finish
        const elapsed = (yield* Clock.currentTimeMillis) - started
        const throttled = results.filter(
          (r) => r._tag === "Failure" && (r.failure as { readonly code?: string }).code === "RequestThrottled"
        ).length
        return { ok: results.filter((r) => r._tag === "Success").length, throttled, elapsed }
      })
    const before = sandbox.requests().length
    const naive = yield* Effect.flatMap(Effect.service(MwsClient), (naiveClient) =>
      burst(naiveClient, "without pacing")
    ).pipe(Effect.provide(naiveLayer))
    const naive503 = sandbox
      .requests()
      .slice(before)
      .filter((r) => r.code === "RequestThrottled").length
    yield* line(
      `without pacing: ${style.green(`${naive.ok} succeeded`)}, ${style.red(`${naive.throttled} answered 503 RequestThrottled`)} in ${duration(naive.elapsed)} (like a client that fires and forgets)`
    )
    const refillMs = items.maxQuota * intervalMs
    yield* line(style.dim(`(waiting ${duration(refillMs)} for MWS to refill the bucket: a minute at real speed)`))
    yield* Effect.sleep(Duration.millis(refillMs + 100))
    const beforePaced = sandbox.requests().length
    const paced = yield* burst(mws, "with pacing   ")
    const paced503 = sandbox
      .requests()
      .slice(beforePaced)
      .filter((r) => r.code === "RequestThrottled").length
    const minimum = Math.max(0, BURST - items.maxQuota) * intervalMs
    yield* line(
      `with pacing:    ${style.green(`${paced.ok} succeeded`)}, ${paced503 === 0 ? style.green("0 throttled") : style.red(`${paced503} throttled`)}, in ${duration(paced.elapsed)} (the bucket allows ${duration(minimum)} at best; the client keeps a ${DEMO_JITTER_ALLOWANCE_MS} ms margin for network jitter)`
    )
    return { orderId, unpacedThrottled: naive503, pacedThrottled: paced503 }
  })
