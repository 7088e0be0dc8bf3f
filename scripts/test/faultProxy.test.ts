import { connect, createServer, type Server } from "node:net"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type FaultProxy, startFaultProxy } from "../faultProxy.ts"

// An echo server as the target: what goes in comes back.
let echo: Server
let echoPort = 0
let proxy: FaultProxy

const exchange = (
  port: number,
  payload: string,
  waitMs = 400
): Promise<{ readonly data: string; readonly closed: boolean; readonly error?: string }> =>
  new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1")
    let data = ""
    let closed = false
    let error: string | undefined
    socket.on("connect", () => socket.write(payload))
    socket.on("data", (chunk) => {
      data += chunk.toString()
    })
    socket.on("error", (e: NodeJS.ErrnoException) => {
      error = e.code ?? e.message
    })
    socket.on("close", () => {
      closed = true
    })
    setTimeout(() => {
      socket.destroy()
      resolve({ data, closed, ...(error === undefined ? {} : { error }) })
    }, waitMs)
  })

beforeAll(async () => {
  echo = createServer((socket) => socket.pipe(socket))
  await new Promise<void>((resolve) => echo.listen(0, "127.0.0.1", resolve))
  echoPort = (echo.address() as { port: number }).port
  proxy = await startFaultProxy({ target: { host: "127.0.0.1", port: echoPort } })
})

afterAll(async () => {
  await proxy.close()
  await new Promise<void>((resolve) => echo.close(() => resolve()))
})

describe("faultProxy", () => {
  it("passes traffic both ways", async () => {
    proxy.setMode("pass")
    expect((await exchange(proxy.port, "hello")).data).toBe("hello")
  })

  it("swallow accepts and never answers, also on a connection opened before", async () => {
    proxy.setMode("swallow")
    const result = await exchange(proxy.port, "hello")
    expect(result).toEqual({ data: "", closed: false })
    proxy.setMode("pass")
    const open = connect(proxy.port, "127.0.0.1")
    let data = ""
    open.on("data", (chunk) => {
      data += chunk.toString()
    })
    await new Promise((resolve) => open.on("connect", resolve))
    open.write("a")
    await new Promise((resolve) => setTimeout(resolve, 100))
    proxy.setMode("swallow")
    open.write("b")
    await new Promise((resolve) => setTimeout(resolve, 200))
    open.destroy()
    expect(data).toBe("a")
  })

  it("refuse resets every new connection", async () => {
    proxy.setMode("refuse")
    const result = await exchange(proxy.port, "hello")
    expect(result.data).toBe("")
    expect(result.closed).toBe(true)
    expect(result.error).toBe("ECONNRESET")
  })

  it("close-mid-stream forwards some bytes, then closes", async () => {
    proxy.setMode("close-mid-stream", { closeAfterBytes: 3 })
    const result = await exchange(proxy.port, "hello world")
    expect(result.data).toBe("hel")
    expect(result.closed).toBe(true)
  })

  it("drip forwards a few bytes per tick", async () => {
    proxy.setMode("drip", { dripBytes: 1, dripIntervalMs: 100 })
    const result = await exchange(proxy.port, "abcdefghij", 350)
    expect(result.data.length).toBeGreaterThanOrEqual(2)
    expect(result.data.length).toBeLessThanOrEqual(5)
    expect("abcdefghij".startsWith(result.data)).toBe(true)
  })

  it("delay holds each chunk", async () => {
    proxy.setMode("delay", { delayMs: 300 })
    expect((await exchange(proxy.port, "x", 200)).data).toBe("")
    expect((await exchange(proxy.port, "y", 900)).data).toBe("y")
  })

  it("rewrites a URL's host and port", () => {
    expect(proxy.url("redis://user:secret@10.0.0.9:6379/2")).toBe(`redis://user:secret@127.0.0.1:${proxy.port}/2`)
  })
})
