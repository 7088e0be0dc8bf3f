/**
 * The client assembled from a configuration, with the shared services a
 * fleet uses: the ledger in PostgreSQL (MWS_LEDGER=postgres://...) and the
 * throttle in Redis (MWS_REDIS_URL). Skipped with a visible message unless
 * MWS_KIT_PG_URL / MWS_KIT_REDIS_URL are set.
 */
import { execFileSync } from "node:child_process"
import { assert, describe, it } from "@effect/vitest"
import { Ledger } from "@mws-kit/request-ledger"
import { Sandbox } from "@mws-kit/sandbox"
import { Effect, Redacted } from "effect"
import { serviceUrl } from "../../../scripts/test-services.ts"
import { ClientConfig, ClientLayer, MwsClient } from "../src/index.ts"
import { runCli } from "./cliRunner.ts"

const pgUrl = serviceUrl("MWS_KIT_PG_URL", "mws-client: ledger in PostgreSQL")
const redisUrl = serviceUrl("MWS_KIT_REDIS_URL", "mws-client: throttle in Redis")

const sandboxed = Effect.acquireRelease(
  Effect.promise(() => Sandbox.start({ timeScale: 1_000 })),
  (sandbox) => Effect.promise(() => sandbox.close())
)

const configFor = (sandbox: Sandbox.SandboxHandle, overrides: Partial<ClientConfig.ClientConfig>) => ({
  ...ClientConfig.forSandbox({
    url: sandbox.url,
    ...Sandbox.DEFAULT_CREDENTIAL,
    sellerId: `A1SVC${Date.now().toString(36).toUpperCase()}`,
    timeScale: 1_000
  }),
  ...overrides
})

const oneCall = Effect.gen(function* () {
  const mws = yield* MwsClient.MwsClient
  const ledger = yield* Ledger.Ledger
  const response = yield* mws.call({ section: "Orders", operation: "GetServiceStatus" })
  yield* ledger.flush
  const found = yield* ledger.byRequestId(response.metadata.requestId!)
  return { response, found }
})

describe.skipIf(pgUrl === undefined)("with the ledger in PostgreSQL", () => {
  it.live("MWS_LEDGER=postgres://... records every attempt there", () =>
    Effect.gen(function* () {
      const sandbox = yield* sandboxed
      const ledger = yield* ClientConfig.parseLedger(pgUrl!)
      assert.strictEqual(ledger._tag, "Postgres")
      const { response, found } = yield* oneCall.pipe(
        Effect.provide(ClientLayer.live(configFor(sandbox, { ledger }), { ledger: { backgroundPrune: false } }))
      )
      assert.strictEqual(found.length, 1)
      assert.strictEqual(found[0]!.requestTimestamp, response.metadata.requestTimestamp)
    })
  )
})

/** Runs SQL statements as the test database's owner. */
const psql = (url: string, statements: ReadonlyArray<string>) => {
  for (const statement of statements) execFileSync("psql", [url, "-v", "ON_ERROR_STOP=1", "-qc", statement])
}

describe.skipIf(pgUrl === undefined)("reading a PostgreSQL ledger", () => {
  it.live("`mws ledger find` works for a role that may only SELECT: no DDL, no write when reading", () =>
    Effect.gen(function* () {
      const sandbox = yield* sandboxed
      const ledger = yield* ClientConfig.parseLedger(pgUrl!)
      const { response } = yield* oneCall.pipe(
        Effect.provide(ClientLayer.live(configFor(sandbox, { ledger }), { ledger: { backgroundPrune: false } }))
      )
      const role = `mws_kit_reader_${Date.now().toString(36)}`
      psql(pgUrl!, [
        `CREATE ROLE ${role} LOGIN`,
        `GRANT USAGE ON SCHEMA public TO ${role}`,
        `GRANT SELECT ON ALL TABLES IN SCHEMA public TO ${role}`
      ])
      yield* Effect.addFinalizer(() => Effect.sync(() => psql(pgUrl!, [`DROP OWNED BY ${role}`, `DROP ROLE ${role}`])))
      const asReader = new URL(pgUrl!)
      asReader.username = role
      asReader.password = ""
      const requestId = response.metadata.requestId!
      const found = yield* runCli(["ledger", "find", requestId, "--json"], { MWS_LEDGER: asReader.toString() })
      assert.strictEqual(found.code, 0, found.err)
      assert.include(found.out, requestId)
      // The same role cannot open the ledger for writing: the read path is what made the difference.
      const written = yield* Effect.exit(
        oneCall.pipe(
          Effect.provide(
            ClientLayer.live(
              configFor(sandbox, { ledger: { _tag: "Postgres", url: Redacted.make(asReader.toString()) } }),
              {
                ledger: { backgroundPrune: false }
              }
            )
          )
        )
      )
      assert.isTrue(written._tag === "Failure")
    })
  )
})

describe.skipIf(redisUrl === undefined)("with the throttle in Redis", () => {
  it.live("MWS_REDIS_URL shares the buckets: a second client sees the first's burst", () =>
    Effect.gen(function* () {
      const sandbox = yield* sandboxed
      const config = configFor(sandbox, { redisUrl: Redacted.make(redisUrl!), ledger: { _tag: "Memory" } })
      const layer = ClientLayer.live(config, { redisPrefix: `mws-client-test:${Date.now()}:` })
      // GetServiceStatus: 2 at once, then one every 5 minutes (300 ms at 1000x).
      const started = Date.now()
      for (let i = 0; i < 3; i++) {
        yield* oneCall.pipe(Effect.provide(layer))
      }
      assert.isAtLeast(Date.now() - started, 250, "the third call waited for the shared bucket")
      assert.notInclude(
        sandbox.requests().map((r) => r.code),
        "RequestThrottled"
      )
    })
  )
})
