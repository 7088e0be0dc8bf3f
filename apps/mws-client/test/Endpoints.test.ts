import { assert, describe, it } from "@effect/vitest"
import { Endpoints } from "../src/index.ts"

describe("Endpoints", () => {
  it("has the 21 marketplaces of the endpoints table", () => {
    assert.strictEqual(Endpoints.MARKETPLACES.length, 21)
    assert.strictEqual(Endpoints.findMarketplace("us")?.marketplaceId, "ATVPDKIKX0DER")
    assert.strictEqual(Endpoints.findMarketplace("A1PA6795UKMFR9")?.code, "DE")
    assert.strictEqual(Endpoints.findMarketplace("IN")?.endpoint, "https://mws.amazonservices.in")
    assert.strictEqual(Endpoints.findMarketplace("SG")?.endpoint, "https://mws-fe.amazonservices.com")
    assert.isUndefined(Endpoints.findMarketplace("XX"))
    for (const m of Endpoints.MARKETPLACES) assert.isTrue(m.endpoint.startsWith("https://mws"))
  })

  it("gives each section's path and version", () => {
    assert.deepStrictEqual(Endpoints.section("Orders"), {
      name: "Orders",
      version: "2013-09-01",
      path: "/Orders/2013-09-01"
    })
    assert.strictEqual(Endpoints.section("Feeds")?.path, "/Feeds/2009-01-01")
    assert.isUndefined(Endpoints.section("Widgets"))
    assert.strictEqual(Endpoints.section("Widgets", "2020-01-01")?.path, "/Widgets/2020-01-01")
    assert.isUndefined(Endpoints.section("__proto__"))
  })
})
