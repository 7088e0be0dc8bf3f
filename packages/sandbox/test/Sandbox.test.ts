import { createHash, createHmac } from "node:crypto"
import { request as httpRequest } from "node:http"
import { afterAll, assert, beforeAll, describe, it } from "@effect/vitest"
import { MwsError } from "@mws-kit/error-codes"
import { MwsQuotas, QuotaCatalog } from "@mws-kit/throttle"
import { ErrorResponse, ItemErrors } from "@mws-kit/xml-error-parser"
import { Effect, Result } from "effect"
import { Faults, Sandbox, Sections } from "../src/index.ts"
import { type CallOptions, type CallResult, call } from "./helpers.ts"

/** The shared sandbox runs quotas a million times faster, so only the throttling tests (which start their own) ever see one. */
let sandbox: Sandbox.SandboxHandle
beforeAll(async () => {
  sandbox = await Sandbox.start({ timeScale: 1_000_000 })
})
afterAll(() => sandbox.close())

/** Parses an answer with @mws-kit/xml-error-parser, as a client would. */
/** The parameters of a Sellers GetServiceStatus request before signing, for tests that sign by hand. */
const sellersStatusParams = (extra: ReadonlyArray<readonly [string, string]> = []) =>
  new Map<string, string>([
    ["AWSAccessKeyId", Sandbox.DEFAULT_CREDENTIAL.accessKeyId],
    ["Action", "GetServiceStatus"],
    ["SellerId", Sandbox.DEFAULT_SELLER_ID],
    ["SignatureMethod", "HmacSHA256"],
    ["SignatureVersion", "2"],
    ["Timestamp", new Date().toISOString()],
    ["Version", "2011-07-01"],
    ...extra
  ])

const parsed = (result: CallResult, section?: string) =>
  ErrorResponse.toError({ body: result.body, status: result.status, headers: result.headers, section })

const expectError = async (
  options: CallOptions,
  expected: { status: number; code: string; type: MwsError.ErrorType; idElement?: "RequestID" | "RequestId" },
  on: Sandbox.SandboxHandle = sandbox
): Promise<MwsError.MwsError> => {
  const result = await call(on, options)
  assert.strictEqual(result.status, expected.status, result.body)
  const error = parsed(result, options.section)
  assert.instanceOf(error, MwsError.MwsError, String(error))
  const mws = error as MwsError.MwsError
  assert.strictEqual(mws.code, expected.code)
  assert.strictEqual(mws.type, expected.type)
  assert.strictEqual(mws.requestId, result.headers.get("x-mws-request-id"))
  assert.isUndefined(mws.bodyRequestId, "body and header carry the same request id")
  assert.match(result.body, /^<\?xml version="1.0"\?>\n<ErrorResponse xmlns="[^"]+">/)
  if (expected.idElement !== undefined) assert.include(result.body, `<${expected.idElement}>`)
  return mws
}

const md5Of = (text: string) => createHash("md5").update(text).digest("base64")

const rawPost = (path: string, headers: Record<string, string>): Promise<CallResult> =>
  new Promise((resolve, reject) => {
    const req = httpRequest(`${sandbox.url}${path}`, { method: "POST", headers }, (res) => {
      let body = ""
      res.setEncoding("utf8")
      res.on("data", (chunk) => (body += chunk))
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, headers: new Headers(res.headers as Record<string, string>), body })
      )
    })
    req.on("error", reject)
    req.end("Action=GetServiceStatus")
  })

describe("routing and the common checks", () => {
  it("answers an unknown path with 404 InvalidAddress", async () => {
    await expectError(
      { section: "Nowhere", operation: "GetServiceStatus" },
      { status: 404, code: "InvalidAddress", type: "Sender", idElement: "RequestID" }
    )
    const wrongVersion = await call(sandbox, { section: "Orders", path: "/Orders/2011-01-01", operation: "ListOrders" })
    assert.strictEqual(wrongVersion.status, 404)
  })

  it("checks the User-Agent: missing, too long, malformed, without Language", async () => {
    const missing = await rawPost("/Orders/2013-09-01", { "content-type": "application/x-www-form-urlencoded" })
    assert.strictEqual(missing.status, 400)
    assert.strictEqual((parsed(missing) as MwsError.MwsError).code, "UserAgentHeaderMissing")
    await expectError(
      { section: "Orders", operation: "GetServiceStatus", userAgent: `app/1.0 (Language=TS; Note=${"x".repeat(500)})` },
      { status: 400, code: "UserAgentHeaderMaximumLengthExceeded", type: "Sender" }
    )
    await expectError(
      { section: "Orders", operation: "GetServiceStatus", userAgent: "curl/8" },
      { status: 400, code: "UserAgentHeaderMalformed", type: "Sender" }
    )
    await expectError(
      { section: "Orders", operation: "GetServiceStatus", userAgent: "app/1.0 (Platform=Linux)" },
      { status: 400, code: "UserAgentHeaderLanguageAttributeMissing", type: "Sender" }
    )
  })

  it("requires the documented parameters", async () => {
    await expectError(
      { section: "Orders", operation: "GetServiceStatus", omit: ["AWSAccessKeyId"] },
      { status: 403, code: "MissingClientTokenId", type: "Sender" }
    )
    for (const name of ["Signature", "Timestamp", "Version", "SignatureMethod"]) {
      const error = await expectError(
        { section: "Orders", operation: "GetServiceStatus", omit: [name] },
        { status: 400, code: "MissingParameter", type: "Sender" }
      )
      assert.include(error.mwsMessage, name)
    }
  })

  it("rejects an unknown access key and a wrong signature with 403", async () => {
    await expectError(
      { section: "Orders", operation: "GetServiceStatus", credential: { accessKeyId: "AKIAUNKNOWN", secretKey: "x" } },
      { status: 403, code: "InvalidAccessKeyId", type: "Sender" }
    )
    await expectError(
      {
        section: "Orders",
        operation: "GetServiceStatus",
        credential: { accessKeyId: Sandbox.DEFAULT_CREDENTIAL.accessKeyId, secretKey: "wrong" }
      },
      { status: 403, code: "SignatureDoesNotMatch", type: "Sender" }
    )
  })

  it("accepts HmacSHA256 and HmacSHA1, GET and POST, and values that need careful encoding", async () => {
    const tricky = { Note: "spaces, * and ~ and !'() é 😀", Empty: "" }
    for (const signatureMethod of ["HmacSHA256", "HmacSHA1"] as const) {
      for (const method of ["GET", "POST"] as const) {
        const result = await call(sandbox, {
          section: "Sellers",
          operation: "GetServiceStatus",
          signatureMethod,
          method,
          params: tricky
        })
        assert.strictEqual(result.status, 200, `${signatureMethod} ${method}: ${result.body}`)
      }
    }
  })

  it("rejects a signature computed with URLSearchParams-style encoding when a value holds * or ~", async () => {
    const params = sellersStatusParams([["Note", "a*b~c"]])
    const naive = new URLSearchParams([...params].sort(([a], [b]) => (a < b ? -1 : 1))).toString().replace(/\+/g, "%20")
    const wrong = createHmac("sha256", Sandbox.DEFAULT_CREDENTIAL.secretKey)
      .update(`POST\n${sandbox.host}\n/Sellers/2011-07-01\n${naive}`)
      .digest("base64")
    const result = await call(sandbox, {
      section: "Sellers",
      operation: "GetServiceStatus",
      params: { Note: "a*b~c" },
      signature: wrong
    })
    assert.strictEqual(result.status, 403)
    assert.strictEqual((parsed(result) as MwsError.MwsError).code, "SignatureDoesNotMatch")
  })

  it("a scripted request-throttled fault answers 503 RequestThrottled as recorded, without spending quota", async () => {
    sandbox.faults.script("GetReportCount", [{ kind: "request-throttled" }])
    const throttled = await call(sandbox, { section: "Reports", operation: "GetReportCount" })
    assert.strictEqual(throttled.status, 503)
    const error = parsed(throttled, "Reports") as MwsError.MwsError
    assert.deepStrictEqual([error.code, error.type, error.errorClass], ["RequestThrottled", "", "throttled"])
    assert.isNull(throttled.headers.get("x-mws-quota-max"))
    assert.strictEqual(sandbox.requests().at(-1)?.fault, "request-throttled")
    const next = await call(sandbox, { section: "Reports", operation: "GetReportCount" })
    assert.strictEqual(next.status, 200)
    assert.strictEqual(Faults.parse("request-throttled")?.kind, "request-throttled")
  })

  it("accepts a signature over the host without its port, as Amazon's own clients compute it", async () => {
    const params = sellersStatusParams()
    // An independent signer: no character here needs RFC 3986 care, so URLSearchParams encodes as SigV2 does.
    const query = new URLSearchParams([...params].sort(([a], [b]) => (a < b ? -1 : 1))).toString()
    const signFor = (host: string) =>
      createHmac("sha256", Sandbox.DEFAULT_CREDENTIAL.secretKey)
        .update(`POST\n${host}\n/Sellers/2011-07-01\n${query}`)
        .digest("base64")
    const hostOnly = sandbox.host.replace(/:\d+$/, "")
    assert.notStrictEqual(hostOnly, sandbox.host)
    for (const host of [hostOnly, sandbox.host]) {
      const result = await call(sandbox, {
        section: "Sellers",
        operation: "GetServiceStatus",
        signature: signFor(host),
        timestamp: params.get("Timestamp")!
      })
      assert.strictEqual(result.status, 200, `signed over ${host}: ${result.body}`)
    }
    const other = await call(sandbox, {
      section: "Sellers",
      operation: "GetServiceStatus",
      signature: signFor("mws.amazonservices.com"),
      timestamp: params.get("Timestamp")!
    })
    assert.strictEqual(other.status, 403)
  })

  it("rejects a Timestamp more than 15 minutes away as an expired request", async () => {
    const old = new Date(Date.now() - Sandbox.MAX_CLOCK_SKEW_MS - 60_000).toISOString()
    const error = await expectError(
      { section: "Orders", operation: "GetServiceStatus", timestamp: old },
      { status: 400, code: "InvalidParameterValue", type: "Sender" }
    )
    assert.include(error.mwsMessage, "expired")
    const future = new Date(Date.now() + Sandbox.MAX_CLOCK_SKEW_MS + 60_000).toISOString()
    assert.strictEqual(
      (await call(sandbox, { section: "Orders", operation: "GetServiceStatus", timestamp: future })).status,
      400
    )
  })

  it("answers an action the section does not have with InvalidAction", async () => {
    await expectError(
      { section: "Orders", operation: "DoSomethingElse" },
      { status: 400, code: "InvalidAction", type: "Sender" }
    )
  })

  it("answers GetServiceStatus in every section, with the section's namespace", async () => {
    for (const section of Sections.all) {
      const result = await call(sandbox, { section: section.name, operation: "GetServiceStatus" })
      assert.strictEqual(result.status, 200, `${section.name}: ${result.body}`)
      assert.include(result.body, `<GetServiceStatusResponse xmlns="${section.namespace}">`)
      assert.include(result.body, "<Status>GREEN</Status>")
      assert.include(result.body, `<RequestId>${result.headers.get("x-mws-request-id")}</RequestId>`)
      assert.isNotNull(result.headers.get("x-mws-timestamp"))
      assert.isNotNull(result.headers.get("x-mws-response-context"))
    }
  })
})

describe("operations", () => {
  it("pages ListOrders with NextToken through every seeded order", async () => {
    const since = {
      "MarketplaceId.Id.1": "ATVPDKIKX0DER",
      CreatedAfter: "2000-01-01T00:00:00Z",
      MaxResultsPerPage: "10"
    }
    const ids: Array<string> = []
    let result = await call(sandbox, { section: "Orders", operation: "ListOrders", params: since })
    for (let page = 0; page < 10; page++) {
      assert.strictEqual(result.status, 200, result.body)
      ids.push(...[...result.body.matchAll(/<AmazonOrderId>([^<]+)<\/AmazonOrderId>/g)].map((m) => m[1]!))
      const token = /<NextToken>([^<]+)<\/NextToken>/.exec(result.body)?.[1]
      if (token === undefined) break
      result = await call(sandbox, {
        section: "Orders",
        operation: "ListOrdersByNextToken",
        params: { NextToken: token }
      })
    }
    assert.strictEqual(ids.length, Sandbox.DEFAULT_ORDER_COUNT)
    assert.strictEqual(new Set(ids).size, ids.length)
    const order = await call(sandbox, {
      section: "Orders",
      operation: "GetOrder",
      params: { "AmazonOrderId.Id.1": ids[3]! }
    })
    assert.include(order.body, `<AmazonOrderId>${ids[3]}</AmazonOrderId>`)
    const items = await call(sandbox, {
      section: "Orders",
      operation: "ListOrderItems",
      params: { AmazonOrderId: ids[3]! }
    })
    assert.include(items.body, "<OrderItem>")
    assert.isNull(order.headers.get("x-mws-quota-max"), "Orders responses carry no quota headers")
  })

  it("answers ListOrders without a date with the documented InvalidParameterValue", async () => {
    const error = await expectError(
      { section: "Orders", operation: "ListOrders", params: { "MarketplaceId.Id.1": "ATVPDKIKX0DER" } },
      { status: 400, code: "InvalidParameterValue", type: "Sender", idElement: "RequestID" }
    )
    assert.strictEqual(error.mwsMessage, "CreatedAfter or LastUpdatedAfter must be specified")
  })

  it("runs a report from request to download, with a Content-MD5 that matches, and quota headers", async () => {
    const requested = await call(sandbox, {
      section: "Reports",
      operation: "RequestReport",
      params: { ReportType: "_GET_FLAT_FILE_OPEN_LISTINGS_DATA_" }
    })
    const requestId = /<ReportRequestId>(\d+)<\/ReportRequestId>/.exec(requested.body)![1]!
    assert.strictEqual(requested.headers.get("x-mws-quota-max"), "60.0")
    assert.strictEqual(requested.headers.get("x-mws-quota-remaining"), "59.0")
    assert.isNotNull(requested.headers.get("x-mws-quota-resetsOn"))
    const list = await call(sandbox, {
      section: "Reports",
      operation: "GetReportRequestList",
      params: { "ReportRequestIdList.Id.1": requestId }
    })
    const reportId = /<GeneratedReportId>(\d+)<\/GeneratedReportId>/.exec(list.body)![1]!
    const report = await call(sandbox, { section: "Reports", operation: "GetReport", params: { ReportId: reportId } })
    assert.strictEqual(report.status, 200)
    assert.strictEqual(report.headers.get("content-md5"), md5Of(report.body))
    sandbox.corruptNextDownloads(1)
    const corrupted = await call(sandbox, {
      section: "Reports",
      operation: "GetReport",
      params: { ReportId: reportId }
    })
    assert.notStrictEqual(corrupted.headers.get("content-md5"), md5Of(corrupted.body))
    const again = await call(sandbox, { section: "Reports", operation: "GetReport", params: { ReportId: reportId } })
    assert.strictEqual(again.body, report.body, "only the next download was corrupted")
    const unknown = await expectError(
      { section: "Reports", operation: "GetReport", params: { ReportId: "123" } },
      { status: 400, code: "InvalidReportId", type: "Sender", idElement: "RequestId" }
    )
    assert.isDefined(unknown.quota, "Reports errors carry quota headers")
  })

  it("checks a feed's Content-MD5: missing, wrong, disagreeing, right", async () => {
    const feed = "sku\tprice\nSKU-1\t9.99\n"
    const md5 = md5Of(feed)
    const base = {
      section: "Feeds",
      operation: "SubmitFeed",
      feed,
      params: { FeedType: "_POST_FLAT_FILE_PRICEANDQUANTITYONLY_UPDATE_DATA_" }
    }
    await expectError(base, { status: 400, code: "ContentMD5Missing", type: "Sender" })
    await expectError(
      { ...base, params: { ...base.params, ContentMD5Value: "1B2M2Y8AsgTpgAmY7PhCfg==" } },
      { status: 400, code: "ContentMD5DoesNotMatch", type: "Sender" }
    )
    await expectError(
      {
        ...base,
        params: { ...base.params, ContentMD5Value: md5 },
        headers: { "content-md5": "1B2M2Y8AsgTpgAmY7PhCfg==" }
      },
      { status: 400, code: "InvalidParameterValue", type: "Sender" }
    )
    const submitted = await call(sandbox, { ...base, params: { ...base.params, ContentMD5Value: md5 } })
    assert.strictEqual(submitted.status, 200, submitted.body)
    const id = /<FeedSubmissionId>(\d+)<\/FeedSubmissionId>/.exec(submitted.body)![1]!
    const viaHeader = await call(sandbox, { ...base, headers: { "content-md5": md5 } })
    assert.strictEqual(viaHeader.status, 200, "the legacy Content-MD5 header is still accepted")
    const result = await call(sandbox, {
      section: "Feeds",
      operation: "GetFeedSubmissionResult",
      params: { FeedSubmissionId: id }
    })
    assert.include(result.body, "<StatusCode>Complete</StatusCode>")
    assert.strictEqual(result.headers.get("content-md5"), md5Of(result.body))
  })

  it("serves Feeds and Reports at / too", async () => {
    const reports = await call(sandbox, { section: "Reports", path: "/", operation: "GetReportRequestList" })
    assert.strictEqual(reports.status, 200, reports.body)
    assert.include(reports.body, '<GetReportRequestListResponse xmlns="http://mws.amazonaws.com/doc/2009-01-01/">')
  })

  it("answers unknown product ids with per-item errors inside a 200", async () => {
    const result = await call(sandbox, {
      section: "Products",
      operation: "GetMatchingProductForId",
      params: {
        MarketplaceId: "ATVPDKIKX0DER",
        IdType: "ASIN",
        "IdList.Id.1": Sandbox.KNOWN_PRODUCT_ASINS[0]!,
        "IdList.Id.2": "B00MISSING1"
      }
    })
    assert.strictEqual(result.status, 200)
    const items = ItemErrors.fromSuccessBody({ body: result.body, status: 200, headers: result.headers })
    assert.isTrue(Result.isSuccess(items))
    if (Result.isSuccess(items)) {
      assert.deepStrictEqual(
        items.success.map((item) => [item.identifier, item.error.code]),
        [[{ Id: "B00MISSING1", IdType: "ASIN" }, "InvalidParameterValue"]]
      )
      assert.strictEqual(items.success[0]!.error.requestId, result.headers.get("x-mws-request-id"))
    }
  })
})

describe("throttling", () => {
  it("throttles past the burst as the real service does, and restores at the scaled rate", async () => {
    // GetServiceStatus: 2 requests, one restored every 5 minutes; at 6000x that is every 50 ms.
    const fast = await Sandbox.start({ timeScale: 6000 })
    try {
      const ok1 = await call(fast, { section: "Orders", operation: "GetServiceStatus" })
      const ok2 = await call(fast, { section: "Orders", operation: "GetServiceStatus" })
      assert.deepStrictEqual([ok1.status, ok2.status], [200, 200])
      const throttled = await call(fast, { section: "Orders", operation: "GetServiceStatus" })
      assert.strictEqual(throttled.status, 503)
      const error = parsed(throttled) as MwsError.MwsError
      assert.deepStrictEqual([error.code, error.type, error.errorClass], ["RequestThrottled", "", "throttled"])
      assert.include(throttled.body, "<Type></Type>")
      assert.include(throttled.body, "<RequestID>")
      assert.notInclude(throttled.body, "<Detail")
      assert.isNull(throttled.headers.get("x-mws-quota-max"), "no quota headers on a throttled answer")
      await new Promise((resolve) => setTimeout(resolve, 120))
      assert.strictEqual((await call(fast, { section: "Orders", operation: "GetServiceStatus" })).status, 200)
      // Another seller has its own bucket.
      assert.strictEqual(
        (await call(fast, { section: "Orders", operation: "GetServiceStatus", sellerId: "A2OTHER" })).status,
        200
      )
    } finally {
      await fast.close()
    }
  })

  it("shares the documented shared buckets and charges per item where restore is per item", async () => {
    const fast = await Sandbox.start({ timeScale: 1 })
    try {
      const since = { "MarketplaceId.Id.1": "ATVPDKIKX0DER", CreatedAfter: "2000-01-01T00:00:00Z" }
      const statuses: Array<number> = []
      for (let i = 0; i < 6; i++)
        statuses.push((await call(fast, { section: "Orders", operation: "ListOrders", params: since })).status)
      const byToken = await call(fast, {
        section: "Orders",
        operation: "ListOrdersByNextToken",
        params: { NextToken: "x" }
      })
      assert.deepStrictEqual(statuses, [200, 200, 200, 200, 200, 200])
      assert.strictEqual(byToken.status, 503, "ListOrdersByNextToken shares ListOrders' bucket of 6")
      // GetMatchingProductForId: 20 items; five requests of 5 ids spend 25 items.
      const ids = Object.fromEntries([1, 2, 3, 4, 5].map((n) => [`IdList.Id.${n}`, `B00ITEM000${n}`]))
      const product = { MarketplaceId: "ATVPDKIKX0DER", IdType: "ASIN", ...ids }
      const answers: Array<number> = []
      for (let i = 0; i < 5; i++)
        answers.push(
          (await call(fast, { section: "Products", operation: "GetMatchingProductForId", params: product })).status
        )
      assert.deepStrictEqual(answers, [200, 200, 200, 200, 503])
    } finally {
      await fast.close()
    }
  })

  it("enforces hourly quotas with QuotaExceeded in the real message format", async () => {
    const quotas = QuotaCatalog.extend(MwsQuotas.catalog, [
      {
        section: "Reports",
        operation: "GetReportCount",
        bucket: "test/GetReportCount",
        maxQuota: 100,
        restore: { amount: 100, everyMs: 1000 },
        per: "request",
        hourlyQuota: 3,
        source: "test: a tiny hourly quota"
      }
    ])
    const fast = await Sandbox.start({ quotas, timeScale: 1 })
    try {
      const remaining: Array<string | null> = []
      for (let i = 0; i < 3; i++)
        remaining.push(
          (await call(fast, { section: "Reports", operation: "GetReportCount" })).headers.get("x-mws-quota-remaining")
        )
      assert.deepStrictEqual(remaining, ["2.0", "1.0", "0.0"])
      const exceeded = await call(fast, { section: "Reports", operation: "GetReportCount" })
      assert.strictEqual(exceeded.status, 503)
      const error = parsed(exceeded, "Reports") as MwsError.MwsError
      assert.strictEqual(error.code, "QuotaExceeded")
      assert.strictEqual(error.errorClass, "quota-exceeded")
      assert.match(
        error.mwsMessage,
        /^You exceeded your quota of 3\.0 requests per 1 hour for operation Reports\/2009-01-01\/GetReportCount\. {2}Your quota will reset on \w{3} \w{3} \d{2} \d{2}:\d{2}:\d{2} UTC \d{4}$/
      )
      assert.strictEqual(error.retryHint?.source, "message")
      const resetsAt = Date.parse(error.retryHint!.resetsAt!)
      assert.isTrue(resetsAt > Date.now() + 3_500_000 && resetsAt <= Date.now() + 3_600_000)
    } finally {
      await fast.close()
    }
  })
})

describe("faults and the request log", () => {
  it("plays scripted faults in order, per operation, then answers normally", async () => {
    sandbox.faults.script("GetServiceStatus", [{ kind: "internal-error" }, { kind: "service-unavailable" }])
    const first = await call(sandbox, { section: "Recommendations", operation: "GetServiceStatus" })
    const second = await call(sandbox, { section: "Recommendations", operation: "GetServiceStatus" })
    const third = await call(sandbox, { section: "Recommendations", operation: "GetServiceStatus" })
    assert.deepStrictEqual([first.status, second.status, third.status], [500, 503, 200])
    const internal = parsed(first) as MwsError.MwsError
    assert.deepStrictEqual(
      [internal.code, internal.type, internal.errorClass],
      ["InternalError", "Receiver", "transient"]
    )
    const unavailable = parsed(second) as MwsError.MwsError
    assert.deepStrictEqual(
      [unavailable.code, unavailable.type, unavailable.errorClass],
      ["ServiceUnavailable", "Receiver", "transient"]
    )
  })

  it("sends broken answers that parse into typed unparseable bodies", async () => {
    const expectations = [
      ["html-502", 502, "html"],
      ["html-503", 503, "html"],
      ["empty", 503, "empty"],
      ["truncated", 500, "malformed-xml"]
    ] as const
    for (const [kind, status, reason] of expectations) {
      sandbox.faults.script("GetServiceStatus", [{ kind }])
      const result = await call(sandbox, { section: "Subscriptions", operation: "GetServiceStatus" })
      assert.strictEqual(result.status, status, kind)
      const error = parsed(result)
      assert.strictEqual(error._tag, "UnparseableErrorBody", kind)
      if (error._tag === "UnparseableErrorBody") {
        assert.strictEqual(error.reason, reason, kind)
        assert.strictEqual(error.requestId, result.headers.get("x-mws-request-id"))
      }
    }
  })

  it("resets the connection and delays on demand", async () => {
    sandbox.faults.script("GetServiceStatus", [{ kind: "reset" }, { kind: "delay", ms: 150 }])
    const reset = await call(sandbox, { section: "Finances", operation: "GetServiceStatus" }).then(
      () => "answered",
      () => "failed"
    )
    assert.strictEqual(reset, "failed")
    const started = performance.now()
    const delayed = await call(sandbox, { section: "Finances", operation: "GetServiceStatus" })
    assert.strictEqual(delayed.status, 200)
    assert.isAtLeast(performance.now() - started, 140)
  })

  it("sends the status and headers, then drops the connection halfway through the body", async () => {
    const fresh = await Sandbox.start()
    try {
      fresh.faults.script("GetServiceStatus", [{ kind: "reset-mid-body" }])
      const seen: Array<[number, string | null]> = []
      const outcome = await call(fresh, {
        section: "Sellers",
        operation: "GetServiceStatus",
        onHeaders: (status, headers) => seen.push([status, headers.get("x-mws-request-id")])
      }).then(
        () => "answered",
        () => "body broke off"
      )
      assert.strictEqual(outcome, "body broke off")
      assert.strictEqual(seen.length, 1, "the headers arrived")
      const [status, requestId] = seen[0]!
      assert.strictEqual(status, 200)
      assert.deepStrictEqual(
        fresh.requests().map((entry) => [entry.requestId, entry.status, entry.fault]),
        [[requestId, 200, "reset-mid-body"]],
        "the log has the request id the client saw"
      )
      const next = await call(fresh, { section: "Sellers", operation: "GetServiceStatus" })
      assert.strictEqual(next.status, 200, "the next call is answered in full")
    } finally {
      await fresh.close()
    }
  })

  it("injects faults by probability with a seeded random source", async () => {
    let draws = 0
    const seeded = await Sandbox.start({ random: () => (draws++ % 2 === 0 ? 0.1 : 0.9) })
    try {
      seeded.faults.sometimes("*", { kind: "internal-error" }, 0.5)
      const statuses: Array<number> = []
      for (let i = 0; i < 4; i++)
        statuses.push((await call(seeded, { section: "Sellers", operation: "GetServiceStatus" })).status)
      assert.deepStrictEqual(statuses, [500, 200, 500, 200])
    } finally {
      await seeded.close()
    }
  })

  it("logs every request id it issued, with operation, status and code, over the API and the admin route", async () => {
    const fresh = await Sandbox.start()
    try {
      fresh.faults.script("ListOrders", [{ kind: "internal-error" }, { kind: "reset" }])
      const since = { "MarketplaceId.Id.1": "ATVPDKIKX0DER", CreatedAfter: "2000-01-01T00:00:00Z" }
      const a = await call(fresh, { section: "Orders", operation: "ListOrders", params: since })
      await call(fresh, { section: "Orders", operation: "ListOrders", params: since }).catch(() => undefined)
      const c = await call(fresh, { section: "Orders", operation: "ListOrders", params: since })
      const log = fresh.requests()
      assert.deepStrictEqual(
        log.map((entry) => [entry.requestId, entry.operation, entry.status, entry.code ?? null, entry.fault ?? null]),
        [
          [a.headers.get("x-mws-request-id"), "ListOrders", 500, "InternalError", "internal-error"],
          [null, "ListOrders", null, null, "reset"],
          [c.headers.get("x-mws-request-id"), "ListOrders", 200, null, null]
        ]
      )
      assert.strictEqual(log[0]!.sellerId, Sandbox.DEFAULT_SELLER_ID)
      const viaAdmin = await (await fetch(`${fresh.url}/_sandbox/requests`)).json()
      assert.deepStrictEqual(viaAdmin, JSON.parse(JSON.stringify(log)))
      assert.notInclude(JSON.stringify(log), Sandbox.DEFAULT_CREDENTIAL.secretKey)
      assert.notInclude(JSON.stringify(log), "Signature")
    } finally {
      await fresh.close()
    }
  })

  it("takes faults over the admin route, and refuses nonsense", async () => {
    const fresh = await Sandbox.start()
    try {
      const post = (body: unknown) =>
        fetch(`${fresh.url}/_sandbox/faults`, { method: "POST", body: JSON.stringify(body) })
      assert.strictEqual(
        (await post({ operation: "GetServiceStatus", faults: ["internal-error", "delay:10"] })).status,
        200
      )
      assert.deepStrictEqual(fresh.faults.pending(), {
        GetServiceStatus: [{ kind: "internal-error" }, { kind: "delay", ms: 10 }]
      })
      assert.strictEqual((await post({ faults: ["meteor"] })).status, 400)
      assert.strictEqual((await post({ faults: ["internal-error"], probability: 2 })).status, 400)
      assert.strictEqual((await fetch(`${fresh.url}/_sandbox/faults`, { method: "DELETE" })).status, 200)
      assert.deepStrictEqual(fresh.faults.pending(), {})
    } finally {
      await fresh.close()
    }
  })
})

describe("Sandbox.layer", () => {
  it.live("starts for the scope and stops when it closes", () =>
    Effect.gen(function* () {
      const url = yield* Effect.scoped(
        Effect.gen(function* () {
          const running = yield* Sandbox.Sandbox
          const answer = yield* Effect.promise(() =>
            call(running, { section: "Orders", operation: "GetServiceStatus" })
          )
          assert.strictEqual(answer.status, 200)
          return running.url
        }).pipe(Effect.provide(Sandbox.Sandbox.layer()))
      )
      const afterClose = yield* Effect.promise(() =>
        fetch(url).then(
          () => "open",
          () => "closed"
        )
      )
      assert.strictEqual(afterClose, "closed")
    })
  )
})
