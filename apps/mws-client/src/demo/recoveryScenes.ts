/**
 * The demo's recovery scenes: InternalErrors retried along the documented
 * timeline, and a call that never recovers (scene 3); QuotaExceeded waited
 * out (scene 4); a feed sent with its MD5 and a corrupt download caught by
 * its MD5 (scene 5).
 *
 * @internal
 */
import { Ledger } from "@mws-kit/request-ledger"
import { MwsQuotas, QuotaCatalog, Throttle } from "@mws-kit/throttle"
import { Clock, Effect, Layer, Option } from "effect"
import * as ClientLayer from "../ClientLayer.ts"
import * as ContentMd5 from "../ContentMd5.ts"
import { duration } from "../commands/output.ts"
import { style } from "../commands/terminal.ts"
import { MwsClient } from "../MwsClient.ts"
import * as ResponseBody from "../ResponseBody.ts"
import { Transport } from "../Transport.ts"
import { MARKETPLACE, type SceneContext, startSandbox } from "./demoSetup.ts"
import { line, scene } from "./narration.ts"

/**
 * Scene 3: GetOrder for `orderId` answered 500 InternalError three times,
 * then six times in a row, narrated attempt by attempt.
 *
 * @internal
 */
export const internalErrorScene = ({ mws, sandbox, narrator }: SceneContext, orderId: string) =>
  Effect.gen(function* () {
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
    narrator.narrate(true)
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
    narrator.narrate(false)
    yield* line(
      style.red(
        `✖ ${gaveUp._tag === "RetryGaveUp" ? `gave up after ${gaveUp.attempts.length} attempts, marked for manual follow-up` : gaveUp.message}`
      )
    )
  })

/**
 * Scene 4: another application of the same seller spends the hour's
 * GetLowestPricedOffersForASIN quota; the demo's client waits it out. Its
 * sandbox (whose hour lasts 3,600 s / `hourlyScale`) is closed with the
 * scope.
 *
 * @internal
 */
export const quotaExceededScene = ({ ledger, ledgerTarget, retry, hourlyScale, narrator }: SceneContext) =>
  Effect.gen(function* () {
    const offers = QuotaCatalog.lookup(MwsQuotas.catalog, "Products", "GetLowestPricedOffersForASIN")!
    yield* scene(
      4,
      "QuotaExceeded, waited out",
      `GetLowestPricedOffersForASIN allows ${offers.hourlyQuota} requests an hour. For this scene a second sandbox runs`,
      `${hourlyScale}x faster, so an hour lasts ${duration(3_600_000 / hourlyScale)}. Another application of the same seller (its own process`,
      "and pacing) spends the hour's quota first; our client only learns it from MWS's answer."
    )
    const { config: hourlyConfig } = yield* startSandbox({ timeScale: hourlyScale }, ledgerTarget)
    const offerParams = { MarketplaceId: MARKETPLACE, ASIN: "B00SANDBOX1", ItemCondition: "New" }
    const otherApp = MwsClient.layerWith(hourlyConfig, { record: () => Effect.void }).pipe(
      // Fresh: its own throttle store, not this process's (it stands for another process).
      Layer.provide(Layer.fresh(Throttle.Throttle.layerMemory({ timeScale: hourlyScale }))),
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
    const ourClient = MwsClient.layer(hourlyConfig, { retry, onAttempt: narrator.onAttempt }).pipe(
      Layer.provide(Layer.fresh(ClientLayer.throttleLayer(hourlyConfig))),
      Layer.provide(Layer.succeed(Ledger.Ledger, ledger)),
      Layer.provide(Transport.layerNode)
    )
    narrator.narrate(true)
    const waitStarted = yield* Clock.currentTimeMillis
    const offersResponse = yield* Effect.flatMap(Effect.service(MwsClient), (ours) =>
      ours.call({ section: "Products", operation: "GetLowestPricedOffersForASIN", params: offerParams })
    ).pipe(Effect.provide(ourClient))
    narrator.narrate(false)
    yield* line(
      style.green(
        `✔ waited ${duration((yield* Clock.currentTimeMillis) - waitStarted)} for the quota to reset, then succeeded (quota ${offersResponse.metadata.quota?.remaining ?? "?"}/${offersResponse.metadata.quota?.max ?? "?"} left).`
      )
    )
  })

/**
 * Scene 5: SubmitFeed with its ContentMD5Value, then a report whose first
 * download the sandbox corrupts, caught by its Content-MD5 and fetched
 * again.
 *
 * @internal
 */
export const md5Scene = ({ mws, sandbox, narrator }: SceneContext) =>
  Effect.gen(function* () {
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
    narrator.narrate(true)
    const report = yield* mws.download({ section: "Reports", operation: "GetReport", params: { ReportId: reportId } })
    narrator.narrate(false)
    yield* line(
      style.green(`✔ report ${reportId}: ${report.bytes.length} bytes, Content-MD5 ${report.contentMd5} matches.`)
    )
  })
