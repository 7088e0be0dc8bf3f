import { assert, describe, it } from "@effect/vitest"
import { MwsQuotas, QuotaCatalog } from "../src/index.ts"

const lookup = (section: string, operation: string) => QuotaCatalog.lookup(MwsQuotas.catalog, section, operation)

// mws-facts 1.3, row by row: [section, operation, max quota, restore amount, every ms, per, hourly]
const table: ReadonlyArray<readonly [string, string, number, number, number, "request" | "item", number | undefined]> =
  [
    ["Orders", "ListOrders", 6, 1, 60_000, "request", undefined],
    ["Orders", "ListOrdersByNextToken", 6, 1, 60_000, "request", undefined],
    ["Orders", "GetOrder", 6, 1, 60_000, "request", undefined],
    ["Orders", "ListOrderItems", 30, 1, 2000, "request", undefined],
    ["Orders", "ListOrderItemsByNextToken", 30, 1, 2000, "request", undefined],
    ["Feeds", "SubmitFeed", 15, 1, 120_000, "request", 30],
    ["Feeds", "GetFeedSubmissionList", 10, 1, 45_000, "request", 80],
    ["Feeds", "GetFeedSubmissionListByNextToken", 30, 1, 2000, "request", 1800],
    ["Feeds", "GetFeedSubmissionCount", 10, 1, 45_000, "request", 80],
    ["Feeds", "CancelFeedSubmissions", 10, 1, 45_000, "request", 80],
    ["Feeds", "GetFeedSubmissionResult", 15, 1, 60_000, "request", 60],
    ["Reports", "RequestReport", 15, 1, 60_000, "request", 60],
    ["Reports", "GetReport", 15, 1, 60_000, "request", 60],
    ["Reports", "GetReportList", 10, 1, 60_000, "request", 60],
    ["Reports", "GetReportListByNextToken", 30, 1, 2000, "request", 1800],
    ["Reports", "GetReportRequestList", 10, 1, 45_000, "request", 80],
    ["Reports", "GetReportRequestCount", 10, 1, 45_000, "request", 80],
    ["Reports", "GetReportCount", 10, 1, 45_000, "request", 80],
    ["Reports", "CancelReportRequests", 10, 1, 45_000, "request", 80],
    ["Reports", "ManageReportSchedule", 10, 1, 45_000, "request", 80],
    ["Reports", "GetReportScheduleList", 10, 1, 45_000, "request", 80],
    ["Reports", "GetReportScheduleCount", 10, 1, 45_000, "request", 80],
    ["Reports", "UpdateReportAcknowledgements", 10, 1, 45_000, "request", 80],
    ["Reports", "GetReportRequestListByNextToken", 30, 1, 2000, "request", 1800],
    ["Products", "ListMatchingProducts", 20, 1, 5000, "request", 720],
    ["Products", "GetProductCategoriesForSKU", 20, 1, 5000, "request", 720],
    ["Products", "GetProductCategoriesForASIN", 20, 1, 5000, "request", 720],
    ["Products", "GetMatchingProduct", 20, 2, 1000, "item", 7200],
    ["Products", "GetMatchingProductForId", 20, 5, 1000, "item", 18000],
    ["Products", "GetCompetitivePricingForSKU", 20, 10, 1000, "item", 36000],
    ["Products", "GetCompetitivePricingForASIN", 20, 10, 1000, "item", 36000],
    ["Products", "GetLowestOfferListingsForSKU", 20, 10, 1000, "item", 36000],
    ["Products", "GetLowestOfferListingsForASIN", 20, 10, 1000, "item", 36000],
    ["Products", "GetLowestPricedOffersForSKU", 10, 5, 1000, "item", 200],
    ["Products", "GetLowestPricedOffersForASIN", 10, 5, 1000, "item", 200],
    ["Products", "GetMyFeesEstimate", 20, 10, 1000, "item", 36000],
    ["Products", "GetMyPriceForSKU", 20, 10, 1000, "item", 36000],
    ["Products", "GetMyPriceForASIN", 20, 10, 1000, "item", 36000],
    ["Sellers", "ListMarketplaceParticipations", 15, 1, 60_000, "request", undefined],
    ["Sellers", "ListMarketplaceParticipationsByNextToken", 15, 1, 60_000, "request", undefined],
    ["Finances", "ListFinancialEvents", 30, 1, 2000, "request", 1800],
    ["Finances", "ListFinancialEventsByNextToken", 30, 1, 2000, "request", 1800],
    ["Finances", "ListFinancialEventGroups", 30, 1, 2000, "request", 1800],
    ["Finances", "ListFinancialEventGroupsByNextToken", 30, 1, 2000, "request", 1800],
    ["FulfillmentInboundShipment", "CreateInboundShipmentPlan", 30, 2, 1000, "request", undefined],
    ["FulfillmentInboundShipment", "ListInboundShipmentItemsByNextToken", 30, 2, 1000, "request", undefined],
    ["FulfillmentInboundShipment", "GetInboundGuidanceForSKU", 200, 200, 1000, "request", 500],
    ["FulfillmentInboundShipment", "GetInboundGuidanceForASIN", 200, 200, 1000, "request", 500],
    ["FulfillmentInventory", "ListInventorySupply", 30, 2, 1000, "request", undefined],
    ["FulfillmentInventory", "ListInventorySupplyByNextToken", 30, 2, 1000, "request", undefined],
    ["FulfillmentOutboundShipment", "CreateFulfillmentOrder", 30, 2, 1000, "request", undefined],
    ["FulfillmentOutboundShipment", "ListAllFulfillmentOrdersByNextToken", 30, 2, 1000, "request", undefined],
    ["MerchantFulfillment", "CreateShipment", 10, 5, 1000, "request", undefined],
    ["MerchantFulfillment", "GetEligibleShippingServices", 10, 5, 1000, "request", undefined],
    ["Recommendations", "ListRecommendations", 8, 1, 2000, "request", undefined],
    ["Recommendations", "GetLastUpdatedTimeForRecommendations", 8, 1, 2000, "request", undefined],
    ["Subscriptions", "RegisterDestination", 25, 2, 1000, "request", 7200],
    ["Subscriptions", "ListSubscriptions", 25, 2, 1000, "request", 7200],
    ["EasyShip", "ListPickupSlots", 15, 15, 60_000, "request", undefined],
    ["EasyShip", "CreateScheduledPackage", 15, 15, 60_000, "request", undefined],
    ["EasyShip", "GetScheduledPackage", 15, 15, 60_000, "request", undefined],
    ["EasyShip", "UpdateScheduledPackages", 10, 15, 60_000, "request", undefined]
  ]

describe("MwsQuotas.catalog", () => {
  it("has every row of the documented table", () => {
    for (const [section, operation, maxQuota, amount, everyMs, per, hourly] of table) {
      const entry = lookup(section, operation)
      assert.isDefined(entry, `${section}/${operation}`)
      assert.deepStrictEqual(
        [entry?.maxQuota, entry?.restore, entry?.per, entry?.hourlyQuota],
        [maxQuota, { amount, everyMs }, per, hourly],
        `${section}/${operation}`
      )
    }
  })

  it("cites a doc page for every entry", () => {
    for (const entry of MwsQuotas.catalog.entries) {
      assert.match(entry.source, /^DOCS [\w*-]+\/[\w*]+\.md/, `${entry.section}/${entry.operation}`)
    }
  })

  it("shares the buckets the docs say are shared, and only those", () => {
    const shared = [
      ["Orders", "ListOrders", "ListOrdersByNextToken"],
      ["Orders", "ListOrderItems", "ListOrderItemsByNextToken"],
      ["Sellers", "ListMarketplaceParticipations", "ListMarketplaceParticipationsByNextToken"],
      ["FulfillmentInventory", "ListInventorySupply", "ListInventorySupplyByNextToken"],
      ["Products", "GetCompetitivePricingForSKU", "GetCompetitivePricingForASIN"],
      ["Products", "GetLowestOfferListingsForSKU", "GetLowestOfferListingsForASIN"],
      ["Products", "GetLowestPricedOffersForSKU", "GetLowestPricedOffersForASIN"],
      ["Products", "GetMyPriceForSKU", "GetMyPriceForASIN"],
      ["Products", "GetProductCategoriesForSKU", "GetProductCategoriesForASIN"]
    ] as const
    for (const [section, a, b] of shared) {
      assert.strictEqual(lookup(section, a)?.bucket, lookup(section, b)?.bucket, `${a} and ${b}`)
    }
    assert.strictEqual(lookup("Orders", "ListOrders")?.bucket, "Orders/ListOrders")
    // Separate: GetOrder has its own bucket; Feeds/Reports ByNextToken have their own, different limits.
    assert.notStrictEqual(lookup("Orders", "GetOrder")?.bucket, lookup("Orders", "ListOrders")?.bucket)
    assert.notStrictEqual(
      lookup("Feeds", "GetFeedSubmissionList")?.bucket,
      lookup("Feeds", "GetFeedSubmissionListByNextToken")?.bucket
    )
    const groups = new Map<string, number>()
    for (const entry of MwsQuotas.catalog.entries) groups.set(entry.bucket, (groups.get(entry.bucket) ?? 0) + 1)
    assert.strictEqual([...groups.values()].filter((count) => count > 1).length, shared.length)
  })

  it("resolves GetServiceStatus in every section, even one it does not know", () => {
    const sections = new Set(MwsQuotas.catalog.entries.map((entry) => entry.section))
    for (const section of [...sections, "ShipmentInvoicing", "Widgets"]) {
      const entry = lookup(section, "GetServiceStatus")
      assert.deepStrictEqual(
        [entry?.maxQuota, entry?.restore, entry?.bucket],
        [2, { amount: 1, everyMs: 300_000 }, `${section}/GetServiceStatus`],
        section
      )
    }
    assert.isUndefined(lookup("Orders", "NoSuchOperation"))
    assert.isFalse(QuotaCatalog.has(MwsQuotas.catalog, "Orders", "NoSuchOperation"))
    assert.isTrue(QuotaCatalog.has(MwsQuotas.catalog, "Widgets", "GetServiceStatus"))
  })

  it("lists the entries of a shared bucket", () => {
    const ops = QuotaCatalog.entriesOfBucket(MwsQuotas.catalog, "Products/GetMyPrice").map((entry) => entry.operation)
    assert.deepStrictEqual(ops, ["GetMyPriceForSKU", "GetMyPriceForASIN"])
  })

  it("scales the restore interval of a unit", () => {
    assert.strictEqual(QuotaCatalog.unitIntervalMs(lookup("Orders", "ListOrderItems")!), 2000)
    assert.strictEqual(QuotaCatalog.unitIntervalMs(lookup("Orders", "ListOrderItems")!, 100), 20)
    assert.strictEqual(QuotaCatalog.unitIntervalMs(lookup("Products", "GetMyFeesEstimate")!), 100)
    assert.strictEqual(QuotaCatalog.unitIntervalMs(lookup("EasyShip", "ListPickupSlots")!), 4000)
  })
})

describe("QuotaCatalog.extend", () => {
  const widgets = {
    section: "Widgets",
    operation: "ListWidgets",
    bucket: "Widgets/ListWidgets",
    maxQuota: 10,
    restore: { amount: 1, everyMs: 1000 },
    per: "request",
    source: "Widgets API guide"
  } as const

  it("adds another API's operations, typed", () => {
    const mine = QuotaCatalog.extend(MwsQuotas.catalog, [widgets])
    assert.strictEqual(QuotaCatalog.lookup(mine, "Widgets", "ListWidgets")?.maxQuota, 10)
    assert.isUndefined(lookup("Widgets", "ListWidgets"))
    assert.strictEqual(mine.entries.length, MwsQuotas.catalog.entries.length + 1)
    const section: QuotaCatalog.SectionOf<typeof mine> = "Widgets"
    const operation: QuotaCatalog.OperationOf<typeof mine, "Widgets"> = "ListWidgets"
    // @ts-expect-error: an operation no entry of the section has
    const missing: QuotaCatalog.OperationOf<typeof mine, "Widgets"> = "ListOrders"
    assert.deepStrictEqual([section, operation, missing], ["Widgets", "ListWidgets", "ListOrders"])
  })

  it("overrides a changed quota without touching the base", () => {
    const submitFeed = lookup("Feeds", "SubmitFeed")!
    const mine = QuotaCatalog.extend(MwsQuotas.catalog, [{ ...submitFeed, maxQuota: 30, source: "our account" }])
    assert.strictEqual(QuotaCatalog.lookup(mine, "Feeds", "SubmitFeed")?.maxQuota, 30)
    assert.strictEqual(lookup("Feeds", "SubmitFeed")?.maxQuota, 15)
    assert.strictEqual(mine.entries.length, MwsQuotas.catalog.entries.length)
  })

  it("refuses an override that splits a shared bucket", () => {
    const listOrders = lookup("Orders", "ListOrders")!
    assert.throws(
      () => QuotaCatalog.extend(MwsQuotas.catalog, [{ ...listOrders, maxQuota: 12 }]),
      /ListOrders[\s\S]*share bucket Orders\/ListOrders/
    )
    const both = QuotaCatalog.extend(MwsQuotas.catalog, [
      { ...listOrders, maxQuota: 12 },
      { ...lookup("Orders", "ListOrdersByNextToken")!, maxQuota: 12 }
    ])
    assert.strictEqual(QuotaCatalog.lookup(both, "Orders", "ListOrdersByNextToken")?.maxQuota, 12)
  })

  it("rejects an invalid entry at once, naming it", () => {
    assert.throws(() => QuotaCatalog.make([{ ...widgets, maxQuota: 0 }]), /ListWidgets[\s\S]*maxQuota/)
    assert.throws(
      () => QuotaCatalog.make([{ ...widgets, restore: { amount: 1, everyMs: -5 } }]),
      /ListWidgets[\s\S]*everyMs/
    )
    const badPer = { ...widgets, per: "byte" } as unknown as QuotaCatalog.QuotaEntry
    assert.throws(() => QuotaCatalog.make([badPer]), /per/)
  })
})
