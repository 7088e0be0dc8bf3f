/**
 * Runs the guide's runnable examples (apps/docs/snippets) and checks what the
 * pages say about them. Time-dependent examples run on the test clock; the
 * ones that talk to the sandbox over HTTP or to SQLite run live, with
 * in-memory ledgers or a temporary directory.
 */
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { assert, describe, it } from "@effect/vitest"
import { MwsError, UnparseableErrorBody } from "@mws-kit/error-codes"
import { Sandbox } from "@mws-kit/sandbox"
import { MwsQuotas, QuotaCatalog } from "@mws-kit/throttle"
import { ConfigProvider, Effect, Exit, Fiber, Layer, Option, Result } from "effect"
import { TestClock } from "effect/testing"
import * as budget from "../snippets/backoff-policy/budget.ts"
import * as classifier from "../snippets/backoff-policy/classifier.ts"
import * as customPolicy from "../snippets/backoff-policy/custom-policy.ts"
import * as observe from "../snippets/backoff-policy/observe.ts"
import * as schedule from "../snippets/backoff-policy/schedule.ts"
import * as timeline from "../snippets/backoff-policy/timeline.ts"
import * as customCatalog from "../snippets/error-codes/custom-catalog.ts"
import * as handle from "../snippets/error-codes/handle.ts"
import * as lookup from "../snippets/error-codes/lookup.ts"
import * as make from "../snippets/error-codes/make.ts"
import * as firstProgram from "../snippets/getting-started/first-program.ts"
import * as againstSandbox from "../snippets/mws-client/against-sandbox.ts"
import * as fromEnv from "../snippets/mws-client/from-env.ts"
import * as handleErrors from "../snippets/mws-client/handle-errors.ts"
import * as queries from "../snippets/request-ledger/queries.ts"
import * as record from "../snippets/request-ledger/record.ts"
import * as retention from "../snippets/request-ledger/retention.ts"
import { sandboxSuite } from "../snippets/sandbox/in-a-test.ts"
import * as promises from "../snippets/sandbox/promises.ts"
import * as rawRequest from "../snippets/sandbox/raw-request.ts"
import * as toTicket from "../snippets/support-workflow/from-error-to-ticket.ts"
import * as customQuotas from "../snippets/throttle/custom-quotas.ts"
import * as fleet from "../snippets/throttle/fleet.ts"
import * as learning from "../snippets/throttle/learning.ts"
import * as maxWait from "../snippets/throttle/max-wait.ts"
import * as pacing from "../snippets/throttle/pacing.ts"
import * as sign from "../snippets/wire-format/sign.ts"
import * as parserFail from "../snippets/xml-error-parser/fail.ts"
import * as itemErrors from "../snippets/xml-error-parser/item-errors.ts"
import * as parse from "../snippets/xml-error-parser/parse.ts"
import * as quotaExceeded from "../snippets/xml-error-parser/quota-exceeded.ts"
import * as safeXml from "../snippets/xml-error-parser/safe-xml.ts"

/** Forks an effect, moves the test clock, and joins it. */
const after = <A, E>(effect: Effect.Effect<A, E>, advance: Parameters<typeof TestClock.adjust>[0]) =>
  Effect.gen(function* () {
    const fiber = yield* Effect.forkChild(effect)
    yield* TestClock.adjust(advance)
    return yield* Fiber.join(fiber)
  })

/** A temporary directory, removed with the scope. */
const tempDir = Effect.acquireRelease(
  Effect.sync(() => mkdtempSync(join(tmpdir(), "mws-kit-docs-"))),
  (dir) => Effect.sync(() => rmSync(dir, { recursive: true, force: true }))
)

const SandboxLive = Sandbox.Sandbox.layer({ timeScale: 100 })

describe("getting started", () => {
  it.effect("the first program turns a throttled ErrorResponse into a typed MwsError", () =>
    Effect.gen(function* () {
      const result = yield* firstProgram.program
      assert.strictEqual(result.code, "RequestThrottled")
      assert.strictEqual(result.errorClass, "throttled")
      assert.strictEqual(result.requestId, "2c9a1f44-8a3e-4f9c-9b2d-3a1d2e4f5a6b")
      assert.strictEqual(
        result.advice,
        "The operation's request bucket is empty: wait for its restore interval, never retry at once."
      )
      assert.strictEqual(
        result.printed,
        "RequestThrottled: Request is throttled (HTTP 503, RequestId 2c9a1f44-8a3e-4f9c-9b2d-3a1d2e4f5a6b, Timestamp 2026-11-25T10:00:00Z (server))"
      )
    })
  )
})

describe("error-codes guide", () => {
  it("looks codes up and classifies them", () => {
    const { throttled, label, pickup, quota, unavailable, unknown, advice } = lookup.results
    assert.strictEqual(throttled?.httpStatus, 503)
    assert.strictEqual(throttled?.errorClass, "throttled")
    assert.strictEqual(throttled?.description, "The frequency of requests was greater than allowed.")
    assert.strictEqual(label?.httpStatus, 404)
    assert.strictEqual(pickup?.httpStatus, 400)
    assert.strictEqual(quota.errorClass, "quota-exceeded")
    assert.strictEqual(unavailable.errorClass, "transient")
    assert.deepStrictEqual(unknown, { errorClass: "transient", known: false, entry: undefined })
    assert.strictEqual(advice, "Temporary service failure: retry at once, then after 1s, 4s, 10s and 30s.")
  })

  it.effect("handles errors by code, by class and with the refinements", () =>
    Effect.gen(function* () {
      assert.strictEqual(yield* handle.byCode, "not ready")
      assert.strictEqual(yield* handle.byClass, "ReportNotReady: ask again later")
      assert.strictEqual(yield* handle.withRefinement, "later")
    })
  )

  it.effect("makes an error from the catalog, prints it for support, and round-trips it through JSON", () =>
    Effect.gen(function* () {
      assert.strictEqual(make.error.errorClass, "throttled")
      assert.isTrue(make.error.known)
      assert.strictEqual(
        String(make.error),
        "RequestThrottled: Request is throttled (HTTP 503, RequestId 7d3c6c3e-1f2a-4b5c-9d8e-0a1b2c3d4e5f, Timestamp 2026-11-25T10:00:00.000Z)"
      )
      const { row, back } = yield* make.roundTrip
      assert.strictEqual(row._tag, "MwsError")
      assert.instanceOf(back, MwsError.MwsError)
      assert.deepStrictEqual(MwsError.encode(back), row)
    })
  )

  it("extends the catalog with a code of its own", () => {
    assert.strictEqual(customCatalog.jammed.errorClass, "client")
    assert.isTrue(customCatalog.jammed.known)
    assert.strictEqual(customCatalog.jammed.mwsMessage, "The widget is jammed.")
  })
})

describe("xml-error-parser guide", () => {
  it("parses a throttled ErrorResponse with its headers", () => {
    assert.isTrue(Result.isSuccess(parse.parsed))
    if (!Result.isSuccess(parse.parsed)) return
    const error = parse.parsed.success
    assert.strictEqual(error.code, "RequestThrottled")
    assert.strictEqual(error.errorClass, "throttled")
    assert.strictEqual(error.type, "")
    assert.strictEqual(error.requestId, "2c9a1f44-8a3e-4f9c-9b2d-3a1d2e4f5a6b")
    assert.strictEqual(error.serverTimestamp, "2026-11-25T10:00:00.412Z")
    assert.strictEqual(error.requestTimestamp, "2026-11-25T10:00:00.000Z")
    assert.strictEqual(error.operation, "ListOrders")
  })

  it("turns a proxy's HTML page into an UnparseableErrorBody classified by its status", () => {
    const page = parse.proxyPage
    assert.isTrue(UnparseableErrorBody.isUnparseableErrorBody(page))
    if (!UnparseableErrorBody.isUnparseableErrorBody(page)) return
    assert.strictEqual(page.reason, "html")
    assert.strictEqual(page.errorClass, "transient")
    assert.strictEqual(page.httpStatus, 502)
    assert.isTrue(page.excerpt.startsWith("<html>"))
  })

  it.effect("fails an Effect with the typed error, handled by tag", () =>
    Effect.gen(function* () {
      assert.strictEqual(yield* parserFail.program, "empty, class throttled")
    })
  )

  it("reads the reset time and the quota from a QuotaExceeded message", () => {
    const error = quotaExceeded.quotaExceeded
    assert.isTrue(MwsError.isMwsError(error))
    if (!MwsError.isMwsError(error)) return
    assert.strictEqual(error.errorClass, "quota-exceeded")
    assert.deepStrictEqual(error.retryHint, { resetsAt: "2019-03-25T02:25:00.000Z", source: "message" })
    assert.strictEqual(error.quota?.max, 30)
  })

  it("finds the per-item errors of a 200 response", () => {
    assert.isTrue(Result.isSuccess(itemErrors.items))
    if (!Result.isSuccess(itemErrors.items)) return
    const items = itemErrors.items.success
    assert.strictEqual(items.length, 1)
    assert.strictEqual(items[0]?.element, "GetMatchingProductForIdResult")
    assert.strictEqual(items[0]?.status, "ClientError")
    assert.deepStrictEqual(items[0]?.identifier, { Id: "B00MISSING", IdType: "ASIN" })
    assert.strictEqual(items[0]?.error.code, "InvalidParameterValue")
  })

  it("parses another body with the same hardening: strings kept, entities decoded once, DOCTYPE refused", () => {
    assert.deepStrictEqual(
      safeXml.parseSuccessBody(
        '<r:Result xmlns:r="urn:x"><Sku id="&lt;1&gt;">007</Sku><Note>&amp;amp;</Note></r:Result>'
      ),
      { Result: { Sku: { "#text": "007", "@id": "<1>" }, Note: "&amp;" } }
    )
    assert.isUndefined(safeXml.parseSuccessBody('<!DOCTYPE r [<!ENTITY x "x">]><r>&x;</r>'))
  })
})

describe("backoff-policy guide", () => {
  it.effect("retries at 0, 1, 4, 10 and 30 seconds after each failure, then gives up for manual follow-up", () =>
    Effect.gen(function* () {
      const result = yield* after(timeline.program, "1 minute")
      if (typeof result === "string") return assert.fail("GetOrder never succeeds")
      assert.deepStrictEqual(timeline.attemptTimes, [0, 0, 1_000, 5_000, 15_000, 45_000])
      assert.strictEqual(result.reason, "exhausted")
      assert.strictEqual(result.attempts, 6)
      assert.deepStrictEqual(result.waits, [0, 0, 1_000, 4_000, 10_000, 30_000])
      assert.deepStrictEqual(result.requestIds, ["req-1", "req-2", "req-3", "req-4", "req-5", "req-6"])
      assert.isTrue(result.manualFollowUp)
      assert.isTrue(
        result.printed.startsWith(
          "Gave up after 6 attempts (exhausted), manual follow-up needed: #1 InternalError RequestId req-1 Timestamp"
        )
      )
    })
  )

  it.effect("does not retry a SubmitFeed after a 500, and fails with the error itself", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(customPolicy.submitted)
      assert.instanceOf(error, MwsError.MwsError)
      assert.strictEqual((error as MwsError.MwsError).code, "InternalError")
      assert.strictEqual(customPolicy.submitPolicy.options.idempotent, false)
    })
  )

  it.effect("classifies errors of its own: a 429 waits the throttled restore interval", () =>
    Effect.gen(function* () {
      const fiber = yield* Effect.forkChild(classifier.invoice)
      yield* TestClock.adjust(999)
      assert.isUndefined(fiber.pollUnsafe(), "still waiting 1 ms before the second")
      yield* TestClock.adjust(1)
      assert.strictEqual(yield* Fiber.join(fiber), "invoice after 2 calls")
    })
  )

  it.effect("stops retrying when the retry budget is empty", () =>
    Effect.gen(function* () {
      const { gaveUp, tokensLeft } = yield* after(budget.program, "1 second")
      assert.strictEqual(gaveUp._tag, "RetryGaveUp")
      if (gaveUp._tag !== "RetryGaveUp") return
      assert.strictEqual(gaveUp.reason, "budget-empty")
      assert.strictEqual(gaveUp.attempts.length, 3)
      assert.strictEqual(tokensLeft, 0)
    })
  )

  it.effect("reports every decision and the running attempt", () =>
    Effect.gen(function* () {
      assert.strictEqual(yield* after(observe.call, "1 second"), "ok")
      assert.deepStrictEqual(
        observe.decisions.map((d) => [d.attempt, d.action, d.reason, d.delayMs]),
        [
          [1, "retry", "immediate", 0],
          [2, "retry", "timeline", 1_000]
        ]
      )
      assert.deepStrictEqual(observe.seen, [
        [1, 0],
        [2, 0],
        [3, 1_000]
      ])
    })
  )

  it.effect("the timeline as a plain Schedule retries for 45 seconds in all", () =>
    Effect.gen(function* () {
      const fiber = yield* Effect.forkChild(schedule.retried)
      yield* TestClock.adjust(44_999)
      assert.isUndefined(fiber.pollUnsafe())
      yield* TestClock.adjust(1)
      const exit = yield* Fiber.await(fiber)
      assert.isTrue(Exit.isFailure(exit))
    })
  )
})

describe("throttle guide", () => {
  it.effect("paces a burst of ListOrders: six at once, then one a minute", () =>
    Effect.gen(function* () {
      const result = yield* after(pacing.main, "3 minutes")
      assert.deepStrictEqual(result.waits, [0, 0, 0, 0, 0, 0, 60_000, 120_000])
      assert.strictEqual(result.productsCost, 3)
      assert.strictEqual(result.left, 17)
      assert.strictEqual(yield* pacing.paced.pipe(Effect.provide(pacing.ThrottleLive)), "<ListOrdersResponse/>")
    })
  )

  it.effect("fails at once with ThrottleWaitTooLong past maxWait", () =>
    Effect.gen(function* () {
      assert.strictEqual(
        yield* maxWait.program,
        "SubmitFeed is limited by its restore quota until 1970-01-01T00:02:00.000Z"
      )
    })
  )

  it.effect("learns the hourly quota from headers and a QuotaExceeded", () =>
    Effect.gen(function* () {
      const { read, state, refused } = yield* learning.program
      assert.deepStrictEqual(read, { max: 60, remaining: 2, resetsAt: 600_000 })
      assert.deepStrictEqual(state.hourly, { used: 58, max: 60, resetsAt: 600_000, blockedUntil: undefined })
      assert.strictEqual(refused._tag, "ThrottleWaitTooLong")
      if (refused._tag !== "ThrottleWaitTooLong") return
      assert.strictEqual(refused.limitedBy, "hourly")
      assert.strictEqual(refused.waitMs, 300_000)
    })
  )

  it.effect("extends the quota catalog", () =>
    Effect.gen(function* () {
      assert.strictEqual(QuotaCatalog.lookup(customQuotas.catalog, "Feeds", "SubmitFeed")?.maxQuota, 30)
      assert.strictEqual(QuotaCatalog.lookup(MwsQuotas.catalog, "Feeds", "SubmitFeed")?.maxQuota, 15)
      const { waits, unknown } = yield* after(customQuotas.program, "1 second")
      assert.deepStrictEqual(waits, [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1_000])
      assert.strictEqual(unknown._tag, "UnknownOperation")
    })
  )

  it("builds a fleet throttle over Redis as a layer", () => {
    assert.isTrue(Layer.isLayer(fleet.ThrottleFleet))
  })
})

describe("request-ledger guide", () => {
  it.live(
    "records attempts in SQLite, finds them by RequestId and renders the best example",
    () =>
      Effect.gen(function* () {
        const dir = yield* tempDir
        const { last, found, ticket } = yield* record.program.pipe(
          Effect.provide(record.ledgerAt(join(dir, "ledger.sqlite")))
        )
        assert.deepStrictEqual(last.params, { "MarketplaceId.Id.1": "ATVPDKIKX0DER" })
        assert.strictEqual(last.attempt, 3)
        assert.strictEqual(found.length, 1)
        assert.strictEqual(found[0]?.attempt, 2)
        assert.isTrue(Option.isSome(ticket))
        const text = Option.getOrElse(ticket, () => "")
        assert.include(text, "MWS support request: example of RequestThrottled")
        assert.include(text, "RequestId:          7f3e0c1a-4b2d-4e8f-9a6b-d1c2b3a4f503")
        assert.include(text, "Timestamp:          2026-11-25T10:00:03Z (the request's Timestamp parameter)")
        assert.include(text, "Outcome:            gave up after the last retry: needs manual follow-up")
        assert.include(text, "Request parameters: MarketplaceId.Id.1=ATVPDKIKX0DER")
        assert.include(text, "Attempts of this call (3):")
        assert.notInclude(text, "Signature")
        assert.isTrue(Layer.isLayer(record.LedgerLive))
      }),
    30_000
  )

  it.live("queries, counts and exports", () =>
    Effect.gen(function* () {
      const result = yield* queries.program.pipe(Effect.provide(queries.TestLedger))
      assert.deepStrictEqual(
        result.attempts.map((e) => [e.attempt, e.outcome]),
        [
          [1, "retried"],
          [2, "success"]
        ]
      )
      assert.strictEqual(result.transient.length, 1)
      assert.strictEqual(result.followUp.length, 0)
      assert.strictEqual(result.stats.total, 2)
      assert.deepStrictEqual(result.stats.byCode, [{ key: "InternalError", count: 1 }])
      const lines = result.csv.split("\r\n")
      assert.isTrue(lines[0]?.startsWith("entryId,recordedAt,requestId,requestTimestamp"))
      assert.strictEqual(lines.length, 4, "header, two rows, and the empty string after the last CRLF")
      assert.strictEqual(result.jsonl.length, 2)
    })
  )

  it.effect("refuses a retention under 30 days unless told otherwise", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(retention.buildTooShort)
      assert.strictEqual(error._tag, "LedgerConfigError")
      if (error._tag === "LedgerConfigError") assert.strictEqual(error.setting, "retention")
    })
  )
})

describe("wire-format guide", () => {
  it("signs with Signature Version 2 and verifies the signature", () => {
    const { stringToSign, signature, valid, encoded } = sign.results
    assert.strictEqual(
      stringToSign,
      "POST\nmws.amazonservices.com\n/Orders/2013-09-01\nAWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&Action=GetServiceStatus&SellerId=A1EXAMPLESELLER&SignatureMethod=HmacSHA256&SignatureVersion=2&Timestamp=2026-11-25T10%3A00%3A00Z&Version=2013-09-01"
    )
    assert.strictEqual(signature, "nLoCmuC9oYHPCMt6gSio2XRkRNBmDcwE4Fiz3kTea0g=")
    assert.isTrue(valid)
    assert.strictEqual(encoded, "a%20b%2Ac~d%21%27%28%29")
  })
})

describe("sandbox guide", () => {
  sandboxSuite()

  it.live("starts and stops with promises, faults scripted and probabilistic", () =>
    Effect.gen(function* () {
      const result = yield* Effect.promise(() => promises.main())
      assert.isTrue(result.url.startsWith("http://127.0.0.1:"))
      assert.deepStrictEqual(result.pending, { ListOrders: [{ kind: "reset" }, { kind: "html-503" }] })
      assert.deepStrictEqual(result.requests, [])
    })
  )

  it.live("answers a request signed by hand", () =>
    Effect.gen(function* () {
      const sandbox = yield* Sandbox.Sandbox
      const answer = yield* Effect.promise(() => rawRequest.getServiceStatus(sandbox))
      assert.strictEqual(answer.status, 200)
      assert.include(answer.body, "<Status>GREEN</Status>")
      assert.strictEqual(answer.requestId, sandbox.requests().at(-1)?.requestId)
    }).pipe(Effect.provide(SandboxLive))
  )
})

describe("mws-client guide", () => {
  it.live(
    "calls, pages, submits a feed and downloads a report against the sandbox",
    () =>
      Effect.gen(function* () {
        const result = yield* againstSandbox.main
        assert.strictEqual(result.status, "GREEN")
        assert.strictEqual(result.orders, 25)
        assert.match(result.feedSubmissionId ?? "", /^\d+$/)
        assert.isTrue(result.report.startsWith("sku\tasin\tprice\tquantity\n"))
        assert.isDefined(result.contentMd5)
      }),
    30_000
  )

  it.live("reads its configuration through Effect Config", () =>
    Effect.gen(function* () {
      const sandbox = yield* Sandbox.Sandbox
      const env = {
        MWS_ENDPOINT: sandbox.url,
        MWS_ACCESS_KEY_ID: Sandbox.DEFAULT_CREDENTIAL.accessKeyId,
        MWS_SECRET_ACCESS_KEY: Sandbox.DEFAULT_CREDENTIAL.secretKey,
        MWS_SELLER_ID: Sandbox.DEFAULT_SELLER_ID,
        MWS_MARKETPLACE: "US",
        MWS_LEDGER: ":memory:"
      }
      const result = yield* fromEnv.main.pipe(Effect.provide(ConfigProvider.layer(ConfigProvider.fromEnv({ env }))))
      assert.strictEqual(result.status, "GREEN")
      assert.strictEqual(result.requestId, sandbox.requests().at(-1)?.requestId)
    }).pipe(Effect.provide(SandboxLive))
  )

  it.live("fails a wrong request at once with its MwsError", () =>
    Effect.gen(function* () {
      const sandbox = yield* Sandbox.Sandbox
      const text = yield* handleErrors.program.pipe(Effect.provide(againstSandbox.clientFor(sandbox)))
      assert.match(
        text,
        /^InvalidParameterValue \(HTTP 400, RequestId [0-9a-f-]{36}\): CreatedAfter or LastUpdatedAfter must be specified$/
      )
    }).pipe(Effect.provide(SandboxLive))
  )
})

describe("support workflow", () => {
  it.live(
    "from a RetryGaveUp to the ledger's best example",
    () =>
      Effect.gen(function* () {
        const result = yield* toTicket.main
        assert.isTrue(
          result.printed.startsWith(
            "Gave up after 6 attempts (exhausted), manual follow-up needed: #1 InternalError RequestId "
          )
        )
        assert.strictEqual(new Set(result.requestIds).size, 6)
        assert.strictEqual(result.outcome, "gave-up")
        const ticket = Option.getOrElse(result.ticket, () => "")
        assert.include(ticket, "MWS support request: example of InternalError")
        assert.include(ticket, `RequestId:          ${result.requestIds[5]}`)
        assert.include(ticket, "Outcome:            gave up after the last retry: needs manual follow-up")
        assert.include(ticket, "Attempts of this call (6):")
        for (const id of result.requestIds) assert.include(ticket, `RequestId ${id}`)
        assert.notInclude(ticket, Sandbox.DEFAULT_CREDENTIAL.secretKey)
      }),
    30_000
  )
})
