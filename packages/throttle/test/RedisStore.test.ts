import { spawn } from "node:child_process"
import { createServer, type Server, type Socket, connect as tcpConnect } from "node:net"
import { fileURLToPath } from "node:url"
import * as NodeRedis from "@effect/platform-node/NodeRedis"
import { afterAll, assert, describe, it } from "@effect/vitest"
import { Context, Duration, Effect, Exit, Layer, Schedule } from "effect"
import { createClient } from "redis"
import { startFaultProxy } from "../../../scripts/faultProxy.ts"
import { serviceUrl } from "../../../scripts/test-services.ts"
import { QuotaCatalog, RedisStore, Throttle } from "../src/index.ts"
import * as RedisConnection from "../src/RedisConnection.ts"
import { fleetEntry } from "./fixtures/fleetQuota.ts"

const redisUrl = serviceUrl("MWS_KIT_REDIS_URL", "Redis throttle store (@mws-kit/throttle)")

/** Every key this run writes starts with this, so parallel runs never collide; afterAll deletes them. */
const runPrefix = `mws-kit:test:throttle:${process.pid}:${Date.now()}:`
let prefixes = 0
const freshPrefix = () => `${runPrefix}${prefixes++}:`

const entry = (
  operation: string,
  bucket: string,
  quota: Omit<QuotaCatalog.QuotaEntry, "section" | "operation" | "bucket" | "source">
) => ({ section: "Test", operation, bucket, ...quota, source: "test" }) as const

// Time-scaled quotas: real time passes in these tests, so intervals are tens of milliseconds.
const catalog = QuotaCatalog.make([
  entry("Burst", "Test/Burst", { maxQuota: 3, restore: { amount: 1, everyMs: 100 }, per: "request" }),
  entry("BurstByNextToken", "Test/Burst", { maxQuota: 3, restore: { amount: 1, everyMs: 100 }, per: "request" }),
  entry("Items", "Test/Items", { maxQuota: 10, restore: { amount: 10, everyMs: 1000 }, per: "item" }),
  entry("Hourly", "Test/Hourly", {
    maxQuota: 10,
    restore: { amount: 1, everyMs: 10 },
    per: "request",
    hourlyQuota: 2
  })
])

const seller = { sellerId: "A1REDIS", section: "Test" } as const

const throttleOn = (prefix: string, url: string, storeOptions: RedisStore.RedisStoreOptions = {}, redisOptions = {}) =>
  Throttle.Throttle.layer({ catalog, developerId: "redis-test", maxWait: "5 seconds" }).pipe(
    Layer.provide(RedisStore.layer({ prefix, ...storeOptions })),
    Layer.provide(NodeRedis.layer({ url, ...redisOptions }))
  )

const withRedisThrottle = <A, E>(effect: Effect.Effect<A, E, Throttle.Throttle>, prefix = freshPrefix()) =>
  Effect.provide(effect, throttleOn(prefix, redisUrl!))

afterAll(async () => {
  if (redisUrl === undefined) return
  const client = createClient({ url: redisUrl })
  await client.connect()
  for await (const keys of client.scanIterator({ MATCH: `${runPrefix}*`, COUNT: 1000 })) {
    if (keys.length > 0) await client.del(keys)
  }
  await client.close()
})

// Real time and real processes on a shared machine: generous per-test limits, the tests themselves take ~1 s each.
describe.skipIf(redisUrl === undefined)("RedisStore against a real Redis", { timeout: 20_000 }, () => {
  it.live("lets a burst through, then paces at the restore rate, on Redis's clock", () =>
    withRedisThrottle(
      Effect.gen(function* () {
        const throttle = yield* Throttle.Throttle
        const burst = { ...seller, operation: "Burst" }
        const permits = yield* Effect.forEach([1, 2, 3, 4, 5], () => throttle.acquire(burst), {
          concurrency: "unbounded"
        })
        const times = permits.map((permit) => permit.grantedAt).sort((a, b) => a - b)
        const first = times[0]!
        assert.isBelow(times[2]! - first, 50, "the burst of 3 passes at once")
        // The bucket is full again 100 ms per unit after the first take: the 4th is due 100 ms after it.
        assert.isAtLeast(times[3]! - first, 100 - 1e-6)
        assert.isAtLeast(times[4]! - first, 200 - 1e-6)
        assert.isBelow(times[4]! - first, 200 + 250, "and not much later")
      })
    )
  )

  it.live("shares buckets between operations and between throttles on the same Redis", () =>
    Effect.gen(function* () {
      const prefix = freshPrefix()
      const use = (operation: string) =>
        Effect.provide(
          Effect.flatMap(Throttle.Throttle, (throttle) => throttle.acquire({ ...seller, operation })),
          throttleOn(prefix, redisUrl!)
        )
      // Three "processes" (separate connections and throttles) spend the shared bucket...
      yield* Effect.all([use("Burst"), use("BurstByNextToken"), use("Burst")], { concurrency: "unbounded" })
      // ...so a fourth waits for a restore.
      const fourth = yield* use("BurstByNextToken")
      assert.isAtLeast(fourth.waitedMs, 50)
    })
  )

  it.live("drains the bucket on RequestThrottled", () =>
    withRedisThrottle(
      Effect.gen(function* () {
        const throttle = yield* Throttle.Throttle
        const burst = { ...seller, operation: "Burst" }
        const first = yield* throttle.acquire(burst)
        yield* throttle.reportThrottled(burst)
        // empty, bar what restored during the round trips since (one unit takes 100 ms)
        assert.isBelow((yield* throttle.inspect(burst)).tokens, 0.5)
        const next = yield* throttle.acquire(burst)
        assert.isAtLeast(next.grantedAt - first.grantedAt, 100 - 1e-6)
      })
    )
  )

  it.live("charges per item and refuses what can never fit", () =>
    withRedisThrottle(
      Effect.gen(function* () {
        const throttle = yield* Throttle.Throttle
        const items = { ...seller, operation: "Items" }
        const all = yield* throttle.acquire({ ...items, items: 10 })
        const three = yield* throttle.acquire({ ...items, items: 3 })
        assert.isAtLeast(three.grantedAt - all.grantedAt, 300 - 1e-6)
        const error = yield* Effect.flip(throttle.acquire({ ...items, items: 11 }))
        assert.strictEqual(error._tag, "InvalidThrottleRequest")
      })
    )
  )

  it.live("syncs the hourly quota from headers and waits for the reset they announce", () =>
    withRedisThrottle(
      Effect.gen(function* () {
        const throttle = yield* Throttle.Throttle
        const hourly = { ...seller, operation: "Hourly" }
        const resetsAt = Date.now() + 300
        yield* throttle.observeHeaders(hourly, {
          "x-mws-quota-max": "2.0",
          "x-mws-quota-remaining": "0.0",
          "x-mws-quota-resetsOn": new Date(resetsAt).toISOString()
        })
        const snapshot = yield* throttle.inspect(hourly)
        assert.deepStrictEqual(snapshot.hourly, { used: 2, max: 2, resetsAt, blockedUntil: undefined })
        const refused = yield* Effect.flip(throttle.acquire({ ...hourly, maxWait: "50 millis" }))
        assert.strictEqual(refused._tag, "ThrottleWaitTooLong")
        if (refused._tag === "ThrottleWaitTooLong") assert.strictEqual(refused.limitedBy, "hourly")
        const permit = yield* throttle.acquire(hourly)
        assert.isAtLeast(permit.grantedAt, resetsAt)
        const after = yield* throttle.inspect(hourly)
        assert.strictEqual(after.hourly?.used, 1)
      })
    )
  )

  it.live("blocks until the reset a QuotaExceeded names", () =>
    withRedisThrottle(
      Effect.gen(function* () {
        const throttle = yield* Throttle.Throttle
        const hourly = { ...seller, operation: "Hourly" }
        const resetsAt = Date.now() + 200
        yield* throttle.reportQuotaExceeded(hourly, new Date(resetsAt))
        assert.strictEqual((yield* throttle.inspect(hourly)).hourly?.blockedUntil, resetsAt)
        const permit = yield* throttle.acquire(hourly)
        assert.isAtLeast(permit.grantedAt, resetsAt)
      })
    )
  )

  it.live(
    "four processes on one seller never exceed the bucket",
    () =>
      Effect.gen(function* () {
        const prefix = freshPrefix()
        const worker = fileURLToPath(new URL("./fixtures/fleetWorker.ts", import.meta.url))
        const perWorker = 10
        const run = (index: number) =>
          Effect.promise(
            () =>
              new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
                const child = spawn(process.execPath, ["--conditions=@mws-kit/source", worker], {
                  env: {
                    ...process.env,
                    MWS_KIT_REDIS_URL: redisUrl!,
                    PREFIX: prefix,
                    COUNT: String(perWorker),
                    WORKER: String(index)
                  },
                  stdio: ["ignore", "pipe", "pipe"]
                })
                let out = ""
                let err = ""
                child.stdout.on("data", (chunk) => {
                  out += chunk
                })
                child.stderr.on("data", (chunk) => {
                  err += chunk
                })
                child.on("close", (code) => resolve({ code, out, err }))
              })
          )
        const results = yield* Effect.all([0, 1, 2, 3].map(run), { concurrency: "unbounded" })
        for (const result of results) assert.strictEqual(result.code, 0, result.err)
        const grants = results.flatMap((result) =>
          result.out
            .trim()
            .split("\n")
            .map((line) => JSON.parse(line) as { worker: string; grantedAt: number })
        )
        assert.strictEqual(grants.length, 4 * perWorker)
        const times = grants.map((grant) => grant.grantedAt).sort((a, b) => a - b)
        // A bucket of C restoring one unit every I ms allows at most C + (t_j - t_i) / I
        // requests in any window [t_i, t_j]: check every window between two grants.
        const capacity = fleetEntry.maxQuota
        const interval = QuotaCatalog.unitIntervalMs(fleetEntry)
        let worst = -Infinity
        for (let i = 0; i < times.length; i++) {
          for (let j = i; j < times.length; j++) {
            const allowed = capacity + (times[j]! - times[i]!) / interval
            worst = Math.max(worst, j - i + 1 - allowed)
          }
        }
        assert.isAtMost(worst, 1e-6, "accepted requests in some window exceed the bucket")
        // The fleet really competed: the whole run is bounded below by the bucket itself.
        assert.isAtLeast(times.at(-1)! - times[0]!, (4 * perWorker - capacity) * interval - 1e-6)
        assert.strictEqual(new Set(grants.map((grant) => grant.worker)).size, 4)
      }),
    30_000
  )
})

describe.skipIf(redisUrl === undefined)("RedisStore when Redis is unreachable", { timeout: 20_000 }, () => {
  it.live("fails at start-up with a typed error when nothing listens (it never paces locally)", () =>
    Effect.gen(function* () {
      const exit = yield* Effect.exit(
        Effect.provide(
          Effect.flatMap(Throttle.Throttle, (throttle) => throttle.acquire({ ...seller, operation: "Burst" })),
          throttleOn(freshPrefix(), "redis://127.0.0.1:1")
        )
      )
      assert.isTrue(Exit.isFailure(exit))
      assert.match(String(exit), /RedisError/)
      assert.match(String(exit), /ECONNREFUSED/)
    })
  )

  /** A TCP proxy to Redis that the test can cut, as a network partition would, and heal. */
  const proxy = Effect.acquireRelease(
    Effect.promise(async () => {
      const target = new URL(redisUrl!)
      const sockets = new Set<Socket>()
      const listen = (port: number) =>
        new Promise<Server>((resolve) => {
          const server = createServer((client) => {
            const upstream = tcpConnect(Number(target.port || 6379), target.hostname)
            for (const socket of [client, upstream]) {
              sockets.add(socket)
              socket.on("error", () => {})
              socket.on("close", () => sockets.delete(socket))
            }
            client.pipe(upstream).pipe(client)
            client.on("close", () => upstream.destroy())
            upstream.on("close", () => client.destroy())
          })
          server.listen(port, "127.0.0.1", () => resolve(server))
        })
      let server: Server | undefined = await listen(0)
      const address = server.address()
      const port = typeof address === "object" && address !== null ? address.port : 0
      let closed: Promise<void> = Promise.resolve()
      const cut = () => {
        const current = server
        server = undefined
        closed = new Promise<void>((resolve) => (current === undefined ? resolve() : current.close(() => resolve())))
        for (const socket of sockets) socket.destroy()
      }
      const heal = async () => {
        await closed
        if (server === undefined) server = await listen(port)
      }
      return { url: `redis://127.0.0.1:${port}`, cut, heal }
    }),
    ({ cut }) => Effect.sync(cut)
  )

  it.live("fails every call with ThrottleStoreUnavailable once Redis goes away", () =>
    Effect.scoped(
      Effect.gen(function* () {
        const { url, cut } = yield* proxy
        const burst = { ...seller, operation: "Burst" }
        yield* Effect.scoped(
          Effect.gen(function* () {
            const context = yield* Layer.build(throttleOn(freshPrefix(), url, {}, { disableOfflineQueue: true }))
            const throttle = Context.get(context, Throttle.Throttle)
            const permit = yield* throttle.acquire(burst)
            assert.isAbove(permit.grantedAt, 0)
            cut()
            yield* Effect.sleep(Duration.millis(50))
            const error = yield* Effect.flip(throttle.acquire(burst))
            assert.strictEqual(error._tag, "ThrottleStoreUnavailable")
            if (error._tag === "ThrottleStoreUnavailable") {
              assert.deepStrictEqual([error.store, error.action], ["redis", "take"])
            }
          })
        )
      })
    )
  )

  it.live("bounds a call by the store's timeout while the client waits to reconnect", () =>
    Effect.scoped(
      Effect.gen(function* () {
        const { url, cut, heal } = yield* proxy
        const burst = { ...seller, operation: "Burst" }
        const context = yield* Layer.build(throttleOn(freshPrefix(), url, { timeout: "300 millis" }))
        const throttle = Context.get(context, Throttle.Throttle)
        yield* throttle.acquire(burst)
        cut()
        yield* Effect.sleep(Duration.millis(50)) // the client now knows, and queues commands while it reconnects
        const started = Date.now()
        const error = yield* Effect.flip(throttle.acquire(burst))
        const elapsed = Date.now() - started
        assert.strictEqual(error._tag, "ThrottleStoreUnavailable")
        assert.match(error.message, /no answer within 300 ms/)
        assert.isBelow(elapsed, 2000)
        // Redis comes back: the client reconnects (and can close without waiting on its queue).
        yield* Effect.promise(heal)
        // (node-redis backs off between reconnects: allow it a few seconds to come back)
        const again = yield* throttle
          .acquire({ ...burst, maxWait: "5 seconds" })
          .pipe(Effect.retry({ schedule: Schedule.spaced("100 millis"), times: 50 }))
        assert.isAbove(again.grantedAt, 0)
      })
    )
  )
})

describe.skipIf(redisUrl === undefined)("RedisStore when Redis goes silent", { timeout: 20_000 }, () => {
  /** Every bound of the store and the connection, kept short; and the slack a loaded machine gets on top. */
  const BOUND_MS = 500
  const SLACK_MS = 1000

  const boundedThrottle = (prefix: string, url: string) =>
    Throttle.Throttle.layer({ catalog, developerId: "redis-test", maxWait: "5 seconds" }).pipe(
      Layer.provide(RedisStore.layer({ prefix, timeout: `${BOUND_MS} millis` })),
      Layer.provide(
        RedisConnection.layer({
          url,
          connectTimeout: `${BOUND_MS} millis`,
          commandTimeout: `${BOUND_MS} millis`,
          closeTimeout: `${BOUND_MS} millis`
        })
      )
    )

  const silentProxy = Effect.acquireRelease(
    Effect.promise(() => {
      const target = new URL(redisUrl!)
      return startFaultProxy({ target: { host: target.hostname, port: Number(target.port || 6379) } })
    }),
    (proxy) => Effect.promise(() => proxy.close())
  )

  it.live("fails acquire within the store's bound, fails the queue behind it, closes within the close bound", () =>
    Effect.scoped(
      Effect.gen(function* () {
        const proxy = yield* silentProxy
        const url = proxy.url(redisUrl!)
        const prefix = freshPrefix()
        const burst = { ...seller, operation: "Burst" }
        let bodyDoneAt = Number.POSITIVE_INFINITY
        yield* Effect.scoped(
          Effect.gen(function* () {
            const context = yield* Layer.build(boundedThrottle(prefix, url))
            const throttle = Context.get(context, Throttle.Throttle)
            yield* throttle.acquire(burst)
            yield* throttle.acquire(burst)

            proxy.setMode("swallow")
            const started = Date.now()
            const results = yield* Effect.all(
              [1, 2, 3].map(() => Effect.flip(throttle.acquire(burst))),
              { concurrency: "unbounded" }
            )
            const elapsed = Date.now() - started
            for (const error of results) assert.strictEqual(error._tag, "ThrottleStoreUnavailable")
            const first = results[0]!
            if (first._tag === "ThrottleStoreUnavailable") {
              assert.deepStrictEqual([first.store, first.action], ["redis", "take"])
              assert.include(first.message, "A1REDIS:redis-test:Test/Burst")
            }
            // One bound for the whole queue, not one per request in it.
            assert.isBelow(elapsed, BOUND_MS + SLACK_MS)
            bodyDoneAt = Date.now()
          })
        )
        const closedIn = Date.now() - bodyDoneAt
        assert.isBelow(closedIn, BOUND_MS + SLACK_MS, "the layer's scope closes within the close bound")

        // Redis answers again: a new layer works.
        proxy.setMode("pass")
        const permit = yield* Effect.provide(
          Effect.flatMap(Throttle.Throttle, (throttle) => throttle.acquire(burst)),
          boundedThrottle(prefix, url)
        )
        assert.isAbove(permit.grantedAt, 0)
      })
    )
  )

  it.live("fails at start-up within the connect bound when Redis accepts and never answers", () =>
    Effect.scoped(
      Effect.gen(function* () {
        const proxy = yield* silentProxy
        proxy.setMode("swallow")
        const started = Date.now()
        const exit = yield* Effect.exit(
          Effect.provide(
            Effect.flatMap(Throttle.Throttle, (throttle) => throttle.acquire({ ...seller, operation: "Burst" })),
            boundedThrottle(freshPrefix(), proxy.url(redisUrl!))
          )
        )
        assert.isBelow(Date.now() - started, BOUND_MS + SLACK_MS)
        assert.match(String(exit), /ThrottleStoreUnavailable.*\(connect\)/)
      })
    )
  )
})
