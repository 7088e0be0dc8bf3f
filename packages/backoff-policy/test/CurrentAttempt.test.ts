import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import { CurrentAttempt } from "../src/index.ts"

describe("CurrentAttempt", () => {
  it.effect("reads as the first attempt outside a retried effect", () =>
    Effect.gen(function* () {
      assert.deepStrictEqual(yield* CurrentAttempt.CurrentAttempt, { attempt: 1, delayBeforeMs: 0 })
      assert.deepStrictEqual(CurrentAttempt.first, { attempt: 1, delayBeforeMs: 0 })
    })
  )
})
