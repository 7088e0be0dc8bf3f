/**
 * The `mws demo` scenario: a sandbox in this process, a client with the
 * embedded SQLite ledger, and six short scenes that show what the packages
 * do, narrated as they run.
 *
 * @internal
 */
import { Timeline } from "@mws-kit/backoff-policy"
import { ErrorCatalog, MwsCatalog } from "@mws-kit/error-codes"
import { Ledger } from "@mws-kit/request-ledger"
import { Sandbox } from "@mws-kit/sandbox"
import { MwsQuotas, QuotaCatalog, Throttle } from "@mws-kit/throttle"
import { Clock, Duration, Effect, Layer, Option, Stream } from "effect"
import * as ClientConfig from "../ClientConfig.ts"
import * as ClientLayer from "../ClientLayer.ts"
import * as ContentMd5 from "../ContentMd5.ts"
import { duration, print, progress, style, table } from "../commands/output.ts"
import { type AttemptReport, MwsClient, scaledRetryOptions } from "../MwsClient.ts"
import * as Pagination from "../Pagination.ts"
import * as ResponseBody from "../ResponseBody.ts"
import { Transport } from "../Transport.ts"

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

const MARKETPLACE = "ATVPDKIKX0DER"

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

const scene = (n: number, title: string, ...explain: ReadonlyArray<string>) =>
  print("", style.bold(style.cyan(`${n}/6  ${title}`)), ...explain.map((line) => style.dim(`     ${line}`)))

const line = (text: string) => print(`     ${text}`)

const documentedDelayMs = (attempt: number): number | undefined => {
  const delay = Timeline.DOCUMENTED_DELAYS[attempt - 1]
  return delay === undefined ? undefined : Duration.toMillis(delay)
}

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
    const sandbox = yield* Effect.acquireRelease(
      Effect.promise(() => Sandbox.start({ timeScale: QUOTA_TIME_SCALE, orders: DEMO_ORDERS })),
      (handle) => Effect.promise(() => handle.close())
    )
    const config = ClientConfig.forSandbox({
      url: sandbox.url,
      ...Sandbox.DEFAULT_CREDENTIAL,
      sellerId: Sandbox.DEFAULT_SELLER_ID,
      timeScale: QUOTA_TIME_SCALE,
      ledger: ledgerTarget
    })
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

    // Narration of single calls: one line per attempt.
    let narrate = false
    const narration = (report: AttemptReport): Effect.Effect<void> => {
      if (!narrate) return Effect.void
      const what =
        report.outcome === "success"
          ? style.green(`HTTP ${report.httpStatus}`)
          : style.red(`${report.httpStatus ?? "no response"} ${report.errorCode ?? ""}`.trim())
      const next =
        report.outcome === "retried"
          ? (() => {
              const documented =
                report.reason === "immediate" || report.reason === "timeline"
                  ? documentedDelayMs(report.attempt)
                  : undefined
              const wait = report.nextDelayMs ?? 0
              return wait === 0
                ? style.yellow("-> retry at once")
                : style.yellow(
                    `-> retry in ${duration(wait)}${documented === undefined ? ` (${report.reason})` : ` (the documented ${duration(documented)}, ${RETRY_SCALE}x faster)`}`
                  )
            })()
          : report.outcome === "gave-up"
            ? style.red("-> gave up: manual follow-up needed")
            : report.outcome === "failed"
              ? style.red("-> not retried")
              : ""
      return line(
        `attempt ${report.attempt}  ${what}  ${style.dim(`RequestId ${report.requestId ?? "(none)"}  Timestamp ${report.requestTimestamp}`)}  ${next}`
      )
    }

    const client = MwsClient.layer(config, { retry, onAttempt: narration }).pipe(
      Layer.provideMerge(
        ClientLayer.throttleLayer(config, { throttle: { jitterAllowance: DEMO_JITTER_ALLOWANCE_MS } })
      ),
      Layer.provideMerge(ClientLayer.ledgerLayer(ledgerTarget, { backgroundPrune: false })),
      Layer.provide(Transport.layerNode)
    )

    return yield* Effect.gen(function* () {
      const mws = yield* MwsClient
      const ledger = yield* Ledger.Ledger

      // 1. Paging under ListOrders throttling.
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

      // 2. A burst with and without pacing.
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

      // 3. InternalErrors along the documented timeline.
      yield* scene(
        3,
        "InternalError, recovered along the documented timeline",
        "MWS: retry at once, then back off 1 s, 4 s, 10 s, 30 s; then log it for manual follow-up.",
        "The sandbox answers the next three GetOrder calls with 500 InternalError."
      )
      sandbox.faults.script("GetOrder", [
        { kind: "internal-error" },
        { kind: "internal-error" },
        { kind: "internal-error" }
      ])
      narrate = true
      yield* mws.call({ section: "Orders", operation: "GetOrder", params: { "AmazonOrderId.Id": [orderId] } })
      yield* line(style.green("✔ recovered on the fourth attempt; all four are in the ledger under one call id."))
      yield* line("")
      yield* line(style.dim("Now a call that never recovers: six 500s in a row."))
      sandbox.faults.script(
        "GetOrder",
        Array.from({ length: 6 }, () => ({ kind: "internal-error" as const }))
      )
      const gaveUp = yield* mws
        .call({ section: "Orders", operation: "GetOrder", params: { "AmazonOrderId.Id": [orderId] } })
        .pipe(Effect.flip)
      narrate = false
      yield* line(
        style.red(
          `✖ ${gaveUp._tag === "RetryGaveUp" ? `gave up after ${gaveUp.attempts.length} attempts, marked for manual follow-up` : gaveUp.message}`
        )
      )

      // 4. QuotaExceeded, waited out (a sandbox whose hour lasts 6 s).
      const offers = QuotaCatalog.lookup(MwsQuotas.catalog, "Products", "GetLowestPricedOffersForASIN")!
      yield* scene(
        4,
        "QuotaExceeded, waited out",
        `GetLowestPricedOffersForASIN allows ${offers.hourlyQuota} requests an hour. For this scene a second sandbox runs`,
        `${HOURLY_SCALE}x faster, so an hour lasts ${duration(3_600_000 / HOURLY_SCALE)}. Another application of the same seller (its own process`,
        "and pacing) spends the hour's quota first; our client only learns it from MWS's answer."
      )
      const hourly = yield* Effect.acquireRelease(
        Effect.promise(() => Sandbox.start({ timeScale: HOURLY_SCALE })),
        (handle) => Effect.promise(() => handle.close())
      )
      const hourlyConfig = ClientConfig.forSandbox({
        url: hourly.url,
        ...Sandbox.DEFAULT_CREDENTIAL,
        sellerId: Sandbox.DEFAULT_SELLER_ID,
        timeScale: HOURLY_SCALE,
        ledger: ledgerTarget
      })
      const offerParams = { MarketplaceId: MARKETPLACE, ASIN: "B00SANDBOX1", ItemCondition: "New" }
      const otherApp = MwsClient.layerWith(hourlyConfig, { record: () => Effect.void }).pipe(
        // Fresh: its own throttle store, not this process's (it stands for another process).
        Layer.provide(Layer.fresh(Throttle.Throttle.layerMemory({ timeScale: HOURLY_SCALE }))),
        Layer.provide(Transport.layerNode)
      )
      const spent = yield* Effect.flatMap(Effect.service(MwsClient), (other) =>
        Effect.forEach(
          Array.from({ length: offers.hourlyQuota! }),
          () =>
            other
              .call({ section: "Products", operation: "GetLowestPricedOffersForASIN", params: offerParams })
              .pipe(Effect.option),
          { concurrency: 20 }
        )
      ).pipe(Effect.provide(otherApp))
      yield* line(
        style.dim(`the other application made ${spent.filter(Option.isSome).length} calls; the hour's quota is spent.`)
      )
      const ourClient = MwsClient.layer(hourlyConfig, { retry, onAttempt: narration }).pipe(
        Layer.provide(Layer.fresh(ClientLayer.throttleLayer(hourlyConfig))),
        Layer.provide(Layer.succeed(Ledger.Ledger, ledger)),
        Layer.provide(Transport.layerNode)
      )
      narrate = true
      const waitStarted = yield* Clock.currentTimeMillis
      const offersResponse = yield* Effect.flatMap(Effect.service(MwsClient), (ours) =>
        ours.call({ section: "Products", operation: "GetLowestPricedOffersForASIN", params: offerParams })
      ).pipe(Effect.provide(ourClient))
      narrate = false
      yield* line(
        style.green(
          `✔ waited ${duration((yield* Clock.currentTimeMillis) - waitStarted)} for the quota to reset, then succeeded (quota ${offersResponse.metadata.quota?.remaining ?? "?"}/${offersResponse.metadata.quota?.max ?? "?"} left).`
        )
      )

      // 5. A feed with its MD5, and a download checked against its MD5.
      yield* scene(
        5,
        "A feed submitted with its MD5, a report checked against its MD5",
        "SubmitFeed carries the feed's MD5 as ContentMD5Value, part of the signature; SubmitFeed is never retried after",
        "a failure that may have been processed. Downloads are checked against Content-MD5: up to three more attempts."
      )
      const feed = `<?xml version="1.0" encoding="UTF-8"?>\n<AmazonEnvelope><Header><DocumentVersion>1.01</DocumentVersion></Header><MessageType>Price</MessageType></AmazonEnvelope>\n`
      const submitted = yield* mws.submitFeed({
        feedType: "_POST_PRODUCT_PRICING_DATA_",
        feed,
        marketplaceIds: [MARKETPLACE]
      })
      const info = ResponseBody.child(submitted.result, "FeedSubmissionInfo")
      yield* line(
        `SubmitFeed  ContentMD5Value ${ContentMd5.of(feed)}  ->  FeedSubmissionId ${info === undefined ? "?" : ResponseBody.text(info, "FeedSubmissionId")}  ${style.dim(`RequestId ${submitted.metadata.requestId}`)}`
      )
      const requested = yield* mws.call({
        section: "Reports",
        operation: "RequestReport",
        params: { ReportType: "_GET_FLAT_FILE_OPEN_LISTINGS_DATA_" }
      })
      const requestInfo = ResponseBody.child(requested.result, "ReportRequestInfo")
      const reportRequestId = requestInfo === undefined ? undefined : ResponseBody.text(requestInfo, "ReportRequestId")
      const status = yield* mws.call({
        section: "Reports",
        operation: "GetReportRequestList",
        params: { "ReportRequestIdList.Id": [reportRequestId ?? ""] }
      })
      const listInfo = ResponseBody.child(status.result, "ReportRequestInfo")
      const reportId = listInfo === undefined ? "" : (ResponseBody.text(listInfo, "GeneratedReportId") ?? "")
      sandbox.corruptNextDownloads(1)
      narrate = true
      const report = yield* mws.download({ section: "Reports", operation: "GetReport", params: { ReportId: reportId } })
      narrate = false
      yield* line(
        style.green(`✔ report ${reportId}: ${report.bytes.length} bytes, Content-MD5 ${report.contentMd5} matches.`)
      )

      // 6. Summary.
      yield* ledger.flush
      const stats = yield* ledger.stats({ from: startedAt })
      const example = yield* ledger.bestExample({ errorCode: "InternalError" })
      const elapsedMs = (yield* Clock.currentTimeMillis) - startedAt
      yield* scene(6, "Summary", "What the ledger recorded during this run.")
      yield* print(
        table(
          ["Outcome", "Attempts"],
          stats.byOutcome.map((c) => [c.key, c.count])
        )
          .split("\n")
          .map((l) => `     ${l}`)
          .join("\n"),
        "",
        table(
          ["Error code", "Class", "Attempts"],
          stats.byCode.map((c) => [c.key, classOf(c.key), c.count])
        )
          .split("\n")
          .map((l) => `     ${l}`)
          .join("\n"),
        "",
        `     ${stats.total} attempts in ${duration(elapsedMs)}; ${naive503} RequestThrottled without pacing, ${paced503} with it.`,
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
        unpacedThrottled: naive503,
        pacedThrottled: paced503
      } satisfies DemoResult
    }).pipe(Effect.provide(client))
  }).pipe(Effect.scoped)

const classOf = (code: string): string =>
  code.startsWith("Transport:") ? "transient" : ErrorCatalog.classify(MwsCatalog.catalog, code).errorClass
