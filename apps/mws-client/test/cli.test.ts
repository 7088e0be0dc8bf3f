import { mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { assert, describe, it } from "@effect/vitest"
import { Sandbox } from "@mws-kit/sandbox"
import { Effect } from "effect"
import { runCli } from "./cliRunner.ts"
import { SECRET, TOKEN } from "./helpers.ts"

const ACCESS_KEY = "AKIACLITESTEXAMPLE01"

describe("mws CLI", () => {
  it.live(
    "call, ledger find / list / best-example / stats / export: readable output, exit codes, no secret printed",
    () =>
      Effect.gen(function* () {
        const dir = mkdtempSync(join(tmpdir(), "mws-cli-"))
        yield* Effect.addFinalizer(() => Effect.sync(() => rmSync(dir, { recursive: true, force: true })))
        const sandbox = yield* Effect.acquireRelease(
          Effect.promise(() =>
            Sandbox.start({ timeScale: 1_000, credentials: [{ accessKeyId: ACCESS_KEY, secretKey: SECRET }] })
          ),
          (s) => Effect.promise(() => s.close())
        )
        const env = {
          MWS_ENDPOINT: sandbox.url,
          MWS_ACCESS_KEY_ID: ACCESS_KEY,
          MWS_SECRET_ACCESS_KEY: SECRET,
          MWS_AUTH_TOKEN: TOKEN,
          MWS_SELLER_ID: Sandbox.DEFAULT_SELLER_ID,
          MWS_LEDGER: join(dir, "ledger.sqlite"),
          MWS_TIME_SCALE: "1000"
        }
        const outputs: Array<string> = []
        const cli = (...args: ReadonlyArray<string>) =>
          Effect.tap(runCli(args, env), (r) => Effect.sync(() => outputs.push(r.out, r.err)))

        const ok = yield* cli(
          "call",
          "Orders",
          "ListOrders",
          "MarketplaceId.Id.1=ATVPDKIKX0DER",
          "CreatedAfter=2026-01-01T00:00:00Z"
        )
        assert.strictEqual(ok.code, 0, ok.err)
        assert.match(ok.out, /Orders\/ListOrders {2}HTTP 200/)
        const requestId = /RequestId:\s+(\S+)/.exec(ok.out)![1]!
        assert.include(ok.out, "AmazonOrderId")

        const json = yield* cli("call", "Orders", "GetServiceStatus", "--json")
        assert.strictEqual(json.code, 0, json.err)
        assert.strictEqual(JSON.parse(json.out).result.Status, "GREEN")

        sandbox.faults.script(
          "GetOrder",
          Array.from({ length: 6 }, () => ({ kind: "internal-error" as const }))
        )
        const gaveUp = yield* cli("call", "Orders", "GetOrder", "AmazonOrderId.Id.1=902-1000000-7000000")
        assert.strictEqual(gaveUp.code, 1)
        assert.include(gaveUp.err, "Gave up after 6 attempts")
        assert.include(gaveUp.err, "InternalError")
        assert.match(gaveUp.err, /RequestId [0-9a-f-]{36}/)
        assert.include(gaveUp.err, "What to do:")
        assert.include(gaveUp.err, "retry at once, then after 1s, 4s, 10s and 30s")

        const client = yield* cli("call", "Orders", "ListOrders", "CreatedAfter=2026-01-01T00:00:00Z")
        assert.strictEqual(client.code, 1)
        assert.include(client.err, "MissingParameter")
        assert.match(client.err, /RequestId:\s+[0-9a-f-]{36}/)
        assert.match(client.err, /Timestamp:\s+\d{4}-\d\d-\d\dT/)
        assert.include(client.err, "What to do:")

        const usage = yield* cli("call", "Orders", "ListOrders", "NoEqualsSign")
        assert.strictEqual(usage.code, 2)
        const missing = yield* cli("call", "Orders")
        assert.strictEqual(missing.code, 2)

        const badRegion = yield* runCli(["call", "Orders", "ListOrders"], {
          ...env,
          MWS_ENDPOINT: "",
          MWS_REGION: "XX"
        })
        assert.strictEqual(badRegion.code, 2)
        assert.include(badRegion.err, "MWS_REGION=XX is not a region: use NA, EU, FE or set MWS_ENDPOINT")

        const found = yield* cli("ledger", "find", requestId)
        assert.strictEqual(found.code, 0, found.err)
        assert.include(found.out, `RequestId ${requestId}`)
        const notFound = yield* cli("ledger", "find", "no-such-id")
        assert.strictEqual(notFound.code, 3)

        const list = yield* cli("ledger", "list", "--json", "--outcome", "gave-up")
        assert.strictEqual(list.code, 0, list.err)
        assert.strictEqual(JSON.parse(list.out).entries.length, 1)

        const example = yield* cli("ledger", "best-example", "InternalError")
        assert.strictEqual(example.code, 0, example.err)
        assert.include(example.out, "MWS support request: example of InternalError")
        assert.include(example.out, "Attempts of this call (6)")
        const noExample = yield* cli("ledger", "best-example", "QuotaExceeded")
        assert.strictEqual(noExample.code, 3)

        const stats = yield* cli("ledger", "stats", "--since", "1h")
        assert.strictEqual(stats.code, 0, stats.err)
        assert.include(stats.out, "InternalError")

        const csv = join(dir, "export.csv")
        const exported = yield* cli("ledger", "export", "--format", "csv", "--output", csv)
        assert.strictEqual(exported.code, 0, exported.err)
        const lines = readFileSync(csv, "utf8").trim().split("\r\n")
        assert.isAtLeast(lines.length, 10)

        const pruned = yield* cli("ledger", "prune")
        assert.strictEqual(pruned.code, 0, pruned.err)

        const everything = outputs.join("\n") + readFileSync(csv, "utf8")
        assert.notInclude(everything, SECRET)
        assert.notInclude(everything, TOKEN)
        assert.notInclude(everything, encodeURIComponent(TOKEN))
      }),
    60_000
  )

  it.live("help exits 0; an unknown command is a usage error", () =>
    Effect.gen(function* () {
      const help = yield* runCli(["--help"], {})
      assert.strictEqual(help.code, 0)
      assert.include(help.out, "ledger")
      const unknown = yield* runCli(["frobnicate"], {})
      assert.strictEqual(unknown.code, 2)
    })
  )
})
