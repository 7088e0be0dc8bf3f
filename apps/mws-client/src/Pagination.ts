/**
 * Follows NextToken pages lazily: a `Stream` of responses that asks for the
 * next page only when the consumer pulls it, through the same client (so
 * every page is paced by the throttle, retried by the policy and recorded in
 * the ledger). ListOrders and ListOrdersByNextToken share one bucket, so a
 * long listing slows to the bucket's restore rate on its own.
 *
 * @since 0.1.0
 */
import { Effect, Option, Stream } from "effect"
import { type CallRequest, MwsClient, type MwsClientError } from "./MwsClient.ts"
import * as ResponseBody from "./ResponseBody.ts"

/**
 * Options of {@link pages}.
 *
 * @category models
 * @since 0.1.0
 */
export interface PageOptions {
  /** The operation that reads the next page (default `{Operation}ByNextToken`). */
  readonly nextOperation?: string | undefined
  /** Stop after this many pages (default: all). */
  readonly maxPages?: number | undefined
}

/**
 * The NextToken of a response, when there is another page. Reports and Feeds
 * lists also say `<HasNext>false</HasNext>` when there is none.
 *
 * @category getters
 * @since 0.1.0
 */
export const nextToken = (response: ResponseBody.MwsResponse): string | undefined => {
  const hasNext = ResponseBody.text(response.result, "HasNext")
  if (hasNext !== undefined && hasNext.toLowerCase() === "false") return undefined
  const token = ResponseBody.text(response.result, "NextToken")
  return token === undefined || token === "" ? undefined : token
}

/**
 * The pages of a listing with a client: the first request, then
 * `{Operation}ByNextToken` with each NextToken, until a page has none.
 *
 * @category constructors
 * @since 0.1.0
 */
export const pagesWith = (
  client: MwsClient["Service"],
  request: CallRequest,
  options: PageOptions = {}
): Stream.Stream<ResponseBody.MwsResponse, MwsClientError> => {
  const nextOperation = options.nextOperation ?? `${request.operation}ByNextToken`
  const maxPages = options.maxPages ?? Number.POSITIVE_INFINITY
  return Stream.paginate(
    { request, page: 1 },
    ({
      request: current,
      page
    }): Effect.Effect<
      readonly [ReadonlyArray<ResponseBody.MwsResponse>, Option.Option<{ request: CallRequest; page: number }>],
      MwsClientError
    > =>
      Effect.map(client.call(current), (response) => {
        const token = nextToken(response)
        const next =
          token === undefined || page >= maxPages
            ? Option.none()
            : Option.some({
                request: {
                  section: request.section,
                  operation: nextOperation,
                  params: [["NextToken", token]] as const,
                  ...(request.version === undefined ? {} : { version: request.version }),
                  ...(request.sellerId === undefined ? {} : { sellerId: request.sellerId })
                },
                page: page + 1
              })
        return [[response], next] as const
      })
  )
}

/**
 * The pages of a listing, with the `MwsClient` in the context.
 *
 * @example
 * ```ts
 * import { Effect, Stream } from "effect"
 * import { MwsClient, Pagination, ResponseBody } from "@mws-kit/mws-client"
 *
 * const orders = Pagination.pages({
 *   section: "Orders",
 *   operation: "ListOrders",
 *   params: { "MarketplaceId.Id": ["ATVPDKIKX0DER"], CreatedAfter: new Date("2026-11-01") }
 * }).pipe(
 *   Stream.flatMap((page) =>
 *     Stream.fromIterable(ResponseBody.list(ResponseBody.child(page.result, "Orders"), "Order"))
 *   ),
 *   Stream.runCollect
 * )
 * ```
 *
 * @category constructors
 * @since 0.1.0
 */
export const pages = (
  request: CallRequest,
  options: PageOptions = {}
): Stream.Stream<ResponseBody.MwsResponse, MwsClientError, MwsClient> =>
  Stream.unwrap(Effect.map(Effect.service(MwsClient), (client) => pagesWith(client, request, options)))
