import { assert, describe, it } from "@effect/vitest"
import { Result, Schema } from "effect"
import fc from "fast-check"
import { LedgerEntry } from "../src/index.ts"
import { failsFastCheck } from "../src/internal/entryCheck.ts"
import { sampleInput } from "./helpers.ts"

const ID = "01a21464-b8be-7000-8000-50ce1bfc15ab"
const AT = "2026-11-25T10:00:00.000Z"
const make = (input: LedgerEntry.RecordInput) => LedgerEntry.make(input, ID, AT)

const issueOf = (input: LedgerEntry.RecordInput): string => {
  const result = make(input)
  assert.isTrue(Result.isFailure(result), "expected a LedgerEntryInvalid")
  if (Result.isSuccess(result)) return ""
  assert.strictEqual(result.failure._tag, "LedgerEntryInvalid")
  return result.failure.issue
}

describe("LedgerEntry.make", () => {
  it("builds a plain, JSON-safe entry with every optional fact null when unknown", () => {
    const result = make({
      section: "Orders",
      operation: "ListOrders",
      sellerId: "A2EXAMPLE",
      attempt: 1,
      callId: "call-1",
      durationMs: 0,
      outcome: "failed",
      requestId: "",
      errorType: ""
    })
    assert.isTrue(Result.isSuccess(result))
    const entry = Result.getOrThrow(result)
    assert.deepStrictEqual(entry, {
      entryId: ID,
      recordedAt: AT,
      requestId: null,
      requestTimestamp: null,
      serverTimestamp: null,
      section: "Orders",
      operation: "ListOrders",
      sellerId: "A2EXAMPLE",
      marketplace: null,
      httpStatus: null,
      errorCode: null,
      errorType: null,
      errorClass: null,
      message: null,
      attempt: 1,
      callId: "call-1",
      durationMs: 0,
      delayBeforeMs: 0,
      quotaMax: null,
      quotaRemaining: null,
      quotaResetsOn: null,
      outcome: "failed",
      params: {}
    })
    assert.deepStrictEqual(JSON.parse(JSON.stringify(entry)), entry)
  })

  it("fails with a typed error naming the field, never throws", () => {
    assert.include(issueOf(sampleInput({ attempt: 0 })), "attempt")
    assert.include(issueOf(sampleInput({ httpStatus: 42.5 })), "httpStatus")
    assert.include(issueOf(sampleInput({ httpStatus: 700 })), "httpStatus")
    assert.include(issueOf(sampleInput({ operation: "" })), "operation")
    assert.include(issueOf(sampleInput({ durationMs: Number.NaN })), "durationMs")
    assert.include(issueOf(sampleInput({ durationMs: -1 })), "durationMs")
    assert.include(issueOf(sampleInput({ quotaRemaining: -3 })), "quotaRemaining")
    assert.include(issueOf(sampleInput({ requestId: "x".repeat(LedgerEntry.FIELD_MAX_CHARS + 1) })), "requestId")
    assert.include(issueOf({ ...sampleInput(), outcome: "maybe" as never }), "outcome")
    assert.include(issueOf({ ...sampleInput(), errorClass: "nope" as never }), "errorClass")
    assert.include(issueOf({ ...sampleInput(), sellerId: undefined as never }), "sellerId")
    const notAnObject = LedgerEntry.make(null as never, ID, AT)
    assert.isTrue(Result.isFailure(notAnObject))
  })

  it("keeps allow-listed parameters only: credentials and the signature are dropped", () => {
    const entry = Result.getOrThrow(
      make(
        sampleInput({
          params: {
            Signature: "c2VjcmV0LXNpZ25hdHVyZQ==",
            SignatureMethod: "HmacSHA256",
            SignatureVersion: "2",
            AWSAccessKeyId: "AKIAIOSFODNN7EXAMPLE",
            MWSAuthToken: "amzn.mws.4ea38b7b-f563-7709-4bae-87aeaEXAMPLE",
            SecretKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            ReportType: "_GET_FLAT_FILE_OPEN_LISTINGS_DATA_",
            "MarketplaceId.Id.1": "ATVPDKIKX0DER",
            "ASINList.ASIN.1": "B00EXAMPLE",
            MaxResultsPerPage: 100,
            PurgeAndReplace: false,
            SomethingElse: "dropped",
            NextToken: "dropped too",
            ReportRequestId: undefined
          }
        })
      )
    )
    assert.deepStrictEqual(entry.params, {
      ReportType: "_GET_FLAT_FILE_OPEN_LISTINGS_DATA_",
      "MarketplaceId.Id.1": "ATVPDKIKX0DER",
      "ASINList.ASIN.1": "B00EXAMPLE",
      MaxResultsPerPage: "100",
      PurgeAndReplace: "false"
    })
    const serialized = JSON.stringify(entry)
    for (const secret of ["c2VjcmV0", "AKIAIOSFODNN7EXAMPLE", "amzn.mws", "wJalrXUtnFEMI", "HmacSHA256"]) {
      assert.notInclude(serialized, secret)
    }
  })

  it("never stores a credential name even when an allow-list lists it, in any case", () => {
    const allowed = new Set([...LedgerEntry.ALLOWED_PARAMS, "Signature", "mwsauthtoken"])
    const params = LedgerEntry.filterParams({ Signature: "s", mwsauthtoken: "t", "signature.1": "u" }, allowed)
    assert.deepStrictEqual(params, {})
    assert.isTrue(LedgerEntry.isNeverStored("MWSAuthToken"))
    assert.isTrue(LedgerEntry.isNeverStored("awsaccesskeyid"))
    assert.isFalse(LedgerEntry.isNeverStored("ReportType"))
  })

  it("bounds parameters: value length and count", () => {
    const many = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`ASINList.ASIN.${i + 1}`, `B0${i}`]))
    const params = LedgerEntry.filterParams({ ...many, ReportType: "y".repeat(1000) })
    assert.strictEqual(Object.keys(params).length, LedgerEntry.PARAMS_MAX)
    const long = LedgerEntry.filterParams({ ReportType: "y".repeat(1000) })
    assert.strictEqual(long.ReportType!.length, LedgerEntry.PARAM_VALUE_MAX_CHARS)
    assert.isTrue(long.ReportType!.endsWith("…"))
  })

  it("bounds the message and scrubs anything that looks like a credential", () => {
    const long = Result.getOrThrow(make(sampleInput({ message: "m".repeat(5000) })))
    assert.strictEqual(long.message!.length, LedgerEntry.MESSAGE_MAX_CHARS)
    assert.isTrue(long.message!.endsWith("…"))
    const emoji = LedgerEntry.boundMessage("😀".repeat(LedgerEntry.MESSAGE_MAX_CHARS))!
    assert.isAtMost(emoji.length, LedgerEntry.MESSAGE_MAX_CHARS)
    assert.isFalse(/[\ud800-\udbff]…$/.test(emoji), "never ends in half a surrogate pair")
    const scrubbed = LedgerEntry.boundMessage(
      "The signature does not match: GET /Orders?AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&Signature=abc%2Bdef&" +
        "MWSAuthToken=amzn.mws.4ea38b7b-f563-7709-4bae-87aeaEXAMPLE&SellerId=A2 (key AKIAI44QH8DHBEXAMPLE)"
    )!
    assert.strictEqual(
      scrubbed,
      "The signature does not match: GET /Orders?AWSAccessKeyId=[redacted]&Signature=[redacted]&" +
        "MWSAuthToken=[redacted]&SellerId=A2 (key [redacted])"
    )
    assert.strictEqual(
      LedgerEntry.boundMessage("token amzn.mws.4ea38b7b-f563-7709-4bae-87aeaEXAMPLE"),
      "token [redacted]"
    )
  })

  it("says an entry is complete when it has a RequestId and the request's Timestamp", () => {
    assert.isTrue(LedgerEntry.isComplete(Result.getOrThrow(make(sampleInput()))))
    assert.isFalse(LedgerEntry.isComplete(Result.getOrThrow(make(sampleInput({ requestId: null })))))
    assert.isFalse(LedgerEntry.isComplete(Result.getOrThrow(make(sampleInput({ requestTimestamp: null })))))
  })
})

describe("LedgerEntry.newId", () => {
  it("makes UUID version 7 ids that sort in the order they were made, within and across milliseconds", () => {
    const made = [
      ...Array.from({ length: 300 }, () => LedgerEntry.newId(1_764_000_000_000)),
      ...Array.from({ length: 300 }, () => LedgerEntry.newId(1_764_000_000_001)),
      LedgerEntry.newId(1_764_000_000_500)
    ]
    for (const id of made) {
      assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    }
    assert.deepStrictEqual([...made].sort(), made)
    assert.strictEqual(new Set(made).size, made.length)
    assert.isTrue(made[0]!.startsWith("019ab697-e800-7"), "the first 48 bits are the milliseconds")
  })
})

describe("the fast entry check", () => {
  const text = fc.oneof(fc.string({ maxLength: 5 }), fc.string({ minLength: 250, maxLength: 260 }))
  const optionalText = fc.oneof(fc.constant(null), text)
  const number = fc.oneof(
    fc.double(),
    fc.integer({ min: -5, max: 1000 }),
    fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, 0, 1, 599, 600, 99, 100, 2 ** 53)
  )
  const entry = fc.record({
    entryId: text,
    recordedAt: text,
    requestId: optionalText,
    requestTimestamp: optionalText,
    serverTimestamp: optionalText,
    section: text,
    operation: text,
    sellerId: text,
    marketplace: optionalText,
    httpStatus: fc.oneof(fc.constant(null), number),
    errorCode: optionalText,
    errorType: optionalText,
    errorClass: fc.oneof(fc.constant(null), fc.constantFrom(...LedgerEntry.ErrorClass.literals, "Transient", "")),
    message: fc.oneof(fc.constant(null), fc.string({ maxLength: 3 }), fc.string({ minLength: 999, maxLength: 1002 })),
    attempt: number,
    callId: text,
    durationMs: number,
    delayBeforeMs: number,
    quotaMax: fc.oneof(fc.constant(null), number),
    quotaRemaining: fc.oneof(fc.constant(null), number),
    quotaResetsOn: optionalText,
    outcome: fc.constantFrom(...LedgerEntry.Outcome.literals, "gave_up"),
    params: fc.dictionary(fc.string({ maxLength: 4 }), fc.oneof(fc.string({ maxLength: 4 }), fc.integer()), {
      maxKeys: 3
    })
  })
  const isValid = Schema.is(LedgerEntry.LedgerEntry)

  it("agrees with the LedgerEntry schema on every generated entry", () => {
    fc.assert(
      fc.property(entry, (candidate) => {
        const e = candidate as unknown as LedgerEntry.LedgerEntry
        assert.strictEqual(!failsFastCheck(e), isValid(e), JSON.stringify(candidate))
      }),
      { numRuns: 5000, seed: 42 }
    )
  })

  it("accepts the valid entries record builds", () => {
    fc.assert(
      fc.property(
        fc.record({
          requestId: fc.option(fc.uuid(), { nil: null }),
          httpStatus: fc.option(fc.integer({ min: 100, max: 599 }), { nil: null }),
          attempt: fc.integer({ min: 1, max: 10 }),
          durationMs: fc.double({ min: 0, max: 1e6, noNaN: true }),
          message: fc.option(fc.string({ maxLength: 2000 }), { nil: null })
        }),
        (overrides) => {
          const built = make(sampleInput(overrides))
          assert.isTrue(Result.isSuccess(built))
          assert.isTrue(isValid(Result.getOrThrow(built)))
        }
      ),
      { numRuns: 1000, seed: 7 }
    )
  })
})

describe("LedgerEntry.decode", () => {
  it("accepts a stored entry and reports the issue of a damaged one", () => {
    const entry = Result.getOrThrow(make(sampleInput()))
    assert.deepStrictEqual(LedgerEntry.decode(JSON.parse(JSON.stringify(entry))), Result.succeed(entry))
    const damaged = LedgerEntry.decode({ ...entry, attempt: "one" })
    assert.isTrue(Result.isFailure(damaged))
    if (Result.isFailure(damaged)) assert.include(damaged.failure, "attempt")
  })
})
