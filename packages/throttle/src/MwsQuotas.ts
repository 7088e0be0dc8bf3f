/**
 * The Amazon MWS quota catalog: every operation's bucket as the "Throttling"
 * section of its doc page states it, with the buckets operations share and
 * the per-item restore of the Products list operations.
 *
 * `source` names the page each number comes from. "DOCS" is the Markdown copy
 * of the MWS documentation in GitHub `bizon/mws-api-doc` @ 66fd1464a6f3,
 * under `doc/en_FR/` (English text); the same pages are published under
 * `https://docs.developer.amazonservices.com/en_US/`. Where the docs say that
 * two operations "together share" a quota, both entries name one bucket
 * (mws-facts 1.2); every other operation has a bucket of its own.
 *
 * @since 0.1.0
 */

import { MINUTE, quota, SECOND, section } from "./internal/quotaRows.ts"
import * as QuotaCatalog from "./QuotaCatalog.ts"

// Each quota below is a tunable named after what it throttles; its comment
// cites the page that states it. Time-scaled runs (sandbox, benchmarks) scale
// these through the throttle's `timeScale`, never by editing them.

/** 6 requests, one restored every minute (DOCS orders-2013-09-01/Orders_ListOrders.md, Orders_GetOrder.md). */
const ORDERS_6_PER_MINUTE = quota(6, 1, MINUTE)
/** 30 requests, one restored every 2 seconds (DOCS orders-2013-09-01/Orders_ListOrderItems.md). */
const ORDERS_ITEMS = quota(30, 1, 2 * SECOND)
/** 15 requests, one every 2 minutes, 30 an hour (DOCS feeds/Feeds_SubmitFeed.md). */
const SUBMIT_FEED = quota(15, 1, 2 * MINUTE, { hourly: 30 })
/** 10 requests, one every 45 seconds, 80 an hour (DOCS feeds/Feeds_GetFeedSubmissionList.md and siblings). */
const FEEDS_LISTS = quota(10, 1, 45 * SECOND, { hourly: 80 })
/** 30 requests, one every 2 seconds, 1800 an hour: the ByNextToken pages of Feeds, Reports and Finances. */
const NEXT_TOKEN_PAGES = quota(30, 1, 2 * SECOND, { hourly: 1800 })
/** 15 requests, one every minute, 60 an hour (DOCS feeds/Feeds_GetFeedSubmissionResult.md, reports/Reports_RequestReport.md, Reports_GetReport.md). */
const FIFTEEN_PER_MINUTE_60_HOURLY = quota(15, 1, MINUTE, { hourly: 60 })
/** 10 requests, one every minute, 60 an hour (DOCS reports/Reports_GetReportList.md). */
const REPORT_LIST = quota(10, 1, MINUTE, { hourly: 60 })
/** 10 requests, one every 45 seconds, 80 an hour: the other Reports operations (DOCS reports/Reports_GetReportRequestList.md and siblings). */
const REPORTS_OTHER = quota(10, 1, 45 * SECOND, { hourly: 80 })
/** 20 requests, one every 5 seconds, 720 an hour (DOCS products/Products_Throttling.md, "Per-Request Throttling"). */
const PRODUCTS_PER_REQUEST = quota(20, 1, 5 * SECOND, { hourly: 720 })
/** 20, two items a second, 7200 requests an hour (DOCS products/Products_Throttling.md, "Per-Item Throttling"). */
const GET_MATCHING_PRODUCT = quota(20, 2, SECOND, { per: "item", hourly: 7200 })
/** 20, five items a second, 18000 requests an hour (DOCS products/Products_Throttling.md). */
const GET_MATCHING_PRODUCT_FOR_ID = quota(20, 5, SECOND, { per: "item", hourly: 18000 })
/** 20, ten items a second, 36000 requests an hour (DOCS products/Products_Throttling.md). */
const PRODUCTS_10_ITEMS = quota(20, 10, SECOND, { per: "item", hourly: 36000 })
/** 10, five items a second, 200 requests an hour (DOCS products/Products_Throttling.md, GetLowestPricedOffersFor*). */
const LOWEST_PRICED_OFFERS = quota(10, 5, SECOND, { per: "item", hourly: 200 })
/** 15 requests, one every minute (DOCS sellers/Sellers_ListMarketplaceParticipations.md). */
const SELLERS = quota(15, 1, MINUTE)
/** 30 requests, one every 2 seconds, 1800 an hour (DOCS finances/Finances_ListFinancialEvents.md and siblings). */
const FINANCES = quota(30, 1, 2 * SECOND, { hourly: 1800 })
/** 30 requests, two a second: FBA Inbound, Inventory and Outbound operations (their pages). */
const FBA_30_2_PER_SECOND = quota(30, 2, SECOND)
/** 200 requests, 200 a second, 500 an hour (DOCS fba_inbound/FBAInbound_GetInboundGuidanceForSKU.md, ...ForASIN.md). */
const INBOUND_GUIDANCE = quota(200, 200, SECOND, { hourly: 500 })
/** 10 requests, five a second (DOCS merch_fulfill/MerchFulfill_*.md). */
const MERCHANT_FULFILLMENT = quota(10, 5, SECOND)
/** 8 requests, one every 2 seconds (DOCS recommendations/Recommendations_*.md). */
const RECOMMENDATIONS = quota(8, 1, 2 * SECOND)
/** 25 requests, two a second, 7200 an hour (DOCS subscriptions/Subscriptions_*.md). */
const SUBSCRIPTIONS = quota(25, 2, SECOND, { hourly: 7200 })
/** 15 requests, 15 a minute (DOCS easy_ship/EasyShip_CreateScheduledPackage.md, GetScheduledPackage, ListPickupSlots). */
const EASY_SHIP_15 = quota(15, 15, MINUTE)
/** 10 requests, 15 a minute (DOCS easy_ship/EasyShip_UpdateScheduledPackages.md). */
const EASY_SHIP_UPDATE = quota(10, 15, MINUTE)

const SERVICE_STATUS = {
  maxQuota: QuotaCatalog.serviceStatusQuota.maxQuota,
  restore: QuotaCatalog.serviceStatusQuota.restore,
  per: QuotaCatalog.serviceStatusQuota.per
}
/** GetServiceStatus of a section with no page of its own in DOCS: the quota every section's page states. */
const GENERIC_STATUS_PAGE = "*/MWS_GetServiceStatus.md (same quota in every section; no copy for this section)"

const orders = section("Orders", [
  ["ListOrders", ORDERS_6_PER_MINUTE, "orders-2013-09-01/Orders_ListOrders.md"],
  ["ListOrdersByNextToken", ORDERS_6_PER_MINUTE, "orders-2013-09-01/Orders_ListOrdersByNextToken.md", "ListOrders"],
  ["GetOrder", ORDERS_6_PER_MINUTE, "orders-2013-09-01/Orders_GetOrder.md"],
  ["ListOrderItems", ORDERS_ITEMS, "orders-2013-09-01/Orders_ListOrderItems.md"],
  [
    "ListOrderItemsByNextToken",
    ORDERS_ITEMS,
    "orders-2013-09-01/Orders_ListOrderItemsByNextToken.md",
    "ListOrderItems"
  ],
  ["GetServiceStatus", SERVICE_STATUS, GENERIC_STATUS_PAGE]
])

const feeds = section("Feeds", [
  ["SubmitFeed", SUBMIT_FEED, "feeds/Feeds_SubmitFeed.md"],
  ["GetFeedSubmissionList", FEEDS_LISTS, "feeds/Feeds_GetFeedSubmissionList.md"],
  ["GetFeedSubmissionListByNextToken", NEXT_TOKEN_PAGES, "feeds/Feeds_GetFeedSubmissionListByNextToken.md"],
  ["GetFeedSubmissionCount", FEEDS_LISTS, "feeds/Feeds_GetFeedSubmissionCount.md"],
  ["CancelFeedSubmissions", FEEDS_LISTS, "feeds/Feeds_CancelFeedSubmissions.md"],
  ["GetFeedSubmissionResult", FIFTEEN_PER_MINUTE_60_HOURLY, "feeds/Feeds_GetFeedSubmissionResult.md"]
])

// GetReportScheduleListByNextToken has a page but no quota: "Currently this operation can never be
// called" (DOCS reports/Reports_GetReportScheduleListByNextToken.md). Add it with extend if that changes.
const reports = section("Reports", [
  ["RequestReport", FIFTEEN_PER_MINUTE_60_HOURLY, "reports/Reports_RequestReport.md"],
  ["GetReport", FIFTEEN_PER_MINUTE_60_HOURLY, "reports/Reports_GetReport.md"],
  ["GetReportList", REPORT_LIST, "reports/Reports_GetReportList.md"],
  ["GetReportListByNextToken", NEXT_TOKEN_PAGES, "reports/Reports_GetReportListByNextToken.md"],
  ["GetReportRequestList", REPORTS_OTHER, "reports/Reports_GetReportRequestList.md"],
  ["GetReportRequestListByNextToken", NEXT_TOKEN_PAGES, "reports/Reports_GetReportRequestListByNextToken.md"],
  ["GetReportRequestCount", REPORTS_OTHER, "reports/Reports_GetReportRequestCount.md"],
  ["GetReportCount", REPORTS_OTHER, "reports/Reports_GetReportCount.md"],
  ["CancelReportRequests", REPORTS_OTHER, "reports/Reports_CancelReportRequests.md"],
  ["ManageReportSchedule", REPORTS_OTHER, "reports/Reports_ManageReportSchedule.md"],
  ["GetReportScheduleList", REPORTS_OTHER, "reports/Reports_GetReportScheduleList.md"],
  ["GetReportScheduleCount", REPORTS_OTHER, "reports/Reports_GetReportScheduleCount.md"],
  ["UpdateReportAcknowledgements", REPORTS_OTHER, "reports/Reports_UpdateReportAcknowledgements.md"]
])

const PRODUCTS_PAGE = "products/Products_Throttling.md"
const products = section("Products", [
  ["ListMatchingProducts", PRODUCTS_PER_REQUEST, PRODUCTS_PAGE],
  ["GetProductCategoriesForSKU", PRODUCTS_PER_REQUEST, PRODUCTS_PAGE, "GetProductCategories"],
  ["GetProductCategoriesForASIN", PRODUCTS_PER_REQUEST, PRODUCTS_PAGE, "GetProductCategories"],
  ["GetMatchingProduct", GET_MATCHING_PRODUCT, PRODUCTS_PAGE],
  ["GetMatchingProductForId", GET_MATCHING_PRODUCT_FOR_ID, PRODUCTS_PAGE],
  ["GetCompetitivePricingForSKU", PRODUCTS_10_ITEMS, PRODUCTS_PAGE, "GetCompetitivePricing"],
  ["GetCompetitivePricingForASIN", PRODUCTS_10_ITEMS, PRODUCTS_PAGE, "GetCompetitivePricing"],
  ["GetLowestOfferListingsForSKU", PRODUCTS_10_ITEMS, PRODUCTS_PAGE, "GetLowestOfferListings"],
  ["GetLowestOfferListingsForASIN", PRODUCTS_10_ITEMS, PRODUCTS_PAGE, "GetLowestOfferListings"],
  ["GetLowestPricedOffersForSKU", LOWEST_PRICED_OFFERS, PRODUCTS_PAGE, "GetLowestPricedOffers"],
  ["GetLowestPricedOffersForASIN", LOWEST_PRICED_OFFERS, PRODUCTS_PAGE, "GetLowestPricedOffers"],
  ["GetMyFeesEstimate", PRODUCTS_10_ITEMS, PRODUCTS_PAGE],
  ["GetMyPriceForSKU", PRODUCTS_10_ITEMS, PRODUCTS_PAGE, "GetMyPrice"],
  ["GetMyPriceForASIN", PRODUCTS_10_ITEMS, PRODUCTS_PAGE, "GetMyPrice"],
  ["GetServiceStatus", SERVICE_STATUS, "products/Products_GetServiceStatus.md"]
])

const sellers = section("Sellers", [
  ["ListMarketplaceParticipations", SELLERS, "sellers/Sellers_ListMarketplaceParticipations.md"],
  [
    "ListMarketplaceParticipationsByNextToken",
    SELLERS,
    "sellers/Sellers_ListMarketplaceParticipationsByNextToken.md",
    "ListMarketplaceParticipations"
  ],
  ["GetServiceStatus", SERVICE_STATUS, "sellers/Sellers_GetServiceStatus.md"]
])

const finances = section("Finances", [
  ["ListFinancialEvents", FINANCES, "finances/Finances_ListFinancialEvents.md"],
  ["ListFinancialEventsByNextToken", FINANCES, "finances/Finances_ListFinancialEventsByNextToken.md"],
  ["ListFinancialEventGroups", FINANCES, "finances/Finances_ListFinancialEventGroups.md"],
  ["ListFinancialEventGroupsByNextToken", FINANCES, "finances/Finances_ListFinancialEventGroupsByNextToken.md"],
  ["GetServiceStatus", SERVICE_STATUS, "finances/Finances_GetServiceStatus.md"]
])

const inbound = (operation: string) =>
  [operation, FBA_30_2_PER_SECOND, `fba_inbound/FBAInbound_${operation}.md`] as const
const fulfillmentInbound = section("FulfillmentInboundShipment", [
  inbound("CreateInboundShipmentPlan"),
  inbound("CreateInboundShipment"),
  inbound("UpdateInboundShipment"),
  inbound("GetPreorderInfo"),
  inbound("ConfirmPreorder"),
  inbound("GetPrepInstructionsForSKU"),
  inbound("GetPrepInstructionsForASIN"),
  inbound("PutTransportContent"),
  inbound("EstimateTransportRequest"),
  inbound("GetTransportContent"),
  inbound("ConfirmTransportRequest"),
  inbound("VoidTransportRequest"),
  inbound("GetPackageLabels"),
  inbound("GetUniquePackageLabels"),
  inbound("GetPalletLabels"),
  inbound("GetBillOfLading"),
  inbound("ListInboundShipments"),
  inbound("ListInboundShipmentsByNextToken"),
  inbound("ListInboundShipmentItems"),
  inbound("ListInboundShipmentItemsByNextToken"),
  ["GetInboundGuidanceForSKU", INBOUND_GUIDANCE, "fba_inbound/FBAInbound_GetInboundGuidanceForSKU.md"],
  ["GetInboundGuidanceForASIN", INBOUND_GUIDANCE, "fba_inbound/FBAInbound_GetInboundGuidanceForASIN.md"],
  ["GetServiceStatus", SERVICE_STATUS, "fba_inbound/MWS_GetServiceStatus.md"]
])

const fulfillmentInventory = section("FulfillmentInventory", [
  ["ListInventorySupply", FBA_30_2_PER_SECOND, "fba_inventory/FBAInventory_ListInventorySupply.md"],
  [
    "ListInventorySupplyByNextToken",
    FBA_30_2_PER_SECOND,
    "fba_inventory/FBAInventory_ListInventorySupplyByNextToken.md",
    "ListInventorySupply"
  ],
  ["GetServiceStatus", SERVICE_STATUS, "fba_inventory/MWS_GetServiceStatus.md"]
])

const outbound = (operation: string) =>
  [operation, FBA_30_2_PER_SECOND, `fba_outbound/FBAOutbound_${operation}.md`] as const
const fulfillmentOutbound = section("FulfillmentOutboundShipment", [
  outbound("GetFulfillmentPreview"),
  outbound("CreateFulfillmentOrder"),
  outbound("UpdateFulfillmentOrder"),
  outbound("ListAllFulfillmentOrders"),
  outbound("ListAllFulfillmentOrdersByNextToken"),
  outbound("GetFulfillmentOrder"),
  outbound("GetPackageTrackingDetails"),
  outbound("CancelFulfillmentOrder"),
  outbound("ListReturnReasonCodes"),
  outbound("CreateFulfillmentReturn"),
  ["GetServiceStatus", SERVICE_STATUS, "fba_outbound/MWS_GetServiceStatus.md"]
])

const merchant = (operation: string) =>
  [operation, MERCHANT_FULFILLMENT, `merch_fulfill/MerchFulfill_${operation}.md`] as const
const merchantFulfillment = section("MerchantFulfillment", [
  merchant("GetEligibleShippingServices"),
  merchant("GetAdditionalSellerInputs"),
  merchant("CreateShipment"),
  merchant("GetShipment"),
  merchant("CancelShipment"),
  ["GetServiceStatus", SERVICE_STATUS, GENERIC_STATUS_PAGE]
])

const recommendation = (operation: string) =>
  [operation, RECOMMENDATIONS, `recommendations/Recommendations_${operation}.md`] as const
const recommendations = section("Recommendations", [
  recommendation("GetLastUpdatedTimeForRecommendations"),
  recommendation("ListRecommendations"),
  recommendation("ListRecommendationsByNextToken"),
  ["GetServiceStatus", SERVICE_STATUS, GENERIC_STATUS_PAGE]
])

const subscription = (operation: string) =>
  [operation, SUBSCRIPTIONS, `subscriptions/Subscriptions_${operation}.md`] as const
const subscriptions = section("Subscriptions", [
  subscription("RegisterDestination"),
  subscription("DeregisterDestination"),
  subscription("ListRegisteredDestinations"),
  subscription("SendTestNotificationToDestination"),
  subscription("CreateSubscription"),
  subscription("GetSubscription"),
  subscription("DeleteSubscription"),
  subscription("ListSubscriptions"),
  subscription("UpdateSubscription"),
  ["GetServiceStatus", SERVICE_STATUS, GENERIC_STATUS_PAGE]
])

const easyShip = section("EasyShip", [
  ["ListPickupSlots", EASY_SHIP_15, "easy_ship/EasyShip_ListPickupSlots.md"],
  ["CreateScheduledPackage", EASY_SHIP_15, "easy_ship/EasyShip_CreateScheduledPackage.md"],
  ["GetScheduledPackage", EASY_SHIP_15, "easy_ship/EasyShip_GetScheduledPackage.md"],
  ["UpdateScheduledPackages", EASY_SHIP_UPDATE, "easy_ship/EasyShip_UpdateScheduledPackages.md"],
  ["GetServiceStatus", SERVICE_STATUS, "easy_ship/EasyShip_GetServiceStatus.md"]
])

/**
 * Every MWS operation's quota, in the order of the sections' docs.
 *
 * @category data
 * @since 0.1.0
 */
export const entries = [
  ...orders,
  ...feeds,
  ...reports,
  ...products,
  ...sellers,
  ...finances,
  ...fulfillmentInbound,
  ...fulfillmentInventory,
  ...fulfillmentOutbound,
  ...merchantFulfillment,
  ...recommendations,
  ...subscriptions,
  ...easyShip
] as const

/**
 * The MWS quota catalog: what the throttle uses unless given another. The
 * sandbox uses the same data for its server-side buckets.
 *
 * @example
 * ```ts
 * import { MwsQuotas, QuotaCatalog } from "@mws-kit/throttle"
 *
 * const entry = QuotaCatalog.lookup(MwsQuotas.catalog, "Orders", "ListOrderItems")
 * entry?.maxQuota // 30
 * entry?.restore  // { amount: 1, everyMs: 2000 }
 * entry?.source   // "DOCS orders-2013-09-01/Orders_ListOrderItems.md"
 * ```
 *
 * @category data
 * @since 0.1.0
 */
export const catalog = QuotaCatalog.make(entries)

/**
 * The sections of the MWS catalog.
 *
 * @category models
 * @since 0.1.0
 */
export type MwsSection = QuotaCatalog.SectionOf<typeof catalog>

/**
 * The operations of an MWS section.
 *
 * @category models
 * @since 0.1.0
 */
export type MwsOperation<Section extends MwsSection = MwsSection> = QuotaCatalog.OperationOf<typeof catalog, Section>
