import { assert, describe, it } from "@effect/vitest"
import { chromiumPath, DEFAULT_CHROMIUM_PATH, servicesRequired, serviceUrl } from "../test-services.ts"

describe("serviceUrl", () => {
  it("returns the URL when the variable is set", () => {
    assert.strictEqual(
      serviceUrl("MWS_KIT_REDIS_URL", "suite", { MWS_KIT_REDIS_URL: " redis://127.0.0.1:6379 " }),
      "redis://127.0.0.1:6379"
    )
  })

  it("skips (undefined) when the variable is missing and services are optional", () => {
    assert.isUndefined(serviceUrl("MWS_KIT_PG_URL", "suite", {}))
    assert.isUndefined(serviceUrl("MWS_KIT_PG_URL", "suite", { MWS_KIT_PG_URL: "" }))
  })

  it("fails when the variable is missing and services are required", () => {
    assert.isTrue(servicesRequired({ MWS_KIT_REQUIRE_SERVICES: "1" }))
    assert.throws(
      () => serviceUrl("MWS_KIT_PG_URL", "ledger on PostgreSQL", { MWS_KIT_REQUIRE_SERVICES: "1" }),
      /ledger on PostgreSQL: MWS_KIT_PG_URL is not set/
    )
  })
})

describe("chromiumPath", () => {
  const only = (path: string) => (candidate: string) => candidate === path

  it("uses Debian's Chromium by default, or MWS_KIT_CHROMIUM", () => {
    assert.strictEqual(chromiumPath("site", only(DEFAULT_CHROMIUM_PATH), {}), DEFAULT_CHROMIUM_PATH)
    assert.strictEqual(chromiumPath("site", only("/opt/c"), { MWS_KIT_CHROMIUM: "/opt/c" }), "/opt/c")
  })

  it("skips when Chromium is missing and services are optional, fails when they are required", () => {
    assert.isUndefined(chromiumPath("site", () => false, {}))
    assert.throws(
      () => chromiumPath("docs site", () => false, { MWS_KIT_REQUIRE_SERVICES: "1" }),
      /docs site: no Chromium at \/usr\/bin\/chromium/
    )
  })
})
