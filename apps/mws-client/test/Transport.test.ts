/**
 * The transport reads bodies as streams with caps (issue 13): a declared
 * length over the cap is refused before the body is read, an undeclared one
 * stops at the cap, an error body stops at the parser's cap, a download's
 * MD5 is computed on the way, and the head is reported before the body.
 * A real loopback HTTP server; real time, short.
 */
import { createHash } from "node:crypto"
import { mkdtempSync, readFileSync, rmSync } from "node:fs"
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { assert, describe, it } from "@effect/vitest"
import { Duration, Effect, Redacted } from "effect"
import { ResponseLimit, Transport } from "../src/index.ts"

type Handler = (request: IncomingMessage, response: ServerResponse) => void

/** A loopback server for one test; `written` counts the body bytes it managed to write. */
const serve = (handler: Handler) =>
  Effect.acquireRelease(
    Effect.promise(
      () =>
        new Promise<{ readonly server: Server; readonly url: string }>((resolve) => {
          const server = createServer(handler)
          server.listen(0, "127.0.0.1", () => {
            const { port } = server.address() as { port: number }
            resolve({ server, url: `http://127.0.0.1:${port}/Orders/2013-09-01` })
          })
        })
    ),
    ({ server }) =>
      Effect.promise(
        () =>
          new Promise<void>((resolve) => {
            server.closeAllConnections()
            server.close(() => resolve())
          })
      )
  )

/** Streams `total` bytes of spaces with backpressure; counts what was written until the client went away. */
const streaming = (status: number, total: number, declare: boolean, counter: { written: number }): Handler => {
  return (_request, response) => {
    response.writeHead(status, {
      "content-type": "text/xml",
      "x-mws-request-id": "rid-stream",
      ...(declare ? { "content-length": String(total) } : {})
    })
    const chunk = Buffer.alloc(64 * 1024, 0x20)
    const pump = () => {
      while (counter.written < total && !response.destroyed) {
        const part = chunk.subarray(0, Math.min(chunk.length, total - counter.written))
        counter.written += part.length
        if (!response.write(part)) return void response.once("drain", pump)
      }
      if (!response.destroyed) response.end()
    }
    pump()
  }
}

const request = (url: string, extra: Partial<Transport.TransportRequest> = {}): Transport.TransportRequest => ({
  signed: {
    method: "POST",
    url,
    host: "127.0.0.1",
    encoded: Redacted.make("Action=ListOrders"),
    placement: "form",
    timestamp: "2026-12-04T10:00:00.000Z"
  },
  userAgent: "mws-kit-test/1.0",
  timeout: Duration.seconds(10),
  section: "Orders",
  operation: "ListOrders",
  ...extra
})

const send = (req: Transport.TransportRequest) =>
  Effect.flatMap(Effect.service(Transport.Transport), (transport) => transport.send(req)).pipe(
    Effect.provide(Transport.Transport.layerNode)
  )

const MIB = 1024 * 1024

describe("Transport: bounded reads", () => {
  it.live("a declared length over the cap is refused without reading the body", () =>
    Effect.gen(function* () {
      const counter = { written: 0 }
      const { url } = yield* serve(streaming(200, 200 * MIB, true, counter))
      const response = yield* send(request(url, { maxBodyBytes: MIB }))
      assert.isTrue(response.overLimit)
      assert.strictEqual(response.body.length, 0)
      assert.strictEqual(response.limitBytes, MIB)
      yield* Effect.sleep("200 millis")
      // The connection was closed: the server got nowhere near the 200 MiB.
      assert.isBelow(counter.written, 32 * MIB)
    })
  )

  it.live("an undeclared length (chunked) stops at the cap", () =>
    Effect.gen(function* () {
      const counter = { written: 0 }
      const { url } = yield* serve(streaming(200, 200 * MIB, false, counter))
      const response = yield* send(request(url, { maxBodyBytes: 2 * MIB }))
      assert.isTrue(response.overLimit)
      assert.strictEqual(response.body.length, 0)
      yield* Effect.sleep("200 millis")
      assert.isBelow(counter.written, 40 * MIB)
    })
  )

  it.live("a body within the cap is read whole, its head reported first, its MD5 computed on the way", () =>
    Effect.gen(function* () {
      const counter = { written: 0 }
      const { url } = yield* serve(streaming(200, 3 * MIB + 17, false, counter))
      const heads: Array<Transport.ResponseHead> = []
      const response = yield* send(
        request(url, { maxBodyBytes: 4 * MIB, md5: true, onHead: (head) => void heads.push(head) })
      )
      assert.isFalse(response.overLimit)
      assert.strictEqual(response.body.length, 3 * MIB + 17)
      assert.strictEqual(response.md5, createHash("md5").update(response.body).digest("base64"))
      assert.strictEqual(heads.length, 1)
      assert.strictEqual(heads[0]!.status, 200)
      assert.strictEqual(heads[0]!.headers["x-mws-request-id"], "rid-stream")
    })
  )

  it.live("an error body stops one byte past the parser's cap, so the parser can say it is too large", () =>
    Effect.gen(function* () {
      const counter = { written: 0 }
      const { url } = yield* serve(streaming(500, 50 * MIB, true, counter))
      const response = yield* send(request(url))
      assert.strictEqual(response.status, 500)
      assert.isTrue(response.overLimit)
      assert.strictEqual(response.body.length, ResponseLimit.MAX_ERROR_BODY_BYTES)
      yield* Effect.sleep("200 millis")
      assert.isBelow(counter.written, 32 * MIB)
    })
  )

  it.live("a destination: the body streams into the file, hashed on the way, nothing kept in memory", () =>
    Effect.gen(function* () {
      const counter = { written: 0 }
      const { url } = yield* serve(streaming(200, 20 * MIB + 3, false, counter))
      const dir = mkdtempSync(join(tmpdir(), "mws-transport-"))
      yield* Effect.addFinalizer(() => Effect.sync(() => rmSync(dir, { recursive: true, force: true })))
      const path = join(dir, "report.txt")
      const response = yield* send(request(url, { maxBodyBytes: MIB, md5: true, destination: path }))
      assert.strictEqual(response.body.length, 0)
      assert.strictEqual(response.bytesWritten, 20 * MIB + 3)
      const file = readFileSync(path)
      assert.strictEqual(file.length, 20 * MIB + 3)
      assert.strictEqual(response.md5, createHash("md5").update(file).digest("base64"))
      assert.isUndefined(response.destinationError)
    })
  )

  it.live("a destination that cannot be written: the reason, not a transport failure", () =>
    Effect.gen(function* () {
      const counter = { written: 0 }
      const { url } = yield* serve(streaming(200, MIB, true, counter))
      const response = yield* send(request(url, { md5: true, destination: "/nonexistent-dir/report.txt" }))
      assert.strictEqual(response.status, 200)
      assert.match(response.destinationError ?? "", /^ENOENT: /)
      assert.isUndefined(response.md5)
    })
  )
})
