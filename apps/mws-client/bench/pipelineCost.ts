/**
 * The CPU cost of the client's pipeline alone: `MwsClient.call` against a
 * stub transport that answers at once with a small ListOrderItems body, so
 * what is timed is Effect's runtime, signing, the throttle permit, the retry
 * policy, the body check and the ledger entry, and no network. It explains
 * the overhead figure of bench/index.ts (pipeline against a bare fetch); it
 * has no target of its own.
 *
 * Run: node --conditions=@mws-kit/source bench/pipelineCost.ts (LEDGER=memory
 * for the in-memory ledger store instead of SQLite in a temporary folder).
 */
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { RetryBudget } from "@mws-kit/backoff-policy"
import { Ledger, MemoryStore, SqliteStore } from "@mws-kit/request-ledger"
import { Throttle } from "@mws-kit/throttle"
import { Effect, Layer } from "effect"
import { ClientConfig, MwsClient, Transport } from "../src/index.ts"

/** Calls before timing (JIT, the ledger's writer) and timed calls. */
const WARM_UP_CALLS = 3_000
const TIMED_CALLS = 20_000
/** No throttling: a million times MWS's pace. */
const TIME_SCALE = 1_000_000

const body = new TextEncoder().encode(
  `<?xml version="1.0"?><ListOrderItemsResponse xmlns="https://mws.amazonservices.com/Orders/2013-09-01"><ListOrderItemsResult><AmazonOrderId>902-1</AmazonOrderId><OrderItems><OrderItem><ASIN>B00EXAMPLE</ASIN><QuantityOrdered>1</QuantityOrdered></OrderItem></OrderItems></ListOrderItemsResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></ListOrderItemsResponse>`
)
let answered = 0
const stub = Layer.succeed(Transport.Transport, {
  send: () =>
    Effect.sync(() => ({
      status: 200,
      headers: {
        "x-mws-request-id": `req-${answered++}`,
        "x-mws-timestamp": new Date().toISOString(),
        "content-type": "text/xml"
      },
      body
    }))
})

const dir = mkdtempSync(join(tmpdir(), "mws-client-pipeline-"))
const store =
  process.env.LEDGER === "memory" ? MemoryStore.layer : SqliteStore.layer({ filename: join(dir, "ledger.sqlite") })
const config = ClientConfig.forSandbox({
  url: "http://127.0.0.1:1",
  accessKeyId: "AKIAPIPELINECOST",
  secretKey: "not-a-secret",
  sellerId: "A1PIPELINE",
  timeScale: TIME_SCALE
})
const layer = MwsClient.MwsClient.layer(config).pipe(
  Layer.provideMerge(Throttle.Throttle.layerMemory({ timeScale: TIME_SCALE })),
  Layer.provide(stub),
  Layer.provideMerge(Ledger.layer({ backgroundPrune: false }).pipe(Layer.provide(store))),
  Layer.provide(RetryBudget.RetryBudget.layer())
)
const request = { section: "Orders", operation: "ListOrderItems", params: { AmazonOrderId: "902-1" } } as const

try {
  const microseconds = await Effect.runPromise(
    Effect.gen(function* () {
      const mws = yield* MwsClient.MwsClient
      for (let i = 0; i < WARM_UP_CALLS; i++) yield* mws.call(request)
      const started = performance.now()
      for (let i = 0; i < TIMED_CALLS; i++) yield* mws.call(request)
      return ((performance.now() - started) * 1000) / TIMED_CALLS
    }).pipe(Effect.provide(layer))
  )
  console.log(
    `pipeline cost: ${microseconds.toFixed(1)} us per call (${TIMED_CALLS} sequential calls, stub transport, ${process.env.LEDGER === "memory" ? "memory" : "SQLite"} ledger)`
  )
} finally {
  rmSync(dir, { recursive: true, force: true })
}
