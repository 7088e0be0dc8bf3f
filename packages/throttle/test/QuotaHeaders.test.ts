import { assert, describe, it } from "@effect/vitest"
import { QuotaHeaders } from "../src/index.ts"

describe("QuotaHeaders.parse", () => {
  it("reads the recorded form: decimal strings, lower-case names, ISO reset", () => {
    assert.deepStrictEqual(
      QuotaHeaders.parse({
        "x-mws-quota-max": "80.0",
        "x-mws-quota-remaining": "78.0",
        "x-mws-quota-resetson": "2020-06-15T09:12:00.000Z",
        "x-mws-request-id": "b7afc6c3"
      }),
      { max: 80, remaining: 78, resetsAt: Date.UTC(2020, 5, 15, 9, 12) }
    )
  })

  it("reads the documented form: RFC 1123 reset, any case", () => {
    const headers = new Headers({
      "X-Mws-Quota-Max": "3600",
      "X-MWS-QUOTA-REMAINING": "10",
      "x-mws-quota-resetsOn": "Wed, 06 Mar 2013 19:07:58 GMT"
    })
    assert.deepStrictEqual(QuotaHeaders.parse(headers), {
      max: 3600,
      remaining: 10,
      resetsAt: Date.UTC(2013, 2, 6, 19, 7, 58)
    })
  })

  it("reads Node's header records and pairs", () => {
    assert.deepStrictEqual(QuotaHeaders.parse({ "x-mws-quota-remaining": ["5.0", "6.0"] }), { remaining: 5 })
    assert.deepStrictEqual(QuotaHeaders.parse([["x-mws-quota-max", "200.0"]]), { max: 200 })
  })

  it("returns undefined when a response has none, and skips unreadable values", () => {
    assert.isUndefined(QuotaHeaders.parse({ "x-mws-request-id": "abc", "content-type": "text/xml" }))
    assert.deepStrictEqual(
      QuotaHeaders.parse({ "x-mws-quota-max": "lots", "x-mws-quota-remaining": "-3", "x-mws-quota-resetsOn": "soon" }),
      undefined
    )
    assert.deepStrictEqual(QuotaHeaders.parse({ "x-mws-quota-max": "60.0", "x-mws-quota-resetsOn": "" }), { max: 60 })
  })

  it("reads the reset a QuotaExceeded message names", () => {
    // "Your quota will reset on Mon Mar 25 02:25:00 UTC 2019" (mws-facts 1.5)
    assert.strictEqual(QuotaHeaders.parseResetsOn("Mon Mar 25 02:25:00 UTC 2019"), Date.UTC(2019, 2, 25, 2, 25))
    assert.isUndefined(QuotaHeaders.parseResetsOn("next Tuesday-ish"))
  })
})
