import { assert, describe, it } from "@effect/vitest"
import { servicesRequired, serviceUrl } from "../test-services.ts"

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
