import { createHash } from "node:crypto"
import { element, escapeXml } from "./xml.ts"

/** The request as an operation sees it. @internal */
export interface OperationRequest {
  readonly params: ReadonlyMap<string, string>
  readonly body: Buffer
  readonly contentMd5Header: string | undefined
  readonly now: number
}

/** What an operation answers. @internal */
export type OperationResult =
  /** The inside of `<{Operation}Result>`. */
  | { readonly _tag: "Result"; readonly xml: string }
  /** Everything inside `<{Operation}Response>` before `<ResponseMetadata>` (several Result elements). */
  | { readonly _tag: "Results"; readonly xml: string }
  /** A document download (GetReport, GetFeedSubmissionResult): the body as is, with a Content-MD5 header. */
  | { readonly _tag: "Download"; readonly body: string; readonly contentType: string }
  | { readonly _tag: "Error"; readonly status: number; readonly code: string; readonly message: string }

/** An operation the sandbox answers with a real body. @internal */
export interface Operation {
  /** Units the request costs where restore is per item (the length of its id list). */
  readonly units?: (params: ReadonlyMap<string, string>) => number
  readonly handle: (request: OperationRequest) => OperationResult
}

/** Orders per ListOrders page unless `MaxResultsPerPage` asks for fewer (the docs allow 1 to 100). @internal */
export const DEFAULT_ORDERS_PER_PAGE = 100

/** The products GetMatchingProductForId knows; any other id gets a per-item error. @internal */
export const KNOWN_ASINS: ReadonlyArray<string> = ["B00SANDBOX1", "B00SANDBOX2", "B00SANDBOX3"]

const invalid = (message: string): OperationResult => ({
  _tag: "Error",
  status: 400,
  code: "InvalidParameterValue",
  message
})
const missing = (name: string): OperationResult => ({
  _tag: "Error",
  status: 400,
  code: "MissingParameter",
  message: `The request must contain the parameter ${name}.`
})

/** Values of a list parameter (`IdList.Id.1`, `IdList.Id.2`...), in order. @internal */
export const listOf = (params: ReadonlyMap<string, string>, prefix: string): ReadonlyArray<string> => {
  const values: Array<string> = []
  for (let i = 1; params.has(`${prefix}.${i}`); i++) values.push(params.get(`${prefix}.${i}`)!)
  return values
}

/** Base64 of the MD5 of some bytes, as Content-MD5 carries it. @internal */
export const md5Base64 = (data: string | Buffer): string => createHash("md5").update(data).digest("base64")

const iso = (millis: number) => new Date(millis).toISOString()

interface Order {
  readonly id: string
  readonly purchasedAt: number
}

/**
 * The sandbox's data and the operations that read and write it: seeded
 * orders (paged with NextToken), report requests that finish at once,
 * feeds, and a small product catalog.
 *
 * @internal
 */
export class SandboxData {
  private readonly orders: ReadonlyArray<Order>
  private readonly reportRequests = new Map<string, { readonly type: string; readonly submittedAt: number }>()
  private readonly reports = new Map<string, string>()
  private readonly feeds = new Map<
    string,
    { readonly type: string; readonly bytes: number; readonly submittedAt: number }
  >()
  private nextId = 50_000_000_000

  constructor(orderCount: number, seededAt: number) {
    this.orders = Array.from({ length: orderCount }, (_, i) => ({
      id: `902-${String(1_000_000 + i).padStart(7, "0")}-${String(7_000_000 + i * 7).padStart(7, "0")}`,
      purchasedAt: seededAt - (orderCount - i) * 3_600_000
    }))
  }

  private id(): string {
    this.nextId += 1
    return String(this.nextId)
  }

  private orderXml(order: Order): string {
    return `<Order>${element("AmazonOrderId", order.id)}${element("PurchaseDate", iso(order.purchasedAt))}${element("LastUpdateDate", iso(order.purchasedAt))}<OrderStatus>Shipped</OrderStatus><FulfillmentChannel>MFN</FulfillmentChannel><OrderTotal><CurrencyCode>USD</CurrencyCode><Amount>19.99</Amount></OrderTotal><NumberOfItemsShipped>1</NumberOfItemsShipped><NumberOfItemsUnshipped>0</NumberOfItemsUnshipped><MarketplaceId>ATVPDKIKX0DER</MarketplaceId></Order>`
  }

  private ordersPage(offset: number, perPage: number, createdAfter: number, now: number): OperationResult {
    const matching = this.orders.filter((order) => order.purchasedAt >= createdAfter)
    const page = matching.slice(offset, offset + perPage)
    const next = offset + perPage < matching.length
    const token = next
      ? Buffer.from(JSON.stringify({ offset: offset + perPage, perPage, createdAfter })).toString("base64")
      : undefined
    return {
      _tag: "Result",
      xml: `${token === undefined ? "" : element("NextToken", token)}${element("LastUpdatedBefore", iso(now - 120_000))}<Orders>${page.map((order) => this.orderXml(order)).join("")}</Orders>`
    }
  }

  readonly operations: Readonly<Record<string, Operation>> = {
    ListOrders: {
      handle: ({ params, now }) => {
        if (listOf(params, "MarketplaceId.Id").length === 0) return missing("MarketplaceId.Id.1")
        const since = params.get("CreatedAfter") ?? params.get("LastUpdatedAfter")
        if (since === undefined) return invalid("CreatedAfter or LastUpdatedAfter must be specified")
        const createdAfter = Date.parse(since)
        if (Number.isNaN(createdAfter)) return invalid(`${since} is not a valid ISO 8601 date`)
        const perPage = Number(params.get("MaxResultsPerPage") ?? DEFAULT_ORDERS_PER_PAGE)
        if (!Number.isInteger(perPage) || perPage < 1 || perPage > 100)
          return invalid("MaxResultsPerPage must be 1 to 100")
        return this.ordersPage(0, perPage, createdAfter, now)
      }
    },
    ListOrdersByNextToken: {
      handle: ({ params, now }) => {
        const token = params.get("NextToken")
        if (token === undefined) return missing("NextToken")
        try {
          const { offset, perPage, createdAfter } = JSON.parse(Buffer.from(token, "base64").toString("utf8"))
          if (![offset, perPage, createdAfter].every(Number.isFinite)) throw new Error("bad token")
          return this.ordersPage(offset, perPage, createdAfter, now)
        } catch {
          return invalid("Invalid NextToken")
        }
      }
    },
    GetOrder: {
      handle: ({ params }) => {
        const ids = listOf(params, "AmazonOrderId.Id")
        if (ids.length === 0) return missing("AmazonOrderId.Id.1")
        if (ids.length > 50) return invalid("At most 50 AmazonOrderId values are allowed")
        const found = this.orders.filter((order) => ids.includes(order.id))
        return { _tag: "Result", xml: `<Orders>${found.map((order) => this.orderXml(order)).join("")}</Orders>` }
      }
    },
    ListOrderItems: {
      handle: ({ params }) => {
        const id = params.get("AmazonOrderId")
        if (id === undefined) return missing("AmazonOrderId")
        if (!this.orders.some((order) => order.id === id)) return invalid(`Invalid AmazonOrderId: ${id}`)
        return {
          _tag: "Result",
          xml: `${element("AmazonOrderId", id)}<OrderItems><OrderItem><ASIN>${KNOWN_ASINS[0]}</ASIN><SellerSKU>SKU-1</SellerSKU><OrderItemId>${escapeXml(id.replaceAll("-", ""))}</OrderItemId><Title>Sandbox item</Title><QuantityOrdered>1</QuantityOrdered><QuantityShipped>1</QuantityShipped></OrderItem></OrderItems>`
        }
      }
    },
    RequestReport: {
      handle: ({ params, now }) => {
        const type = params.get("ReportType")
        if (type === undefined) return missing("ReportType")
        const id = this.id()
        this.reportRequests.set(id, { type, submittedAt: now })
        this.reports.set(
          `${id}1`,
          `sku\tasin\tprice\tquantity\nSKU-1\t${KNOWN_ASINS[0]}\t19.99\t5\nSKU-2\t${KNOWN_ASINS[1]}\t5.00\t0\n`
        )
        return {
          _tag: "Result",
          xml: `<ReportRequestInfo>${element("ReportRequestId", id)}${element("ReportType", type)}${element("SubmittedDate", iso(now))}<ReportProcessingStatus>_SUBMITTED_</ReportProcessingStatus></ReportRequestInfo>`
        }
      }
    },
    GetReportRequestList: {
      handle: ({ params }) => {
        const wanted = listOf(params, "ReportRequestIdList.Id")
        const infos = [...this.reportRequests]
          .filter(([id]) => wanted.length === 0 || wanted.includes(id))
          .map(
            ([id, request]) =>
              `<ReportRequestInfo>${element("ReportRequestId", id)}${element("ReportType", request.type)}${element("SubmittedDate", iso(request.submittedAt))}<ReportProcessingStatus>_DONE_</ReportProcessingStatus>${element("GeneratedReportId", `${id}1`)}</ReportRequestInfo>`
          )
        return { _tag: "Result", xml: `<HasNext>false</HasNext>${infos.join("")}` }
      }
    },
    GetReport: {
      handle: ({ params }) => {
        const id = params.get("ReportId")
        if (id === undefined) return missing("ReportId")
        const report = this.reports.get(id)
        if (report === undefined)
          return { _tag: "Error", status: 400, code: "InvalidReportId", message: `Invalid ReportId: ${id}` }
        return { _tag: "Download", body: report, contentType: "text/plain;charset=Cp1252" }
      }
    },
    SubmitFeed: {
      handle: ({ params, body, contentMd5Header, now }) => {
        const type = params.get("FeedType")
        if (type === undefined) return missing("FeedType")
        const fromParam = params.get("ContentMD5Value")
        if (fromParam !== undefined && contentMd5Header !== undefined && fromParam !== contentMd5Header) {
          return invalid("The Content-MD5 header and the ContentMD5Value parameter do not match.")
        }
        const given = fromParam ?? contentMd5Header
        if (given === undefined || given === "") {
          return {
            _tag: "Error",
            status: 400,
            code: "ContentMD5Missing",
            message: "the Content-MD5 HTTP header you passed for your feed was empty"
          }
        }
        const actual = md5Base64(body)
        if (given !== actual) {
          return {
            _tag: "Error",
            status: 400,
            code: "ContentMD5DoesNotMatch",
            message: `The Content-MD5 HTTP header you passed for your feed (${given}) did not match the Content-MD5 we calculated for your feed (${actual})`
          }
        }
        const id = this.id()
        this.feeds.set(id, { type, bytes: body.length, submittedAt: now })
        return {
          _tag: "Result",
          xml: `<FeedSubmissionInfo>${element("FeedSubmissionId", id)}${element("FeedType", type)}${element("SubmittedDate", iso(now))}<FeedProcessingStatus>_SUBMITTED_</FeedProcessingStatus></FeedSubmissionInfo>`
        }
      }
    },
    GetFeedSubmissionResult: {
      handle: ({ params }) => {
        const id = params.get("FeedSubmissionId")
        if (id === undefined) return missing("FeedSubmissionId")
        const feed = this.feeds.get(id)
        if (feed === undefined) {
          return {
            _tag: "Error",
            status: 400,
            code: "InvalidFeedSubmissionId",
            message: `Invalid FeedSubmissionId: ${id}`
          }
        }
        return {
          _tag: "Download",
          contentType: "text/xml",
          body: `<?xml version="1.0" encoding="UTF-8"?>\n<AmazonEnvelope xsi:noNamespaceSchemaLocation="amzn-envelope.xsd" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><Header><DocumentVersion>1.02</DocumentVersion><MerchantIdentifier>SANDBOX</MerchantIdentifier></Header><MessageType>ProcessingReport</MessageType><Message><MessageID>1</MessageID><ProcessingReport>${element("DocumentTransactionID", id)}<StatusCode>Complete</StatusCode><ProcessingSummary><MessagesProcessed>1</MessagesProcessed><MessagesSuccessful>1</MessagesSuccessful><MessagesWithError>0</MessagesWithError><MessagesWithWarning>0</MessagesWithWarning></ProcessingSummary></ProcessingReport></Message></AmazonEnvelope>\n`
        }
      }
    },
    GetMatchingProductForId: {
      units: (params) => listOf(params, "IdList.Id").length,
      handle: ({ params }) => {
        const marketplace = params.get("MarketplaceId")
        if (marketplace === undefined) return missing("MarketplaceId")
        const idType = params.get("IdType")
        if (idType === undefined) return missing("IdType")
        const ids = listOf(params, "IdList.Id")
        if (ids.length === 0) return missing("IdList.Id.1")
        if (ids.length > 5) return invalid("IdList may contain at most 5 values")
        const results = ids.map((id) => {
          const attributes = `Id="${escapeXml(id)}" IdType="${escapeXml(idType)}"`
          return idType === "ASIN" && KNOWN_ASINS.includes(id)
            ? `<GetMatchingProductForIdResult ${attributes} status="Success"><Products><Product><Identifiers><MarketplaceASIN>${element("MarketplaceId", marketplace)}${element("ASIN", id)}</MarketplaceASIN></Identifiers></Product></Products></GetMatchingProductForIdResult>`
            : `<GetMatchingProductForIdResult ${attributes} status="ClientError"><Error><Type>Sender</Type><Code>InvalidParameterValue</Code>${element("Message", `Invalid ${idType} identifier ${id} for marketplace ${marketplace}`)}</Error></GetMatchingProductForIdResult>`
        })
        return { _tag: "Results", xml: results.join("") }
      }
    },
    GetServiceStatus: {
      handle: ({ now }) => ({ _tag: "Result", xml: `<Status>GREEN</Status>${element("Timestamp", iso(now))}` })
    }
  }
}
