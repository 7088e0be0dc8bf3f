/**
 * A loopback TCP fault proxy for the fault-tolerance tests: it sits between
 * the kit and a real dependency (Redis, PostgreSQL, the sandbox) and
 * misbehaves on demand, the way networks and servers do:
 *
 * - `pass`: forwards both ways (the default);
 * - `refuse`: resets every new connection as soon as it is accepted;
 * - `swallow`: accepts and reads, never answers; connections already open
 *   go silent too (a server that "accepts a connection and then never
 *   answers", the case a refused connection does not test);
 * - `close-mid-stream`: forwards `closeAfterBytes` bytes of the answer, then
 *   destroys the connection;
 * - `drip`: forwards the answer `dripBytes` bytes every `dripIntervalMs`;
 * - `delay`: holds every chunk `delayMs` before forwarding it.
 *
 * It listens on 127.0.0.1 only and forwards to the one target it was given.
 *
 * ```ts
 * const proxy = await startFaultProxy({ target: { host: "127.0.0.1", port: 6379 } })
 * const url = proxy.url("redis://127.0.0.1:6379") // redis://127.0.0.1:<proxy port>
 * proxy.setMode("swallow")
 * await proxy.close()
 * ```
 */
import { connect, createServer, type Server, type Socket } from "node:net"

/** How the proxy treats traffic. */
export type FaultMode = "pass" | "refuse" | "swallow" | "close-mid-stream" | "drip" | "delay"

/** Settings of the modes that take one. */
export interface FaultOptions {
  /** `close-mid-stream`: answer bytes forwarded before the connection is destroyed (default 16). */
  readonly closeAfterBytes?: number | undefined
  /** `drip`: bytes forwarded per tick (default 1). */
  readonly dripBytes?: number | undefined
  /** `drip`: milliseconds between ticks (default 100). */
  readonly dripIntervalMs?: number | undefined
  /** `delay`: milliseconds each chunk is held (default 1,000). */
  readonly delayMs?: number | undefined
}

/** A running proxy. */
export interface FaultProxy {
  readonly host: string
  readonly port: number
  /** The mode in force. */
  readonly mode: () => FaultMode
  /** Connections accepted so far. */
  readonly accepted: () => number
  /** Rewrites the host and port of a URL (`redis://u:p@127.0.0.1:6379/0`) to the proxy's. */
  readonly url: (base: string) => string
  /** Switches the mode; it applies to new chunks on open connections too. */
  readonly setMode: (mode: FaultMode, options?: FaultOptions) => void
  /** Destroys every open connection. */
  readonly dropConnections: () => void
  /** Stops listening and destroys every connection. */
  readonly close: () => Promise<void>
}

interface Pair {
  readonly client: Socket
  /** Absent for a connection accepted in `swallow` mode: it never reaches the target. */
  readonly upstream: Socket | undefined
  answered: number
}

/** Starts a proxy to `target` on a free loopback port (or `port`). */
export const startFaultProxy = async (options: {
  readonly target: { readonly host: string; readonly port: number }
  readonly mode?: FaultMode | undefined
  readonly port?: number | undefined
}): Promise<FaultProxy> => {
  let mode: FaultMode = options.mode ?? "pass"
  let settings: FaultOptions = {}
  let accepted = 0
  const pairs = new Set<Pair>()
  const timers = new Set<NodeJS.Timeout>()

  const later = (ms: number, run: () => void) => {
    const timer = setTimeout(() => {
      timers.delete(timer)
      run()
    }, ms)
    timers.add(timer)
  }

  const destroy = (pair: Pair) => {
    pairs.delete(pair)
    pair.client.destroy()
    pair.upstream?.destroy()
  }

  const drip = (pair: Pair, chunk: Buffer) => {
    const size = Math.max(1, settings.dripBytes ?? 1)
    const interval = settings.dripIntervalMs ?? 100
    let at = 0
    const tick = () => {
      if (!pairs.has(pair) || at >= chunk.length) return
      pair.client.write(chunk.subarray(at, at + size))
      at += size
      later(interval, tick)
    }
    tick()
  }

  const forwardAnswer = (pair: Pair, chunk: Buffer) => {
    switch (mode) {
      case "swallow":
        return
      case "close-mid-stream": {
        const room = (settings.closeAfterBytes ?? 16) - pair.answered
        if (room > 0) pair.client.write(chunk.subarray(0, room))
        pair.answered += Math.min(room, chunk.length)
        if (chunk.length >= room) destroy(pair)
        return
      }
      case "drip":
        return drip(pair, chunk)
      case "delay":
        return later(settings.delayMs ?? 1_000, () => {
          if (pairs.has(pair)) pair.client.write(chunk)
        })
      default:
        pair.answered += chunk.length
        pair.client.write(chunk)
    }
  }

  const forwardRequest = (pair: Pair, chunk: Buffer) => {
    if (mode === "swallow") return
    if (mode === "delay") {
      return later(settings.delayMs ?? 1_000, () => {
        if (pairs.has(pair)) pair.upstream?.write(chunk)
      })
    }
    pair.upstream?.write(chunk)
  }

  const server: Server = createServer((client) => {
    accepted++
    if (mode === "refuse") {
      client.resetAndDestroy()
      return
    }
    if (mode === "swallow") {
      // Read and never answer; nothing is forwarded, not even the connect.
      client.on("data", () => {})
      client.on("error", () => {})
      const silent: Pair = { client, upstream: undefined, answered: 0 }
      pairs.add(silent)
      client.on("close", () => pairs.delete(silent))
      return
    }
    const upstream = connect(options.target.port, options.target.host)
    const pair: Pair = { client, upstream, answered: 0 }
    pairs.add(pair)
    client.on("data", (chunk: Buffer) => forwardRequest(pair, chunk))
    upstream.on("data", (chunk: Buffer) => forwardAnswer(pair, chunk))
    const end = () => destroy(pair)
    client.on("close", end)
    upstream.on("close", end)
    client.on("error", end)
    upstream.on("error", end)
  })

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject)
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve())
  })
  const address = server.address()
  if (address === null || typeof address === "string") throw new Error("fault proxy: no TCP address")
  const port = address.port

  return {
    host: "127.0.0.1",
    port,
    mode: () => mode,
    accepted: () => accepted,
    url: (base) => {
      const url = new URL(base)
      url.hostname = "127.0.0.1"
      url.port = String(port)
      return url.toString()
    },
    setMode: (next, options = {}) => {
      mode = next
      settings = options
    },
    dropConnections: () => {
      for (const pair of [...pairs]) destroy(pair)
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer)
        timers.clear()
        for (const pair of [...pairs]) destroy(pair)
        server.close(() => resolve())
      })
  }
}
