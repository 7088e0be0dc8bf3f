// #region program
import { ClientConfig, ClientLayer, MwsClient, Pagination, ResponseBody } from "@mws-kit/mws-client"
import { Sandbox } from "@mws-kit/sandbox"
import { Effect, Stream } from "effect"

const MARKETPLACE = "ATVPDKIKX0DER"

/** The text of `parent/child/name`, or undefined. */
const field = (parent: ResponseBody.XmlObject, child: string, name: string): string | undefined => {
  const element = ResponseBody.child(parent, child)
  return element === undefined ? undefined : ResponseBody.text(element, name)
}

export const program = Effect.gen(function* () {
  const mws = yield* MwsClient.MwsClient

  // One call: paced, signed, retried, recorded. The body comes back parsed, with its metadata.
  const status = yield* mws.call({ section: "Orders", operation: "GetServiceStatus" })
  status.result.Status // "GREEN"
  status.metadata.requestId // x-mws-request-id: what support asks for...
  status.metadata.requestTimestamp // ...with the request's own Timestamp

  // Every page of a listing, lazily: ListOrdersByNextToken follows ListOrders, paced by their shared bucket.
  const orders = yield* Pagination.pages({
    section: "Orders",
    operation: "ListOrders",
    params: {
      "MarketplaceId.Id": [MARKETPLACE], // lists expand to MarketplaceId.Id.1, .2, ...
      CreatedAfter: new Date(Date.now() - 7 * 86_400_000), // dates become ISO 8601
      MaxResultsPerPage: 10
    }
  }).pipe(
    Stream.flatMap((page) =>
      Stream.fromIterable(ResponseBody.list(ResponseBody.child(page.result, "Orders"), "Order"))
    ),
    Stream.runCollect
  )

  // A feed: its MD5 goes in ContentMD5Value, and so into the signature. Never retried after a
  // failure that may have been processed (a 500, a timeout); retried after one that proves it was not.
  const feed = yield* mws.submitFeed({
    feedType: "_POST_PRODUCT_PRICING_DATA_",
    feed: '<?xml version="1.0"?><AmazonEnvelope><MessageType>Price</MessageType></AmazonEnvelope>',
    marketplaceIds: [MARKETPLACE]
  })

  // A report: request it, find the generated report, download it checked against its Content-MD5
  // (up to three more attempts on a mismatch).
  const requested = yield* mws.call({
    section: "Reports",
    operation: "RequestReport",
    params: { ReportType: "_GET_MERCHANT_LISTINGS_DATA_" }
  })
  const requestId = field(requested.result, "ReportRequestInfo", "ReportRequestId")
  const list = yield* mws.call({
    section: "Reports",
    operation: "GetReportRequestList",
    params: { "ReportRequestIdList.Id": requestId === undefined ? [] : [requestId] }
  })
  const reportId = field(list.result, "ReportRequestInfo", "GeneratedReportId") ?? ""
  const report = yield* mws.download({ section: "Reports", operation: "GetReport", params: { ReportId: reportId } })

  return {
    status: status.result.Status,
    orders: orders.length,
    feedSubmissionId: field(feed.result, "FeedSubmissionInfo", "FeedSubmissionId"),
    report: report.text,
    contentMd5: report.contentMd5
  }
})
// #endregion program

// #region layer
/** The client for a running sandbox: its URL, its published credential, an in-memory ledger. */
export const clientFor = (sandbox: Sandbox.SandboxHandle) =>
  ClientLayer.live(
    ClientConfig.forSandbox({
      url: sandbox.url,
      ...Sandbox.DEFAULT_CREDENTIAL,
      sellerId: Sandbox.DEFAULT_SELLER_ID,
      timeScale: 100 // the sandbox's time scale: quotas and retry waits 100 times shorter
    })
  )

export const main = Effect.gen(function* () {
  const sandbox = yield* Sandbox.Sandbox
  return yield* program.pipe(Effect.provide(clientFor(sandbox)))
}).pipe(Effect.provide(Sandbox.Sandbox.layer({ timeScale: 100 })))
// #endregion layer
