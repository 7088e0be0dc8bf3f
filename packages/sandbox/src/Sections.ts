/**
 * The API sections the sandbox serves: their paths and versions (mws-facts
 * section 4.4), and the XML namespaces their responses use (section 2.2).
 *
 * @since 0.1.0
 */

/**
 * One API section.
 *
 * @category models
 * @since 0.1.0
 */
export interface Section {
  /** The name used in the path and in the quota catalog, e.g. `Orders`. */
  readonly name: string
  /** The version in the path and the `Version` parameter, e.g. `2013-09-01`. */
  readonly version: string
  /** The namespace of its success bodies. */
  readonly namespace: string
  /** The namespace of its error bodies (sections do not always use the same one for both). */
  readonly errorNamespace: string
}

const section = (name: string, version: string, namespace?: string, errorNamespace?: string): Section => ({
  name,
  version,
  namespace: namespace ?? `https://mws.amazonservices.com/${name}/${version}`,
  errorNamespace: errorNamespace ?? namespace ?? `https://mws.amazonservices.com/${name}/${version}`
})

/** The Feeds and Reports ("MarketplaceWebService") namespace, on success and error bodies alike. */
const MARKETPLACE_WEB_SERVICE = "http://mws.amazonaws.com/doc/2009-01-01/"

/**
 * Every section, with the path version of mws-facts 4.4 and the namespaces
 * seen in recordings (2.2) where there are any.
 *
 * @category constants
 * @since 0.1.0
 */
export const all: ReadonlyArray<Section> = [
  section("Orders", "2013-09-01"),
  section("Products", "2011-10-01", "http://mws.amazonservices.com/schema/Products/2011-10-01"),
  section("Sellers", "2011-07-01"),
  section("Feeds", "2009-01-01", MARKETPLACE_WEB_SERVICE),
  section("Reports", "2009-01-01", MARKETPLACE_WEB_SERVICE),
  section("Finances", "2015-05-01", undefined, "http://mws.amazonservices.com/Finances/2015-05-01"),
  section("FulfillmentInboundShipment", "2010-10-01"),
  section("FulfillmentOutboundShipment", "2010-10-01"),
  section("FulfillmentInventory", "2010-10-01"),
  section("MerchantFulfillment", "2015-06-01"),
  section("Recommendations", "2013-04-01"),
  section("Subscriptions", "2013-07-01"),
  section("EasyShip", "2018-09-01"),
  section("ShipmentInvoicing", "2018-09-01"),
  section("CustomerInformation", "2014-03-01"),
  section("CartInformation", "2014-03-01")
]

const byName = new Map(all.map((entry) => [entry.name, entry]))

/**
 * The namespace of errors that name no section (an unknown path).
 *
 * @category constants
 * @since 0.1.0
 */
export const ROOT_NAMESPACE = "https://mws.amazonservices.com/"

/**
 * The section a path names (`/Orders/2013-09-01`), or `undefined`.
 *
 * @category getters
 * @since 0.1.0
 */
export const fromPath = (path: string): Section | undefined => {
  const match = /^\/([A-Za-z]+)\/(\d{4}-\d{2}-\d{2})\/?$/.exec(path)
  if (match === null) return undefined
  const found = byName.get(match[1]!)
  return found !== undefined && found.version === match[2] ? found : undefined
}

/**
 * A section by name.
 *
 * @category getters
 * @since 0.1.0
 */
export const byNameOf = (name: string): Section | undefined => byName.get(name)

/**
 * Sections whose responses carry `x-mws-quota-*` headers: only Feeds,
 * Reports and Products in every recording (mws-facts 1.4).
 *
 * @category constants
 * @since 0.1.0
 */
export const WITH_QUOTA_HEADERS: ReadonlySet<string> = new Set(["Feeds", "Reports", "Products"])

/**
 * The RequestId element an error body uses, as recorded (mws-facts 2.2):
 * `RequestId` on 4xx errors from Feeds, Reports, Finances and Shipment
 * Invoicing; `RequestID` everywhere else (Orders, Sellers, every throttled
 * 503).
 *
 * @category getters
 * @since 0.1.0
 */
export const requestIdElement = (sectionName: string | undefined, status: number): "RequestId" | "RequestID" =>
  status < 500 &&
  sectionName !== undefined &&
  ["Feeds", "Reports", "Finances", "ShipmentInvoicing"].includes(sectionName)
    ? "RequestId"
    : "RequestID"
