/**
 * A call's parameters, before signing: the record or pairs a caller gives,
 * expanded into ordered pairs; the items a per-item throttled request sends;
 * the marketplace the ledger records; and whether the operation changes
 * state (and so is not retried after an ambiguous failure). Re-exported by
 * `MwsClient`, where users find them.
 *
 * @internal
 */
import type { Throttle } from "@mws-kit/throttle"
import type * as ClientConfig from "../ClientConfig.ts"
import * as Endpoints from "../Endpoints.ts"
import type { CallRequest } from "./clientModels.ts"

/**
 * A request parameter value: lists expand to `Name.1`, `Name.2`...; dates
 * become ISO 8601; `undefined` and `null` are left out.
 *
 * @category models
 * @since 0.1.0
 */
export type ParamValue = string | number | boolean | Date | ReadonlyArray<string | number> | null | undefined

/**
 * The operation's parameters, as a record (lists expanded) or as pairs in
 * order.
 *
 * @category models
 * @since 0.1.0
 */
export type Params = Readonly<Record<string, ParamValue>> | ReadonlyArray<readonly [string, string]>

/**
 * Operation name prefixes that change state on the MWS side (SubmitFeed,
 * RequestReport, CreateFulfillmentOrder, CancelShipment, ...): such calls are
 * not retried after an ambiguous failure (a 500, a timeout) unless the caller
 * says they are idempotent (DESIGN: "Non-idempotent operations").
 *
 * @category constants
 * @since 0.1.0
 */
export const STATE_CHANGING_PREFIXES: ReadonlyArray<string> = [
  "Submit",
  "Request",
  "Create",
  "Update",
  "Cancel",
  "Delete",
  "Confirm",
  "Void",
  "Estimate",
  "Put",
  "Manage",
  "Register",
  "Deregister",
  "Send"
]

/**
 * Whether an operation changes state (and so is not retried after an
 * ambiguous failure by default).
 *
 * @category predicates
 * @since 0.1.0
 */
export const isStateChanging = (operation: string): boolean =>
  STATE_CHANGING_PREFIXES.some((prefix) => operation.startsWith(prefix) && operation !== prefix)

/**
 * Expands parameters into pairs, in order: lists to `Name.1`, `Name.2`...,
 * dates to ISO 8601, numbers and booleans to text.
 *
 * @example
 * ```ts
 * import { MwsClient } from "@mws-kit/mws-client"
 *
 * MwsClient.expandParams({ "MarketplaceId.Id": ["ATVPDKIKX0DER", "A2EUQ1WTGCTBG2"], MaxResultsPerPage: 10 })
 * // [["MarketplaceId.Id.1", "ATVPDKIKX0DER"], ["MarketplaceId.Id.2", "A2EUQ1WTGCTBG2"], ["MaxResultsPerPage", "10"]]
 * ```
 *
 * @category constructors
 * @since 0.1.0
 */
export const expandParams = (params: Params | undefined): Array<[string, string]> => {
  if (params === undefined) return []
  if (Array.isArray(params)) return (params as ReadonlyArray<readonly [string, string]>).map(([k, v]) => [k, v])
  const out: Array<[string, string]> = []
  for (const [name, value] of Object.entries(params as Readonly<Record<string, ParamValue>>)) {
    if (value === undefined || value === null) continue
    if (Array.isArray(value)) {
      value.forEach((item, index) => {
        out.push([`${name}.${index + 1}`, String(item)])
      })
    } else if (value instanceof Date) {
      out.push([name, value.toISOString()])
    } else {
      out.push([name, String(value)])
    }
  }
  return out
}

const LIST_ITEM = /^(.+)\.(\d+)$/

/**
 * Items a request sends, for per-item throttling: the longest list among its
 * parameters (`ASINList.ASIN.1..5` is 5), marketplace lists aside; 1 when it
 * has none.
 *
 * @category getters
 * @since 0.1.0
 */
export const countItems = (params: ReadonlyArray<readonly [string, string]>): number => {
  const lists = new Map<string, number>()
  for (const [name] of params) {
    const match = LIST_ITEM.exec(name)
    if (match === null || name.startsWith("Marketplace")) continue
    lists.set(match[1]!, Math.max(lists.get(match[1]!) ?? 0, Number(match[2])))
  }
  return Math.max(1, ...lists.values())
}

/** The marketplace a call is for: its `MarketplaceId` parameter, else the configured one. @internal */
export const marketplaceOf = (params: ReadonlyArray<readonly [string, string]>, config: ClientConfig.ClientConfig) => {
  for (const [name, value] of params) {
    if (name === "MarketplaceId" || name === "MarketplaceId.Id.1" || name === "MarketplaceIdList.Id.1") return value
  }
  return config.marketplace?.marketplaceId
}

/** What stays the same across a call's attempts, worked out once before the first. @internal */
export interface PreparedCall {
  readonly section: string
  readonly operation: string
  /** The section's path and version (`/Orders/2013-09-01`). */
  readonly path: string
  readonly version: string
  readonly params: ReadonlyArray<readonly [string, string]>
  /** The parameters as the ledger records them. */
  readonly ledgerParams: Readonly<Record<string, string>>
  readonly sellerId: string
  /** The throttle's key for the call. */
  readonly target: Throttle.Target
  readonly idempotent: boolean
  readonly body: Uint8Array | undefined
  readonly contentType: string | undefined
  readonly marketplace: string | null
}

const encoder = new TextEncoder()

/**
 * Works out a call's fixed facts; `undefined` for a section with no known
 * version (the caller must pass `CallRequest.version`).
 *
 * @internal
 */
export const prepare = (config: ClientConfig.ClientConfig, request: CallRequest): PreparedCall | undefined => {
  const { section, operation } = request
  const sectionInfo = Endpoints.section(section, request.version)
  if (sectionInfo === undefined) return undefined
  const params = expandParams(request.params)
  const sellerId = request.sellerId ?? config.sellerId
  return {
    section,
    operation,
    path: sectionInfo.path,
    version: sectionInfo.version,
    params,
    ledgerParams: Object.fromEntries(params),
    sellerId,
    target: {
      sellerId,
      ...(config.developerId === undefined ? {} : { developerId: config.developerId }),
      section,
      operation
    },
    idempotent: request.idempotent ?? !isStateChanging(operation),
    body: typeof request.body === "string" ? encoder.encode(request.body) : request.body,
    contentType: request.contentType,
    marketplace: marketplaceOf(params, config) ?? null
  }
}
