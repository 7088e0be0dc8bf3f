import { assert, describe, it } from "@effect/vitest"
import { Result } from "effect"
import fc from "fast-check"
import { ErrorResponse, ItemErrors, ResponseHeaders } from "../src/index.ts"
import { anyResponse, mutatedBody } from "./arbitraries.ts"

/** Generous: a typical body takes tens of microseconds. A bound, not a benchmark. */
const MAX_MS_PER_CASE = 50

const timedParse = (input: ErrorResponse.ResponseInput) => {
  const started = performance.now()
  const result = ErrorResponse.parse(input)
  return { result, elapsed: performance.now() - started }
}

const check = (input: ErrorResponse.ResponseInput) => {
  const { result, elapsed: first } = timedParse(input)
  // A case over the bound is timed twice more: a garbage-collection pause is not a slow input.
  const elapsed =
    first < MAX_MS_PER_CASE ? first : Math.min(first, timedParse(input).elapsed, timedParse(input).elapsed)
  const error = Result.isSuccess(result) ? result.success : result.failure
  assert.strictEqual(error.httpStatus, input.status)
  const headerId = ResponseHeaders.requestId(ResponseHeaders.normalize(input.headers))
  if (headerId !== undefined) assert.strictEqual(error.requestId, headerId)
  if (Result.isSuccess(result)) assert.isAbove(result.success.code.length, 0)
  else assert.isTrue(result.failure.excerpt.length <= 201)
  assert.isBelow(elapsed, MAX_MS_PER_CASE, "parse took too long")
}

describe("robustness (property tests)", () => {
  it("never throws on any response, and always keeps the status and the header request id", () => {
    fc.assert(
      fc.property(anyResponse, (input) => check(input)),
      { numRuns: 1500 }
    )
  })

  it("never throws on mutations of valid bodies, and a success always has a code", () => {
    fc.assert(
      fc.property(mutatedBody, fc.constantFrom(400, 500, 503), (body, status) => check({ body, status })),
      { numRuns: 1500 }
    )
  })

  it("never throws when looking for item errors, and never pollutes prototypes", () => {
    fc.assert(
      fc.property(anyResponse, (input) => {
        const result = ItemErrors.fromSuccessBody(input)
        assert.isTrue(Result.isSuccess(result) || Result.isFailure(result))
      }),
      { numRuns: 500 }
    )
    assert.isUndefined(({} as Record<string, unknown>).polluted)
    assert.strictEqual(Object.keys(Object.prototype).length, 0)
  })
})
