// #region ticket
import { ClientConfig, ClientLayer, MwsClient } from "@mws-kit/mws-client"
import { Ledger } from "@mws-kit/request-ledger"
import { Sandbox } from "@mws-kit/sandbox"
import { Effect, Option } from "effect"

export const program = Effect.gen(function* () {
  const mws = yield* MwsClient.MwsClient
  const ledger = yield* Ledger.Ledger

  // A GetOrder that never recovers: six 500s, then a RetryGaveUp listing every attempt.
  const gaveUp = yield* mws
    .call({ section: "Orders", operation: "GetOrder", params: { "AmazonOrderId.Id": ["902-1000000-7000000"] } })
    .pipe(Effect.flip)
  if (gaveUp._tag !== "RetryGaveUp") return yield* Effect.die(gaveUp)
  const last = gaveUp.attempts.at(-1)! // { attempt: 6, requestId, timestamp, code: "InternalError", ... }

  // The same attempts, from the ledger: by RequestId, then the best example for the code.
  yield* ledger.flush
  const entries = yield* ledger.byRequestId(last.requestId ?? "")
  const example = yield* ledger.bestExample({ errorCode: "InternalError" })
  return {
    printed: String(gaveUp), // "Gave up after 6 attempts (exhausted), manual follow-up needed: #1 InternalError ..."
    requestIds: gaveUp.attempts.map((attempt) => attempt.requestId),
    outcome: entries[0]?.outcome, // "gave-up"
    ticket: Option.map(example, (found) => found.ticket) // the block to paste into the support case
  }
})
// #endregion ticket

// #region main
/** Against a sandbox whose next six GetOrder calls answer 500 InternalError, with an in-memory ledger. */
export const main = Effect.gen(function* () {
  const sandbox = yield* Sandbox.Sandbox
  const config = ClientConfig.forSandbox({
    url: sandbox.url,
    ...Sandbox.DEFAULT_CREDENTIAL,
    sellerId: Sandbox.DEFAULT_SELLER_ID,
    timeScale: 100
  })
  return yield* program.pipe(Effect.provide(ClientLayer.live(config))) // provides MwsClient and Ledger
}).pipe(
  Effect.provide(
    Sandbox.Sandbox.layer({
      timeScale: 100,
      faults: { GetOrder: Array.from({ length: 6 }, () => ({ kind: "internal-error" as const })) }
    })
  )
)
// #endregion main
