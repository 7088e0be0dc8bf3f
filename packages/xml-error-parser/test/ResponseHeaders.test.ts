import { assert, describe, it } from "@effect/vitest"
import { QuotaResetMessage, ResponseHeaders } from "../src/index.ts"

describe("ResponseHeaders", () => {
  it("normalizes every header shape to lowercase names", () => {
    const shapes: ReadonlyArray<ResponseHeaders.HeadersInput> = [
      { "X-MWS-Request-Id": "a" },
      new Headers({ "x-mws-request-id": "a" }),
      new Map([["X-Mws-Request-Id", "a"]]),
      [["x-MWS-request-ID", "a"]]
    ]
    for (const shape of shapes) assert.strictEqual(ResponseHeaders.requestId(ResponseHeaders.normalize(shape)), "a")
  })

  it("joins repeated headers and skips missing values", () => {
    const headers = ResponseHeaders.normalize({ "set-cookie": ["a=1", "b=2"], "x-empty": undefined })
    assert.strictEqual(headers.get("set-cookie"), "a=1, b=2")
    assert.isFalse(headers.has("x-empty"))
  })

  it("falls back to the x-amz request id of downloads", () => {
    assert.strictEqual(ResponseHeaders.requestId(ResponseHeaders.normalize({ "x-amz-request-id": " dl-1 " })), "dl-1")
    assert.isUndefined(ResponseHeaders.requestId(ResponseHeaders.normalize({ "x-mws-request-id": "  " })))
  })

  it("parses only the documented date shapes", () => {
    assert.strictEqual(ResponseHeaders.toIsoInstant("2020-06-15T09:12:00.000Z"), "2020-06-15T09:12:00.000Z")
    assert.strictEqual(ResponseHeaders.toIsoInstant("2020-06-15T11:12:00+02:00"), "2020-06-15T09:12:00.000Z")
    assert.strictEqual(ResponseHeaders.toIsoInstant("Wed, 06 Mar 2013 19:07:58 GMT"), "2013-03-06T19:07:58.000Z")
    for (const bad of ["tomorrow", "2020-06-15", "1592212320", "", "Wed, 06 Mar 2013 19:07:58 PST"]) {
      assert.isUndefined(ResponseHeaders.toIsoInstant(bad), bad)
    }
  })

  it("reads quota figures that are decimal strings", () => {
    const quota = ResponseHeaders.quota(
      ResponseHeaders.normalize({ "x-mws-quota-max": "3600", "x-mws-quota-remaining": "10.0" })
    )
    assert.deepStrictEqual(quota, { max: 3600, remaining: 10 })
    assert.isUndefined(ResponseHeaders.quota(ResponseHeaders.normalize({ "x-mws-quota-max": "-1" })))
  })
})

describe("QuotaResetMessage", () => {
  const message =
    "You exceeded your quota of 30.0 requests per 1 hour for operation Feeds/2009-01-01/SubmitFeed. Your quota will reset on Mon Mar 25 02:25:00 UTC 2019"

  it("reads the reset time and the hourly quota", () => {
    assert.strictEqual(QuotaResetMessage.resetTime(message), "2019-03-25T02:25:00.000Z")
    assert.strictEqual(QuotaResetMessage.hourlyQuota(message), 30)
  })

  it("reads a GMT time and a single-digit day", () => {
    assert.strictEqual(
      QuotaResetMessage.resetTime("Your quota will reset on Tue Apr 2 23:59:59 GMT 2024"),
      "2024-04-02T23:59:59.000Z"
    )
  })

  it("does not guess: no zone, another zone, an impossible date, no sentence", () => {
    assert.isUndefined(QuotaResetMessage.resetTime("Your quota will reset on Mon Mar 25 02:25:00 2019"))
    assert.isUndefined(QuotaResetMessage.resetTime("Your quota will reset on Mon Mar 25 02:25:00 PDT 2019"))
    assert.isUndefined(QuotaResetMessage.resetTime("Your quota will reset on Fri Feb 31 02:25:00 UTC 2019"))
    assert.isUndefined(QuotaResetMessage.resetTime("Request is throttled"))
    assert.isUndefined(QuotaResetMessage.hourlyQuota("quota of 200 requests per 24 hours"))
  })
})
