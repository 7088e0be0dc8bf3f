/**
 * Where MWS lives: the endpoint and marketplace id of every marketplace
 * (MWS Developer Guide, "Amazon MWS endpoints and MarketplaceId values";
 * mws-facts 4.4), the three regions, and the path and version of every API
 * section.
 *
 * @since 0.1.0
 */

/**
 * The three MWS regions.
 *
 * @category constants
 * @since 0.1.0
 */
export const REGIONS = ["NA", "EU", "FE"] as const

/**
 * An MWS region.
 *
 * @category models
 * @since 0.1.0
 */
export type Region = (typeof REGIONS)[number]

/**
 * One marketplace: its region, its country code, the endpoint to call and the
 * MarketplaceId to send.
 *
 * @category models
 * @since 0.1.0
 */
export interface Marketplace {
  readonly region: Region
  readonly code: string
  readonly endpoint: string
  readonly marketplaceId: string
}

const marketplace = (region: Region, code: string, endpoint: string, marketplaceId: string): Marketplace => ({
  region,
  code,
  endpoint,
  marketplaceId
})

/**
 * Every marketplace, in the order of the endpoints table (DOCS
 * dev_guide/DG_Endpoints.md; python-amazon-mws `Marketplaces` agrees).
 *
 * @category constants
 * @since 0.1.0
 */
export const MARKETPLACES: ReadonlyArray<Marketplace> = [
  marketplace("NA", "BR", "https://mws.amazonservices.com", "A2Q3Y263D00KWC"),
  marketplace("NA", "CA", "https://mws.amazonservices.ca", "A2EUQ1WTGCTBG2"),
  marketplace("NA", "MX", "https://mws.amazonservices.com.mx", "A1AM78C64UM0Y8"),
  marketplace("NA", "US", "https://mws.amazonservices.com", "ATVPDKIKX0DER"),
  marketplace("EU", "AE", "https://mws.amazonservices.ae", "A2VIGQ35RCS4UG"),
  marketplace("EU", "DE", "https://mws-eu.amazonservices.com", "A1PA6795UKMFR9"),
  marketplace("EU", "EG", "https://mws-eu.amazonservices.com", "ARBP9OOSHTCHU"),
  marketplace("EU", "ES", "https://mws-eu.amazonservices.com", "A1RKKUPIHCS9HS"),
  marketplace("EU", "FR", "https://mws-eu.amazonservices.com", "A13V1IB3VIYZZH"),
  marketplace("EU", "BE", "https://mws-eu.amazonservices.com", "AMEN7PMS3EDWL"),
  marketplace("EU", "GB", "https://mws-eu.amazonservices.com", "A1F83G8C2ARO7P"),
  marketplace("EU", "IN", "https://mws.amazonservices.in", "A21TJRUUN4KGV"),
  marketplace("EU", "IT", "https://mws-eu.amazonservices.com", "APJ6JRA9NG5V4"),
  marketplace("EU", "NL", "https://mws-eu.amazonservices.com", "A1805IZSGTT6HS"),
  marketplace("EU", "PL", "https://mws-eu.amazonservices.com", "A1C3SOZRARQ6R3"),
  marketplace("EU", "SA", "https://mws-eu.amazonservices.com", "A17E79C6D8DWNP"),
  marketplace("EU", "SE", "https://mws-eu.amazonservices.com", "A2NODRKZP88ZB9"),
  marketplace("EU", "TR", "https://mws-eu.amazonservices.com", "A33AVAJ2PDY3EV"),
  marketplace("FE", "SG", "https://mws-fe.amazonservices.com", "A19VAU5U5O7RUS"),
  marketplace("FE", "AU", "https://mws.amazonservices.com.au", "A39IBJ37TRP1C6"),
  marketplace("FE", "JP", "https://mws.amazonservices.jp", "A1VC38T7YXB528")
]

/**
 * The endpoint of each region when no marketplace is named: the one most of
 * the region's marketplaces share (NA: US, BR; EU: the ten mws-eu
 * marketplaces; FE: SG).
 *
 * @category constants
 * @since 0.1.0
 */
export const REGION_ENDPOINTS: { readonly [R in Region]: string } = {
  NA: "https://mws.amazonservices.com",
  EU: "https://mws-eu.amazonservices.com",
  FE: "https://mws-fe.amazonservices.com"
}

/**
 * Whether a string names a region (`NA`, `EU`, `FE`, in any case).
 *
 * @category guards
 * @since 0.1.0
 */
export const isRegion = (value: string): value is Region => (REGIONS as ReadonlyArray<string>).includes(value)

/**
 * A marketplace by its country code (`US`, `de`, ...) or its MarketplaceId
 * (`ATVPDKIKX0DER`), or `undefined`.
 *
 * @example
 * ```ts
 * import { Endpoints } from "@mws-kit/mws-client"
 *
 * Endpoints.findMarketplace("DE")?.endpoint // "https://mws-eu.amazonservices.com"
 * Endpoints.findMarketplace("ATVPDKIKX0DER")?.code // "US"
 * ```
 *
 * @category getters
 * @since 0.1.0
 */
export const findMarketplace = (codeOrId: string): Marketplace | undefined => {
  const wanted = codeOrId.trim()
  const upper = wanted.toUpperCase()
  return MARKETPLACES.find((entry) => entry.code === upper || entry.marketplaceId === wanted)
}

/**
 * The version of each API section, which is both the request path
 * (`/Orders/2013-09-01`) and the `Version` parameter (boto
 * `api_version_path`, ScaleLeap `src/http.ts`; mws-facts 4.4).
 *
 * @category constants
 * @since 0.1.0
 */
export const SECTION_VERSIONS: Readonly<Record<string, string>> = {
  Orders: "2013-09-01",
  Products: "2011-10-01",
  Sellers: "2011-07-01",
  Feeds: "2009-01-01",
  Reports: "2009-01-01",
  Finances: "2015-05-01",
  FulfillmentInboundShipment: "2010-10-01",
  FulfillmentOutboundShipment: "2010-10-01",
  FulfillmentInventory: "2010-10-01",
  MerchantFulfillment: "2015-06-01",
  Recommendations: "2013-04-01",
  Subscriptions: "2013-07-01",
  EasyShip: "2018-09-01",
  ShipmentInvoicing: "2018-09-01",
  CustomerInformation: "2014-03-01",
  CartInformation: "2014-03-01"
}

/**
 * The sections {@link SECTION_VERSIONS} knows.
 *
 * @category constants
 * @since 0.1.0
 */
export const SECTIONS: ReadonlyArray<string> = Object.keys(SECTION_VERSIONS)

/**
 * A section's path and version, or `undefined` for a section this table does
 * not know (pass the version yourself then).
 *
 * @example
 * ```ts
 * import { Endpoints } from "@mws-kit/mws-client"
 *
 * Endpoints.section("Orders") // { name: "Orders", version: "2013-09-01", path: "/Orders/2013-09-01" }
 * ```
 *
 * @category getters
 * @since 0.1.0
 */
export const section = (
  name: string,
  version?: string
): { readonly name: string; readonly version: string; readonly path: string } | undefined => {
  const known = Object.hasOwn(SECTION_VERSIONS, name) ? SECTION_VERSIONS[name] : undefined
  const resolved = version ?? known
  if (resolved === undefined) return undefined
  return { name, version: resolved, path: `/${name}/${resolved}` }
}
