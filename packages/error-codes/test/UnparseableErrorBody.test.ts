import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { UnparseableErrorBody } from "../src/index.ts"

const page = new UnparseableErrorBody.UnparseableErrorBody({
  reason: "html",
  errorClass: "transient",
  httpStatus: 502,
  contentType: "text/html",
  requestId: "hdr-1",
  bodyBytes: 1234,
  excerpt: "<html><body>Bad Gateway</body></html>"
})

describe("UnparseableErrorBody", () => {
  it("prints the reason, status, RequestId and the start of the body", () => {
    assert.strictEqual(
      String(page),
      'Unparseable error body (html): HTTP 502, RequestId hdr-1, Timestamp unknown; body starts "<html><body>Bad Gateway</body></html>"'
    )
    assert.strictEqual(page.message, String(page))
    assert.isTrue(UnparseableErrorBody.isUnparseableErrorBody(page))
  })

  it.effect("round-trips through JSON", () =>
    Effect.gen(function* () {
      const back = yield* UnparseableErrorBody.decode(JSON.parse(JSON.stringify(UnparseableErrorBody.encode(page))))
      assert.deepStrictEqual(back, page)
    })
  )

  it.effect("rejects an unknown reason when decoding", () =>
    Effect.gen(function* () {
      const failure = yield* Effect.flip(
        UnparseableErrorBody.decode({ ...UnparseableErrorBody.encode(page), reason: "cosmic-rays" })
      )
      assert.include(String(failure), "reason")
    })
  )

  it.effect.prop(
    "every failure survives encode, JSON and decode unchanged",
    [UnparseableErrorBody.UnparseableErrorBody],
    ([failure]) =>
      Effect.gen(function* () {
        const back = yield* UnparseableErrorBody.decode(
          JSON.parse(JSON.stringify(UnparseableErrorBody.encode(failure)))
        )
        assert.deepStrictEqual(UnparseableErrorBody.encode(back), UnparseableErrorBody.encode(failure))
        assert.strictEqual(String(back), String(failure))
      }),
    { arbitrary: { runs: 500 } }
  )
})
