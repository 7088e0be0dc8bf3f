import { assert, describe, it } from "@effect/vitest"
import { ConfigProvider, Effect, Redacted } from "effect"
import { ClientConfig } from "../src/index.ts"
import { failureOf } from "./helpers.ts"

const base = { MWS_ACCESS_KEY_ID: "AKIAEXAMPLE", MWS_SECRET_ACCESS_KEY: "s3cr3t-value", MWS_SELLER_ID: "A1SELLER" }

const failure = (settings: ClientConfig.RawSettings) =>
  Effect.gen(function* () {
    const exit = yield* Effect.exit(ClientConfig.fromSettings(settings))
    return failureOf(exit)
  })

describe("ClientConfig", () => {
  it.effect("a region gives its endpoint; secrets are redacted", () =>
    Effect.gen(function* () {
      const config = yield* ClientConfig.fromSettings({ ...base, MWS_REGION: "eu", MWS_AUTH_TOKEN: "amzn.mws.token" })
      assert.strictEqual(config.endpoint, "https://mws-eu.amazonservices.com")
      assert.strictEqual(config.region, "EU")
      assert.strictEqual(String(config.secretKey), "<redacted>")
      assert.strictEqual(Redacted.value(config.secretKey), "s3cr3t-value")
      assert.notInclude(JSON.stringify(config), "s3cr3t-value")
      assert.notInclude(JSON.stringify(config), "amzn.mws.token")
    })
  )

  it.effect("a marketplace gives its endpoint and MarketplaceId", () =>
    Effect.gen(function* () {
      const config = yield* ClientConfig.fromSettings({ ...base, MWS_MARKETPLACE: "JP" })
      assert.strictEqual(config.endpoint, "https://mws.amazonservices.jp")
      assert.strictEqual(config.marketplace?.marketplaceId, "A1VC38T7YXB528")
      assert.strictEqual(config.region, "FE")
    })
  )

  it.effect("MWS_ENDPOINT wins, and http is allowed on loopback only", () =>
    Effect.gen(function* () {
      const config = yield* ClientConfig.fromSettings({
        ...base,
        MWS_REGION: "NA",
        MWS_ENDPOINT: "http://127.0.0.1:8080"
      })
      assert.strictEqual(config.endpoint, "http://127.0.0.1:8080")
      const error = yield* failure({ ...base, MWS_ENDPOINT: "http://mws.example.com" })
      assert.strictEqual(error.setting, "MWS_ENDPOINT")
      assert.include(error.message, "must use https")
    })
  )

  it.effect("broken settings fail naming the setting", () =>
    Effect.gen(function* () {
      const region = yield* failure({ ...base, MWS_REGION: "XX" })
      assert.strictEqual(region.setting, "MWS_REGION")
      assert.strictEqual(region.message, "MWS_REGION=XX is not a region: use NA, EU, FE or set MWS_ENDPOINT")
      assert.strictEqual((yield* failure({ ...base, MWS_MARKETPLACE: "ZZ" })).setting, "MWS_MARKETPLACE")
      assert.strictEqual(
        (yield* failure({ ...base, MWS_REGION: "EU", MWS_MARKETPLACE: "US" })).setting,
        "MWS_MARKETPLACE"
      )
      assert.strictEqual((yield* failure({ ...base })).setting, "MWS_REGION")
      assert.strictEqual((yield* failure({ ...base, MWS_REGION: "NA", MWS_SELLER_ID: " " })).setting, "MWS_SELLER_ID")
      assert.strictEqual((yield* failure({ MWS_REGION: "NA" })).setting, "MWS_ACCESS_KEY_ID")
      assert.strictEqual(
        (yield* failure({ ...base, MWS_REGION: "NA", MWS_TIMEOUT_MS: "-5" })).setting,
        "MWS_TIMEOUT_MS"
      )
      assert.strictEqual(
        (yield* failure({ ...base, MWS_REGION: "NA", MWS_REDIS_URL: "http://x" })).setting,
        "MWS_REDIS_URL"
      )
      assert.strictEqual(
        (yield* failure({ ...base, MWS_REGION: "NA", MWS_LEDGER: "mysql://u:pw@h/db" })).setting,
        "MWS_LEDGER"
      )
    })
  )

  it.effect("no message shows a secret or a password", () =>
    Effect.gen(function* () {
      const errors = [
        yield* failure({ ...base, MWS_REGION: "NA", MWS_LEDGER: "mysql://user:hunter2@h/db" }),
        yield* failure({ ...base, MWS_REGION: "NA", MWS_REDIS_URL: "http://user:hunter2@h" }),
        yield* failure({ ...base, MWS_ENDPOINT: "https://user:hunter2@mws.example.com" }),
        yield* failure({ ...base, MWS_REGION: "XX" })
      ]
      for (const error of errors) {
        assert.notInclude(error.message, "hunter2")
        assert.notInclude(error.message, "s3cr3t-value")
      }
    })
  )

  it.effect("MWS_LEDGER: default embedded file, a path, a postgres URL, memory", () =>
    Effect.gen(function* () {
      const byDefault = yield* ClientConfig.parseLedger(undefined)
      assert.strictEqual(byDefault._tag, "Sqlite")
      assert.strictEqual((byDefault as { path: string }).path, ClientConfig.defaultLedgerPath())
      assert.isTrue(ClientConfig.defaultLedgerPath().endsWith(".mws-kit/ledger.sqlite"))
      const pg = yield* ClientConfig.parseLedger("postgres://postgres:pw@127.0.0.1:5432/test")
      assert.strictEqual(pg._tag, "Postgres")
      assert.notInclude(JSON.stringify(pg), "pw@")
      assert.strictEqual((yield* ClientConfig.parseLedger(":memory:"))._tag, "Memory")
      assert.strictEqual(((yield* ClientConfig.parseLedger("/tmp/x.sqlite")) as { path: string }).path, "/tmp/x.sqlite")
    })
  )

  it.effect("load reads the variables through Effect Config", () =>
    Effect.gen(function* () {
      const config = yield* ClientConfig.load.pipe(
        Effect.provideService(
          ConfigProvider.ConfigProvider,
          ConfigProvider.fromEnv({ env: { ...base, MWS_REGION: "FE" } })
        )
      )
      assert.strictEqual(config.endpoint, "https://mws-fe.amazonservices.com")
      assert.strictEqual(config.sellerId, "A1SELLER")
    })
  )
})
