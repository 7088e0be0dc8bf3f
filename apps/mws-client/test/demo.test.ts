import { assert, describe, it } from "@effect/vitest"
import { Console, Effect } from "effect"
import * as Scenario from "../src/demo/scenario.ts"

describe("mws demo", () => {
  it.live(
    "runs every scene: throttled without pacing, not with it; a gave-up call; a support ticket for InternalError",
    () =>
      Effect.gen(function* () {
        const lines: Array<string> = []
        const console: Console.Console = {
          ...globalThis.console,
          log: (...values) => lines.push(values.map(String).join(" ")),
          error: (...values) => lines.push(values.map(String).join(" "))
        }
        // Retry waits 100x faster and a 3-second hour keep the test short; the scenes are the same.
        const result = yield* Scenario.run({ _tag: "Memory" }, { retry: 100, hourly: 1_200 }).pipe(
          Effect.provideService(Console.Console, console)
        )
        assert.isAbove(result.unpacedThrottled, 0)
        assert.strictEqual(result.pacedThrottled, 0)
        assert.isBelow(result.elapsedMs, 60_000)
        const outcomes = Object.fromEntries(result.byOutcome.map((c) => [c.key, c.count]))
        assert.strictEqual(outcomes["gave-up"], 1)
        const codes = result.byCode.map((c) => c.key)
        for (const code of ["InternalError", "RequestThrottled", "QuotaExceeded", "ContentMD5DoesNotMatch"]) {
          assert.include(codes, code)
        }
        assert.include(result.ticket ?? "", "MWS support request: example of InternalError")
        const output = lines.join("\n")
        for (const scene of ["1/6", "2/6", "3/6", "4/6", "5/6", "6/6"]) assert.include(output, scene)
        assert.include(output, "MWS support request: example of InternalError")
      }),
    90_000
  )
})
