import { assert, describe, it } from "@effect/vitest"
import { Cause, Effect, Exit, Schema } from "effect"
import { ErrorCatalog, MwsCatalog, MwsError } from "../src/index.ts"

const throttled = MwsError.make({
  code: "RequestThrottled",
  httpStatus: 503,
  mwsMessage: "Request is throttled",
  requestId: "7d3c6c3e-1f2a-4b5c-9d8e-0a1b2c3d4e5f",
  requestTimestamp: "2026-11-25T10:00:00.000Z",
  serverTimestamp: "2026-11-25T10:00:00.412Z",
  section: "Orders",
  operation: "ListOrders"
})

describe("MwsError.make", () => {
  it("fills the class from the catalog for a known code", () => {
    assert.strictEqual(throttled.errorClass, "throttled")
    assert.isTrue(throttled.known)
    assert.strictEqual(throttled.type, "")
    assert.strictEqual(throttled._tag, "MwsError")
    assert.instanceOf(throttled, Error)
  })

  it("keeps an unknown code raw and classifies it by status", () => {
    const error = MwsError.make({ code: "SomethingNew", httpStatus: 502, mwsMessage: "upstream hiccup" })
    assert.strictEqual(error.code, "SomethingNew")
    assert.strictEqual(error.errorClass, "transient")
    assert.isFalse(error.known)
    assert.isFalse(MwsError.isKnown(error))
  })

  it("uses the catalog description when the service sent no message", () => {
    assert.strictEqual(
      MwsError.make({ code: "QuotaExceeded", httpStatus: 503 }).mwsMessage,
      "The total number of requests in an hour was exceeded."
    )
    assert.strictEqual(MwsError.make({ code: "Mystery" }).mwsMessage, "")
  })

  it("classifies with a user's catalog when given one", () => {
    const mine = ErrorCatalog.extend(MwsCatalog.catalog, [
      {
        code: "WidgetJammed",
        section: "Widgets",
        httpStatus: 503,
        errorClass: "not-ready",
        description: "The widget is jammed.",
        documented: true,
        source: "Widgets API guide"
      }
    ])
    const error = MwsError.make({ code: "WidgetJammed", httpStatus: 503 }, mine)
    assert.strictEqual(error.errorClass, "not-ready")
    assert.isTrue(error.known)
    assert.strictEqual(MwsError.make({ code: "WidgetJammed", httpStatus: 503 }).errorClass, "throttled")
  })

  it("rejects a field of the wrong type at construction", () => {
    assert.throws(() => MwsError.make({ code: "InternalError", httpStatus: 500.5 }), /httpStatus/)
  })
})

describe("MwsError printed form", () => {
  it("shows code, message, status, RequestId and the request's Timestamp", () => {
    const expected =
      "RequestThrottled: Request is throttled (HTTP 503, RequestId 7d3c6c3e-1f2a-4b5c-9d8e-0a1b2c3d4e5f, Timestamp 2026-11-25T10:00:00.000Z)"
    assert.strictEqual(String(throttled), expected)
    assert.strictEqual(throttled.message, expected)
  })

  it("says what is missing instead of printing undefined", () => {
    const bare = MwsError.make({ code: "Mystery" })
    assert.strictEqual(
      String(bare),
      "Mystery: (no message) (HTTP status unknown, RequestId unknown, Timestamp unknown)"
    )
    const serverOnly = MwsError.make({
      code: "InternalError",
      httpStatus: 500,
      serverTimestamp: "2026-11-25T10:00:01Z"
    })
    assert.include(String(serverOnly), "Timestamp 2026-11-25T10:00:01Z (server)")
  })

  it("is what Effect prints when the error ends a program", () =>
    Effect.gen(function* () {
      const exit = yield* Effect.exit(Effect.fail(throttled))
      assert.isTrue(Exit.isFailure(exit))
      if (Exit.isFailure(exit)) {
        const printed = Cause.pretty(exit.cause)
        assert.include(printed, "RequestThrottled: Request is throttled")
        assert.include(printed, "RequestId 7d3c6c3e-1f2a-4b5c-9d8e-0a1b2c3d4e5f")
      }
    }).pipe(Effect.runPromise))
})

describe("MwsError handling by code and by class", () => {
  const failWith = (error: MwsError.MwsError) => Effect.fail(error) as Effect.Effect<string, MwsError.MwsError>

  it.effect("catchCode recovers only the named code", () =>
    Effect.gen(function* () {
      const recovered = yield* failWith(MwsError.make({ code: "ReportNotReady" })).pipe(
        MwsError.catchCode("ReportNotReady", (e) => Effect.succeed(`later: ${e.code}`))
      )
      assert.strictEqual(recovered, "later: ReportNotReady")
      const passed = yield* Effect.flip(
        failWith(throttled).pipe(MwsError.catchCode("ReportNotReady", () => Effect.succeed("never")))
      )
      assert.strictEqual(passed, throttled)
    })
  )

  it.effect("catchClass recovers every code of a class, known or not", () =>
    Effect.gen(function* () {
      const handle = (error: MwsError.MwsError) =>
        failWith(error).pipe(MwsError.catchClass("transient", (e) => Effect.succeed(e.code)))
      assert.strictEqual(yield* handle(MwsError.make({ code: "InternalError", httpStatus: 500 })), "InternalError")
      assert.strictEqual(yield* handle(MwsError.make({ code: "BrandNew", httpStatus: 502 })), "BrandNew")
      const notTransient = yield* Effect.flip(handle(throttled))
      assert.strictEqual(notTransient.code, "RequestThrottled")
    })
  )

  it("hasCode and hasClass refine unknown values", () => {
    const value: unknown = throttled
    assert.isTrue(MwsError.hasCode("RequestThrottled", "QuotaExceeded")(value))
    assert.isFalse(MwsError.hasCode("QuotaExceeded")(value))
    assert.isTrue(MwsError.hasClass("throttled")(value))
    assert.isFalse(MwsError.hasClass("throttled")(new Error("RequestThrottled")))
    assert.isFalse(MwsError.hasCode("RequestThrottled")({ _tag: "MwsError", code: "RequestThrottled" }))
  })
})

describe("MwsError serialisation", () => {
  const throughJson = (error: MwsError.MwsError) => MwsError.decode(JSON.parse(JSON.stringify(MwsError.encode(error))))

  it.effect("round-trips a fully populated error through JSON", () =>
    Effect.gen(function* () {
      const full = MwsError.make({
        code: "QuotaExceeded",
        httpStatus: 503,
        type: "Sender",
        mwsMessage:
          "You exceeded your quota of 80.0 requests per 1 hour for operation Reports/2009-01-01/GetReportList.",
        detail: "<Detail><Any/></Detail>",
        requestId: "header-id",
        bodyRequestId: "body-id",
        requestTimestamp: "2026-11-25T10:00:00Z",
        serverTimestamp: "2026-11-25T10:00:00.412Z",
        section: "Reports",
        operation: "GetReportList",
        quota: { max: 80, remaining: 0, resetsOn: "2026-11-25T10:47:00.000Z" },
        retryHint: { resetsAt: "2026-11-25T10:47:00.000Z", source: "quota-header" }
      })
      const back = yield* throughJson(full)
      assert.instanceOf(back, MwsError.MwsError)
      assert.deepStrictEqual(back, full)
      assert.strictEqual(String(back), String(full))
    })
  )

  it.effect.prop(
    "every error survives encode, JSON and decode unchanged",
    [MwsError.MwsError],
    ([error]) =>
      Effect.gen(function* () {
        const back = yield* throughJson(error)
        assert.deepStrictEqual(MwsError.encode(back), MwsError.encode(error))
        assert.strictEqual(String(back), String(error))
      }),
    { arbitrary: { runs: 500 } }
  )

  it.effect("names the bad field when decoding garbage", () =>
    Effect.gen(function* () {
      const failure = yield* Effect.flip(MwsError.decode({ _tag: "MwsError", code: 42 }))
      assert.instanceOf(failure, Schema.SchemaError)
      assert.include(String(failure), "code")
    })
  )

  it("has no field that could carry a secret", () => {
    const fields = Object.keys(MwsError.MwsError.fields)
    for (const forbidden of ["secret", "signature", "token", "authToken", "secretKey", "password"]) {
      assert.isFalse(
        fields.some((field) => field.toLowerCase().includes(forbidden.toLowerCase())),
        forbidden
      )
    }
  })
})

describe("MwsError with several <Error> elements", () => {
  it.effect("keeps the additional errors through serialisation", () =>
    Effect.gen(function* () {
      const error = MwsError.make({
        code: "InvalidParameterValue",
        httpStatus: 400,
        additionalErrors: [
          { code: "MalformedInput", errorClass: "client", known: true, type: "Sender", mwsMessage: "bad date" }
        ]
      })
      const back = yield* MwsError.decode(JSON.parse(JSON.stringify(MwsError.encode(error))))
      assert.deepStrictEqual(back.additionalErrors, error.additionalErrors)
    })
  )
})
