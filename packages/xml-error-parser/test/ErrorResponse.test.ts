import { assert, describe, it } from "@effect/vitest"
import { ErrorCatalog, MwsCatalog, type MwsError, type UnparseableErrorBody } from "@mws-kit/error-codes"
import { Effect, Result } from "effect"
import { ErrorResponse } from "../src/index.ts"
import * as bodies from "./fixtures/bodies.ts"

const ok = (input: ErrorResponse.ResponseInput, options?: ErrorResponse.ParseOptions): MwsError.MwsError => {
  const result = ErrorResponse.parse(input, options)
  if (Result.isFailure(result)) assert.fail(`expected an MwsError, got ${String(result.failure)}`)
  return result.success
}

const rejected = (
  input: ErrorResponse.ResponseInput,
  options?: ErrorResponse.ParseOptions
): UnparseableErrorBody.UnparseableErrorBody => {
  const result = ErrorResponse.parse(input, options)
  if (Result.isSuccess(result)) assert.fail(`expected an unparseable body, got ${String(result.success)}`)
  return result.failure
}

describe("ErrorResponse.parse: the shapes the service sends", () => {
  it("reads the documented example: RequestID, padded message, Java toString Detail", () => {
    const error = ok({ body: bodies.docsExample, status: 403 })
    assert.strictEqual(error.code, "InvalidClientTokenId")
    assert.strictEqual(error.type, "Sender")
    assert.strictEqual(error.mwsMessage, "The AWS Access Key Id you provided does not exist in our records.")
    assert.strictEqual(error.detail, "com.amazonservices.mws.model.Error$Detail@17b6643")
    assert.strictEqual(error.requestId, "b7afc6c3-6f75-4707-bcf4-0475ad23162c")
    assert.strictEqual(error.httpStatus, 403)
    assert.strictEqual(error.errorClass, "auth")
    assert.isTrue(error.known)
  })

  it("reads a throttled 503 with an empty <Type>", () => {
    const error = ok({ body: bodies.ordersThrottled, status: 503, section: "Orders", operation: "ListOrders" })
    assert.strictEqual(error.code, "RequestThrottled")
    assert.strictEqual(error.type, "")
    assert.strictEqual(error.errorClass, "throttled")
    assert.strictEqual(error.requestId, "2c9a1f44-8a3e-4f9c-9b2d-3a1d2e4f5a6b")
    assert.strictEqual(error.section, "Orders")
    assert.strictEqual(error.operation, "ListOrders")
    const selfClosing = ok({ body: bodies.financesThrottled, status: 503 })
    assert.strictEqual(selfClosing.type, "")
    assert.strictEqual(selfClosing.code, "RequestThrottled")
  })

  it("reads either RequestId spelling, and ResponseMetadata/RequestId", () => {
    assert.strictEqual(
      ok({ body: bodies.reportsInvalidRequestId, status: 400 }).requestId,
      "5e5e2a1c-0b1d-4a5c-8f9e-7d6c5b4a3f21"
    )
    assert.strictEqual(
      ok({ body: bodies.feedsMd5Missing, status: 400 }).requestId,
      "9a8b7c6d-5e4f-3a2b-1c0d-e9f8a7b6c5d4"
    )
    assert.strictEqual(ok({ body: bodies.prefixedWithMetadata, status: 503 }).requestId, "meta-1234")
  })

  it("trims values wrapped in white space and new lines, and decodes predefined entities", () => {
    const error = ok({ body: bodies.userAgentMalformed, status: 400 })
    assert.strictEqual(error.requestId, "21f197f6-24b7-4b7b-94fc-55fa34056d34")
    assert.isTrue(error.mwsMessage.startsWith("Problem with required MWS User-Agent header"))
    assert.include(error.mwsMessage, 'Encountered "<EOF>" at column 116.')
    assert.isUndefined(error.detail)
  })

  it("accepts a missing <Message> and an empty <Detail/>", () => {
    const error = ok({ body: bodies.shipmentNotFound, status: 400 })
    assert.strictEqual(error.code, "ShipmentNotFoundException")
    assert.strictEqual(error.mwsMessage, "")
    assert.strictEqual(error.errorClass, "client")
    assert.isUndefined(ok({ body: bodies.feedsMd5Missing, status: 400 }).detail)
  })

  it("keeps a <Detail> holding elements as the XML sent", () => {
    const error = ok({ body: bodies.detailWithElements, status: 500 })
    assert.strictEqual(error.detail, '<AnyElement xmlns="">trace 42</AnyElement><Other a="1"/>')
    assert.strictEqual(error.errorClass, "transient")
  })

  it("bounds a long <Detail>", () => {
    const long = bodies.detailWithElements.replace("trace 42", "x".repeat(10_000))
    const detail = ok({ body: long, status: 500 }, { maxDetailChars: 100 }).detail!
    assert.isTrue(detail.length <= 100 + "…[truncated]".length)
    assert.isTrue(detail.endsWith("…[truncated]"))
  })

  it("keeps every <Error>, the first as primary", () => {
    const error = ok({ body: bodies.twoErrors, status: 400 })
    assert.strictEqual(error.code, "InvalidParameterValue")
    assert.deepStrictEqual(
      error.additionalErrors?.map((e) => [e.code, e.mwsMessage, e.errorClass]),
      [["MalformedInput", "timestamp must follow ISO8601", "client"]]
    )
  })

  it("handles a namespace prefix, a prolog and a byte-order mark", () => {
    const error = ok({ body: bodies.prefixedWithMetadata, status: 503 })
    assert.strictEqual(error.code, "ServiceUnavailable")
    assert.strictEqual(error.type, "Receiver")
    assert.strictEqual(error.errorClass, "transient")
    const bytes = new TextEncoder().encode(`\uFEFF${bodies.ordersThrottled}`)
    assert.strictEqual(ok({ body: bytes, status: 503 }).code, "RequestThrottled")
  })

  it("keeps codes as strings and classifies unknown codes by status", () => {
    const error = ok({ body: bodies.numericCode, status: 502 })
    assert.strictEqual(error.code, "0123")
    assert.strictEqual(error.mwsMessage, "1e5")
    assert.isFalse(error.known)
    assert.strictEqual(error.errorClass, "transient")
    assert.strictEqual(ok({ body: bodies.numericCode, status: 409 }).errorClass, "client")
  })

  it("classifies with the caller's catalog and section", () => {
    const catalog = ErrorCatalog.extend(MwsCatalog.catalog, [
      {
        code: "0123",
        section: "Widgets",
        httpStatus: 502,
        errorClass: "not-ready",
        description: "Widget warming up.",
        documented: true,
        source: "test"
      }
    ])
    const error = ok({ body: bodies.numericCode, status: 502, section: "Widgets" }, { catalog })
    assert.isTrue(error.known)
    assert.strictEqual(error.errorClass, "not-ready")
  })
})

describe("ErrorResponse.parse: headers", () => {
  it("prefers the x-mws-request-id header and keeps a different body id", () => {
    const error = ok({
      body: bodies.ordersThrottled,
      status: 503,
      headers: { "X-Mws-Request-Id": "header-id", "x-mws-timestamp": "2026-11-25T10:00:00.412Z" }
    })
    assert.strictEqual(error.requestId, "header-id")
    assert.strictEqual(error.bodyRequestId, "2c9a1f44-8a3e-4f9c-9b2d-3a1d2e4f5a6b")
    assert.strictEqual(error.serverTimestamp, "2026-11-25T10:00:00.412Z")
    const same = ok({
      body: bodies.ordersThrottled,
      status: 503,
      headers: new Headers({ "x-mws-request-id": "2c9a1f44-8a3e-4f9c-9b2d-3a1d2e4f5a6b" })
    })
    assert.isUndefined(same.bodyRequestId)
  })

  it("reads quota headers in any case, as numbers, with ISO and RFC 1123 reset times", () => {
    const iso = ok({
      body: bodies.reportsInvalidRequestId,
      status: 400,
      headers: [
        ["x-mws-quota-max", "80.0"],
        ["X-MWS-QUOTA-REMAINING", "78.0"],
        ["x-mws-quota-resetsOn", "2020-06-15T09:12:00.000Z"]
      ]
    })
    assert.deepStrictEqual(iso.quota, { max: 80, remaining: 78, resetsOn: "2020-06-15T09:12:00.000Z" })
    const rfc = ok({
      body: bodies.reportsInvalidRequestId,
      status: 400,
      headers: new Map([["x-mws-quota-resetsOn", "Wed, 06 Mar 2013 19:07:58 GMT"]])
    })
    assert.deepStrictEqual(rfc.quota, { resetsOn: "2013-03-06T19:07:58.000Z" })
    const nonsense = ok({
      body: bodies.reportsInvalidRequestId,
      status: 400,
      headers: { "x-mws-quota-max": "lots", "x-mws-quota-resetsOn": "soon" }
    })
    assert.isUndefined(nonsense.quota)
  })

  it("takes a QuotaExceeded reset time from the header first, else from the message", () => {
    const fromMessage = ok({ body: bodies.quotaExceeded, status: 503 })
    assert.strictEqual(fromMessage.errorClass, "quota-exceeded")
    assert.deepStrictEqual(fromMessage.retryHint, { resetsAt: "2019-03-25T02:25:00.000Z", source: "message" })
    assert.deepStrictEqual(fromMessage.quota, { max: 30 })
    const fromHeader = ok({
      body: bodies.quotaExceeded,
      status: 503,
      headers: { "x-mws-quota-resetsOn": "2019-03-25T02:47:00.000Z", "x-mws-quota-max": "30.0" }
    })
    assert.deepStrictEqual(fromHeader.retryHint, { resetsAt: "2019-03-25T02:47:00.000Z", source: "quota-header" })
  })

  it("turns a Retry-After into a hint", () => {
    const seconds = ok({ body: bodies.prefixedWithMetadata, status: 503, headers: { "retry-after": "120" } })
    assert.deepStrictEqual(seconds.retryHint, { retryAfterMs: 120_000, source: "retry-after" })
    const date = ok({
      body: bodies.prefixedWithMetadata,
      status: 503,
      headers: { "Retry-After": "Wed, 25 Nov 2026 10:05:00 GMT" }
    })
    assert.deepStrictEqual(date.retryHint, { resetsAt: "2026-11-25T10:05:00.000Z", source: "retry-after" })
  })

  it("carries the request's own Timestamp", () => {
    const error = ok({ body: bodies.ordersThrottled, status: 503, requestTimestamp: "2026-11-25T10:00:00Z" })
    assert.strictEqual(error.requestTimestamp, "2026-11-25T10:00:00Z")
    assert.include(String(error), "Timestamp 2026-11-25T10:00:00Z")
  })
})

describe("ErrorResponse.parse: bodies that are not MWS errors", () => {
  const headers = { "x-mws-request-id": "hdr-7", "content-type": "text/html; charset=UTF-8" }

  it("turns an HTML error page into a typed failure that keeps status, class and request id", () => {
    const failure = rejected({
      body: "<html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>",
      status: 502,
      headers
    })
    assert.strictEqual(failure.reason, "html")
    assert.strictEqual(failure.httpStatus, 502)
    assert.strictEqual(failure.errorClass, "transient")
    assert.strictEqual(failure.requestId, "hdr-7")
    assert.strictEqual(failure.contentType, "text/html; charset=UTF-8")
    assert.include(failure.excerpt, "502 Bad Gateway")
    const doctype = rejected({ body: "<!DOCTYPE html><html><body>Service Unavailable</body></html>", status: 503 })
    assert.strictEqual(doctype.reason, "html")
    assert.strictEqual(doctype.errorClass, "throttled")
  })

  it("classifies empty, JSON, text, binary and truncated bodies", () => {
    const cases: ReadonlyArray<readonly [string | Uint8Array | undefined, UnparseableErrorBody.Reason]> = [
      [undefined, "empty"],
      ["", "empty"],
      ["  \n\t ", "empty"],
      ['{"message":"Internal server error"}', "json"],
      ["Service Unavailable", "not-xml"],
      [new Uint8Array([0xff, 0xfe, 0x00, 0x41, 0xc3, 0x28]), "binary"],
      ["<ErrorResponse>\u0000</ErrorResponse>", "binary"],
      [bodies.ordersThrottled.slice(0, 120), "malformed-xml"],
      ["<ErrorResponse><Error><Code>X</Type></Error></ErrorResponse>", "malformed-xml"],
      ["<ErrorResponse><Error><Code>X</Code></Error></ErrorResponse><Extra/>", "malformed-xml"],
      ["<Response><Errors><Error>nope</Error></Errors></Response>", "not-an-error-response"],
      ["<ErrorResponse><Error><Message>no code</Message></Error></ErrorResponse>", "not-an-error-response"]
    ]
    for (const [body, reason] of cases) {
      const failure = rejected({ body, status: 500, headers: { "x-mws-request-id": "r-1" } })
      assert.strictEqual(failure.reason, reason, JSON.stringify(body))
      assert.strictEqual(failure.httpStatus, 500)
      assert.strictEqual(failure.errorClass, "transient")
      assert.strictEqual(failure.requestId, "r-1")
    }
  })

  it("refuses DOCTYPE and entity declarations without expanding anything", () => {
    const bomb = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><ErrorResponse><Error><Code>&lol2;</Code></Error></ErrorResponse>`
    assert.strictEqual(rejected({ body: bomb, status: 400 }).reason, "doctype")
    const external = `<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><ErrorResponse><Error><Code>&xxe;</Code></Error></ErrorResponse>`
    assert.strictEqual(rejected({ body: external, status: 400 }).reason, "doctype")
  })

  it("decodes the predefined entities and character references", () => {
    const error = ok({
      body: "<ErrorResponse><Error><Code>X</Code><Message>&lt;a&gt; &amp; &apos;&quot; &#65; &#x1F600;</Message></Error></ErrorResponse>",
      status: 400
    })
    assert.strictEqual(error.mwsMessage, "<a> & '\" A 😀")
  })

  it("refuses an undeclared entity or a reference to no character: not well-formed XML, the problem named", () => {
    const message = (text: string) =>
      rejected({ body: `<ErrorResponse><Error><Code>${text}</Code></Error></ErrorResponse>`, status: 400 })
    const undeclared = message("A&nbsp;")
    assert.strictEqual(undeclared.reason, "malformed-xml")
    assert.include(undeclared.problem ?? "", 'undeclared entity reference "&nbsp;"')
    for (const reference of ["&#99999999;", "&#0;", "&#xD800;", "&#;", "&#x;", "&#12a;"]) {
      const error = message(`A${reference}`)
      assert.strictEqual(error.reason, "malformed-xml", reference)
      assert.include(error.problem ?? "", "is not a character XML allows", reference)
    }
    for (const bare of ["A & B", "A&", "A&;", `A&${"x".repeat(40)};`]) {
      const error = message(bare)
      assert.strictEqual(error.reason, "malformed-xml", bare)
      assert.include(error.problem ?? "", 'a bare "&"', bare)
    }
  })

  it("caps nesting depth", () => {
    const nest = (levels: number) => `<ErrorResponse>${"<a>".repeat(levels)}x${"</a>".repeat(levels)}</ErrorResponse>`
    assert.strictEqual(rejected({ body: nest(5_000), status: 400 }).reason, "too-deep")
    assert.strictEqual(rejected({ body: nest(100_000), status: 400 }, { maxBodyBytes: 1_000_000 }).reason, "too-deep")
    assert.strictEqual(rejected({ body: nest(31), status: 400 }).reason, "not-an-error-response") // 32 levels: allowed
    assert.strictEqual(rejected({ body: nest(32), status: 400 }).reason, "too-deep")
    assert.strictEqual(rejected({ body: nest(40), status: 400 }, { maxDepth: 64 }).reason, "not-an-error-response")
    // Deep XML under another root is refused as soon as its root is seen.
    const other = `${"<a>".repeat(5_000)}x${"</a>".repeat(5_000)}`
    assert.strictEqual(rejected({ body: other, status: 400 }).reason, "not-an-error-response")
    const detailTooDeep = bodies.detailWithElements.replace("trace 42", `${"<d>".repeat(40)}${"</d>".repeat(40)}`)
    assert.strictEqual(rejected({ body: detailTooDeep, status: 500 }).reason, "too-deep")
  })

  it("refuses bodies over the size limit before parsing, and honours a configured limit", () => {
    const big = `<ErrorResponse><Error><Code>X</Code><Message>${"y".repeat(70_000)}</Message></Error></ErrorResponse>`
    const failure = rejected({ body: big, status: 500 })
    assert.strictEqual(failure.reason, "too-large")
    assert.isTrue(failure.bodyBytes > 64 * 1024)
    assert.isTrue(failure.excerpt.length <= 201)
    assert.strictEqual(ok({ body: big, status: 500 }, { maxBodyBytes: 1024 * 1024 }).code, "X")
    assert.strictEqual(rejected({ body: bodies.docsExample, status: 403 }, { maxBodyBytes: 100 }).reason, "too-large")
  })

  it("rejects broken limits with an error naming the setting", () => {
    assert.throws(() => ErrorResponse.parse({ body: "", status: 500 }, { maxBodyBytes: 0 }), /maxBodyBytes/)
    assert.throws(() => ErrorResponse.parse({ body: "", status: 500 }, { maxDepth: 2.5 }), /maxDepth/)
  })

  it("cannot be used for prototype pollution", () => {
    for (const name of ["__proto__", "constructor", "prototype"]) {
      const body = `<ErrorResponse><Error><${name}><polluted>yes</polluted></${name}><Code>X</Code></Error></ErrorResponse>`
      // The error reader builds no object keyed by element names: the hostile element is just ignored.
      assert.strictEqual(ok({ body, status: 400 }).code, "X", name)
      const asRoot = `<${name}><Error><Code>X</Code></Error></${name}>`
      assert.strictEqual(rejected({ body: asRoot, status: 400 }).reason, "not-an-error-response", name)
    }
    for (const value of ["__proto__", "constructor", "toString"]) {
      const body = `<ErrorResponse><Error><Type>${value}</Type><Code>${value}</Code></Error></ErrorResponse>`
      const error = ok({ body, status: 400 })
      assert.strictEqual(error.type, "")
      assert.strictEqual(error.code, value)
      assert.isFalse(error.known)
    }
    assert.isUndefined(({} as Record<string, unknown>).polluted)
    assert.strictEqual(Object.keys(Object.prototype).length, 0)
  })

  it("keeps excerpts short and printable", () => {
    const failure = rejected({ body: `not xml \u0001\u0002 ${"z".repeat(5000)}`, status: 500 })
    assert.isTrue(failure.excerpt.length <= 201)
    assert.notInclude(failure.excerpt, "\u0001")
  })
})

describe("ErrorResponse.toError and fail", () => {
  it.effect("fails with the MwsError, or with the UnparseableErrorBody", () =>
    Effect.gen(function* () {
      const mws = yield* Effect.flip(ErrorResponse.fail({ body: bodies.ordersThrottled, status: 503 }))
      assert.strictEqual(mws._tag, "MwsError")
      const page = yield* Effect.flip(ErrorResponse.fail({ body: "<html>oops</html>", status: 503 }))
      assert.strictEqual(page._tag, "UnparseableErrorBody")
      const handled = yield* ErrorResponse.fail({ body: "", status: 503 }).pipe(
        Effect.catchTag("UnparseableErrorBody", (error) => Effect.succeed(error.errorClass))
      )
      assert.strictEqual(handled, "throttled")
    })
  )

  it("returns the error as a value", () => {
    assert.strictEqual(ErrorResponse.toError({ body: bodies.docsExample, status: 403 })._tag, "MwsError")
    assert.strictEqual(ErrorResponse.toError({ body: "", status: 500 })._tag, "UnparseableErrorBody")
  })
})
