import { createServer } from "node:http"
import type { AddressInfo } from "node:net"
import { assert, describe, it } from "@effect/vitest"
import { Sandbox } from "@mws-kit/sandbox"
import { ConfigProvider, Effect, Layer } from "effect"
import { ClientConfig, ClientLayer, MwsClient, Observability } from "../src/index.ts"
import { SECRET, TOKEN } from "./helpers.ts"

/** A stand-in OTLP collector: keeps every body posted to it. */
const collector = Effect.acquireRelease(
  Effect.promise(
    () =>
      new Promise<{ readonly url: string; readonly bodies: Array<string>; readonly close: () => void }>((resolve) => {
        const bodies: Array<string> = []
        const server = createServer((request, response) => {
          let body = ""
          request.on("data", (chunk: Buffer) => {
            body += chunk.toString("utf8")
          })
          request.on("end", () => {
            bodies.push(`${request.url} ${body}`)
            response.writeHead(200, { "content-type": "application/json" }).end("{}")
          })
        })
        server.listen(0, "127.0.0.1", () =>
          resolve({
            url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
            bodies,
            close: () => server.close()
          })
        )
      })
  ),
  (c) => Effect.sync(() => c.close())
)

describe("Observability", () => {
  it.live("exports a span per call and per attempt over OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set", () =>
    Effect.gen(function* () {
      const otlp = yield* collector
      const sandbox = yield* Effect.acquireRelease(
        Effect.promise(() =>
          Sandbox.start({ timeScale: 1_000, credentials: [{ accessKeyId: "AKIAOTLPTEST", secretKey: SECRET }] })
        ),
        (s) => Effect.promise(() => s.close())
      )
      sandbox.faults.script("GetOrder", [{ kind: "internal-error" }])
      const config = ClientConfig.forSandbox({
        url: sandbox.url,
        accessKeyId: "AKIAOTLPTEST",
        secretKey: SECRET,
        authToken: TOKEN,
        sellerId: Sandbox.DEFAULT_SELLER_ID,
        timeScale: 1_000
      })
      const env = ConfigProvider.fromEnv({ env: { OTEL_EXPORTER_OTLP_ENDPOINT: otlp.url } })
      yield* Effect.gen(function* () {
        const mws = yield* MwsClient.MwsClient
        yield* mws.call({
          section: "Orders",
          operation: "GetOrder",
          params: { "AmazonOrderId.Id": ["902-1000000-7000000"] }
        })
      }).pipe(
        Effect.provide(ClientLayer.live(config)),
        Effect.provide(Layer.provide(Observability.layer, Layer.succeed(ConfigProvider.ConfigProvider, env)))
      )
      const exported = otlp.bodies.join("\n")
      assert.include(exported, "/v1/traces")
      assert.include(exported, "MwsClient.call")
      assert.include(exported, "MwsClient.attempt")
      assert.include(exported, "mws.request_id")
      assert.include(exported, "InternalError")
      assert.notInclude(exported, SECRET)
      assert.notInclude(exported, TOKEN)
      assert.notInclude(exported, "Signature=")
    })
  )
})
