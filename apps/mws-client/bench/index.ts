/**
 * mws-client benchmark, in one run against the sandbox (time scaled):
 *
 * 1. Quota efficiency: 200 ListOrderItems calls issued at once (bucket of 30,
 *    one request restored every 2 s; Orders_ListOrderItems) at time scale 100
 *    (one every 20 ms): the fastest any client can finish is (200 - 30) x
 *    20 ms = 3.4 s. mws-kit against two peers emulated as mws-facts section 5
 *    describes them (bench/peers.ts): the official PHP client (retry 500
 *    only, 4^n x 100 ms, 3 retries) and the official C# runtime (retry every
 *    non-2xx, 125/500/2000 ms). Peer waits are time-scaled like the quotas.
 *    For each: completion time, calls that succeeded, RequestThrottled 503s
 *    received, and efficiency = (succeeded / 200) x min(1, minimum / completion).
 * 2. A fleet: 4 processes sharing one seller through Redis
 *    (MWS_KIT_REDIS_URL, default redis://127.0.0.1:6379), 50 calls each, all
 *    released at once; same minimum, same efficiency.
 * 3. Overhead: the full pipeline (throttle permit, signing, Effect's HTTP
 *    client, XML parsing, retry policy, ledger in embedded SQLite, spans)
 *    against a bare `fetch` of a pre-signed request to the same sandbox, no
 *    throttling (time scale 10^6) and no faults; sequential calls, mean latency,
 *    rounds interleaved.
 *
 * The sandbox runs in a child process. Writes bench-results/mws-client.json.
 * Run: node --conditions=@mws-kit/source bench/index.ts (from apps/mws-client),
 * or npx -y pnpm@12.4.2 --filter @mws-kit/mws-client bench.
 */
import { type ChildProcess, fork } from "node:child_process"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { RetryBudget } from "@mws-kit/backoff-policy"
import { Ledger } from "@mws-kit/request-ledger"
import { Sandbox } from "@mws-kit/sandbox"
import { MwsQuotas, QuotaCatalog } from "@mws-kit/throttle"
import { Effect, Redacted } from "effect"
import { writeBenchResult } from "../../../scripts/bench-results.ts"
import { ClientConfig, ClientLayer, MwsClient, RequestSigner, Transport, UserAgent } from "../src/index.ts"
import * as Peers from "./peers.ts"

const TIME_SCALE = 100
const N = 200
const FLEET = 4
/**
 * The single process's jitter allowance: 150 ms. The client's loopback default (100 ms,
 * ClientLayer.LOOPBACK_JITTER_ALLOWANCE) still let 1 or 2 of 200 requests be throttled on this
 * shared 2-core machine (bench/diag runs: 100 ms -> 1-2, 150 ms -> 0, 200 ms -> 0). The allowance is
 * not time-scaled (the network is as fast at any scale), so at time scale 100 it costs 150 ms of a
 * 3.4 s minimum; at MWS's own pace (2 s per request) it would cost 0.04%. SINGLE_JITTER_MS overrides it.
 */
const SINGLE_JITTER_MS = Number(process.env.SINGLE_JITTER_MS ?? 150)
/**
 * The fleet's jitter allowance: 500 ms. Redis round trips and six busy processes (four clients, the
 * sandbox, this one) on two shared, loaded cores put far more spread between a grant and its arrival
 * than one process has. Measured here (runs of 200 calls): 200 ms -> 0 to 16 RequestThrottled, 300 ms
 * -> 18 to 36, 500 ms -> 0 (scales 25 and 50). The throttle bench uses 100 ms for its fleet, judged
 * over IPC without HTTP. FLEET_JITTER_MS overrides it.
 */
const FLEET_JITTER_MS = Number(process.env.FLEET_JITTER_MS ?? 500)
/**
 * The fleet runs at time scale 25 (one request restored every 80 ms, minimum 13.6 s): the allowance
 * is real time (the network is as fast at any scale), so the 500 ms it needs here would cost 15% of
 * a 3.4 s minimum at scale 100, 7% at 50 (efficiency 0.92 measured), 3.7% at 25 (0.96); at MWS's own
 * pace (2 s per request) 0.1%. FLEET_TIME_SCALE overrides it.
 */
const FLEET_TIME_SCALE = Number(process.env.FLEET_TIME_SCALE ?? 25)
/** Calls on another seller before each burst, so the burst finds its connections open (as in any running application). */
const WARM_UP_CALLS = 60
/** Sequential calls per overhead round, and rounds: pipeline and fetch rounds alternate, so drift in the machine's load hits both alike. */
const OVERHEAD_CALLS = Number(process.env.OVERHEAD_CALLS ?? 300)
const OVERHEAD_ROUNDS = Number(process.env.OVERHEAD_ROUNDS ?? 15)
const REDIS_URL = process.env.MWS_KIT_REDIS_URL ?? "redis://127.0.0.1:6379"
const entry = QuotaCatalog.lookup(MwsQuotas.catalog, "Orders", "ListOrderItems")!
const minimumMs = (timeScale: number) => (N - entry.maxQuota) * QuotaCatalog.unitIntervalMs(entry, timeScale)
const MINIMUM_MS = minimumMs(TIME_SCALE)
const FLEET_MINIMUM_MS = minimumMs(FLEET_TIME_SCALE)
const here = (file: string) => fileURLToPath(new URL(file, import.meta.url))
const ORDER_ID = "902-1000000-7000000" // the sandbox's first seeded order

const startSandbox = (timeScale: number): Promise<{ readonly url: string; readonly child: ChildProcess }> =>
  new Promise((resolve, reject) => {
    const child = fork(here("./sandboxProcess.ts"), [String(timeScale)], {
      execArgv: ["--conditions=@mws-kit/source"]
    })
    child.once("message", (message: { readonly url: string }) => resolve({ url: message.url, child }))
    child.once("error", reject)
  })

const stop = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    child.once("exit", () => resolve())
    child.send({ type: "stop" })
  })

const efficiency = (succeeded: number, completionMs: number, minimum = MINIMUM_MS) =>
  (succeeded / N) * Math.min(1, minimum / completionMs)

const round = (n: number, digits = 3) => Number(n.toFixed(digits))

const configFor = (url: string, sellerId: string, timeScale: number, ledger?: ClientConfig.LedgerTarget) =>
  ClientConfig.forSandbox({
    url,
    ...Sandbox.DEFAULT_CREDENTIAL,
    sellerId,
    timeScale,
    ...(ledger === undefined ? {} : { ledger })
  })

// 1. Quota efficiency.
const mwsKitBurst = async (url: string) => {
  const config = configFor(url, "A1BENCHMWSKIT", TIME_SCALE)
  let throttled = 0
  const program = Effect.gen(function* () {
    const mws = yield* MwsClient.MwsClient
    yield* Effect.forEach(
      Array.from({ length: WARM_UP_CALLS }),
      () =>
        mws.call({
          section: "Orders",
          operation: "ListOrderItems",
          params: { AmazonOrderId: ORDER_ID },
          sellerId: "A1BENCHWARMUP"
        }),
      { concurrency: "unbounded" }
    )
    const started = Date.now()
    const results = yield* Effect.forEach(
      Array.from({ length: N }),
      () =>
        mws
          .call({ section: "Orders", operation: "ListOrderItems", params: { AmazonOrderId: ORDER_ID } })
          .pipe(Effect.result),
      { concurrency: "unbounded" }
    )
    return { completionMs: Date.now() - started, succeeded: results.filter((r) => r._tag === "Success").length }
  }).pipe(
    Effect.provide(
      ClientLayer.live(config, {
        throttle: { jitterAllowance: SINGLE_JITTER_MS },
        onAttempt: (report) => (report.errorCode === "RequestThrottled" ? Effect.sync(() => throttled++) : Effect.void)
      })
    ),
    Effect.provide(RetryBudget.RetryBudget.layer())
  )
  const outcome = await Effect.runPromise(program)
  return { ...outcome, throttled503: throttled }
}

const peerBurst = async (peer: Peers.Peer, url: string) => {
  const target = {
    url,
    ...Sandbox.DEFAULT_CREDENTIAL,
    sellerId: `A1BENCH${peer.name.toUpperCase()}`,
    userAgent: UserAgent.make({ application: `peer-${peer.name}`, version: "1.0" }),
    timeScale: TIME_SCALE
  }
  const operation = {
    section: "Orders",
    action: "ListOrderItems",
    version: "2013-09-01",
    params: [["AmazonOrderId", ORDER_ID]] as const
  }
  await Promise.all(
    Array.from({ length: WARM_UP_CALLS / 2 }, () =>
      Peers.call(peer, { ...target, sellerId: `A1BENCHWARMUP${peer.name.toUpperCase()}` }, operation)
    )
  )
  const started = Date.now()
  const outcomes = await Promise.all(Array.from({ length: N }, () => Peers.call(peer, target, operation)))
  return {
    completionMs: Date.now() - started,
    succeeded: outcomes.filter((o) => o.ok).length,
    throttled503: outcomes.reduce((sum, o) => sum + o.throttled503, 0)
  }
}

// 2. Fleet.
const fleet = async (url: string) => {
  const sellerId = `A1BENCHFLEET${Date.now().toString(36).toUpperCase()}`
  const workers = Array.from({ length: FLEET }, () =>
    fork(here("./fleetWorker.ts"), [], { execArgv: ["--conditions=@mws-kit/source"] })
  )
  const ready = workers.map(
    (worker) =>
      new Promise<void>((resolve, reject) => {
        worker.once("message", () => resolve())
        worker.once("exit", (code) => reject(new Error(`fleet worker exited with ${code}`)))
      })
  )
  for (const worker of workers) {
    worker.send({
      type: "start",
      url,
      ...Sandbox.DEFAULT_CREDENTIAL,
      sellerId,
      orderId: ORDER_ID,
      calls: N / FLEET,
      timeScale: FLEET_TIME_SCALE,
      redisUrl: REDIS_URL,
      redisPrefix: `mws-client-bench:${Date.now()}:`,
      jitterMs: FLEET_JITTER_MS
    })
  }
  await Promise.all(ready)
  const done = workers.map(
    (worker) =>
      new Promise<{
        readonly results: ReadonlyArray<{ readonly ok: boolean; readonly at: number }>
        readonly throttled: number
      }>((resolve, reject) => {
        worker.once("message", (message: { type: string; error?: string }) =>
          message.type === "done" ? resolve(message as never) : reject(new Error(message.error))
        )
      })
  )
  const started = Date.now()
  for (const worker of workers) worker.send({ type: "go" })
  const reports = await Promise.all(done)
  const all = reports.flatMap((r) => r.results)
  const completionMs = Math.max(...all.map((r) => r.at)) - started
  return {
    completionMs,
    succeeded: all.filter((r) => r.ok).length,
    throttled503: reports.reduce((sum, r) => sum + r.throttled, 0)
  }
}

// 3. Overhead.
const overhead = async (url: string) => {
  const dir = mkdtempSync(join(tmpdir(), "mws-client-bench-"))
  try {
    const config = configFor(
      url,
      "A1BENCHOVERHEAD",
      1_000_000,
      process.env.OVERHEAD_LEDGER === "memory"
        ? { _tag: "Memory" }
        : { _tag: "Sqlite", path: join(dir, "ledger.sqlite") }
    )
    const request = { section: "Orders", operation: "ListOrderItems", params: { AmazonOrderId: ORDER_ID } }
    const signed = RequestSigner.sign({
      method: "POST",
      endpoint: url,
      path: "/Orders/2013-09-01",
      action: "ListOrderItems",
      version: "2013-09-01",
      params: [["AmazonOrderId", ORDER_ID]],
      credentials: {
        accessKeyId: Sandbox.DEFAULT_CREDENTIAL.accessKeyId,
        secretKey: Redacted.make(Sandbox.DEFAULT_CREDENTIAL.secretKey),
        sellerId: "A1BENCHFETCH"
      },
      timestamp: new Date().toISOString()
    })
    const body = Redacted.value(signed.encoded)
    const headers = { "content-type": Transport.FORM_CONTENT_TYPE, "user-agent": config.userAgent }
    const bareFetch = async () => {
      const response = await fetch(signed.url, { method: "POST", headers, body })
      await response.text()
      if (response.status !== 200) throw new Error(`fetch got ${response.status}`)
    }
    return await Effect.runPromise(
      Effect.gen(function* () {
        const mws = yield* MwsClient.MwsClient
        const ledger = yield* Ledger.Ledger
        const pipelineRound = Effect.gen(function* () {
          const started = performance.now()
          for (let i = 0; i < OVERHEAD_CALLS; i++) yield* mws.call(request)
          return (performance.now() - started) / OVERHEAD_CALLS
        })
        const fetchRound = Effect.promise(async () => {
          const started = performance.now()
          for (let i = 0; i < OVERHEAD_CALLS; i++) await bareFetch()
          return (performance.now() - started) / OVERHEAD_CALLS
        })
        // Warm-up: JIT, connection pools, the ledger's SQLite worker.
        for (let i = 0; i < 300; i++) {
          yield* mws.call(request)
          yield* Effect.promise(bareFetch)
        }
        const pipeline: Array<number> = []
        const bare: Array<number> = []
        const ratios: Array<number> = []
        for (let r = 0; r < OVERHEAD_ROUNDS; r++) {
          const first = r % 2 === 0
          const a = first ? yield* fetchRound : yield* pipelineRound
          const b = first ? yield* pipelineRound : yield* fetchRound
          const [f, p] = first ? [a, b] : [b, a]
          bare.push(f)
          pipeline.push(p)
          ratios.push(p / f)
        }
        yield* ledger.flush
        const median = (xs: ReadonlyArray<number>) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!
        return { pipelineMs: median(pipeline), fetchMs: median(bare), ratio: median(ratios), pipeline, bare }
      }).pipe(
        Effect.provide(ClientLayer.live(config, { ledger: { backgroundPrune: false } })),
        Effect.provide(RetryBudget.RetryBudget.layer())
      )
    )
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

const main = async () => {
  if (process.env.BENCH_ONLY === "fleet") {
    const sandbox = await startSandbox(FLEET_TIME_SCALE)
    const result = await fleet(sandbox.url)
    await stop(sandbox.child)
    console.log(
      "fleet:",
      result,
      "efficiency",
      round(efficiency(result.succeeded, result.completionMs, FLEET_MINIMUM_MS))
    )
    return
  }
  if (process.env.BENCH_ONLY === "overhead") {
    const sandbox = await startSandbox(1_000_000)
    const cost = await overhead(sandbox.url)
    await stop(sandbox.child)
    console.log(
      `overhead: pipeline ${cost.pipelineMs.toFixed(3)} ms, fetch ${cost.fetchMs.toFixed(3)} ms, ratio ${cost.ratio.toFixed(3)}`
    )
    console.log(cost.pipeline.map((x, i) => (x / cost.bare[i]!).toFixed(2)).join(" "))
    return
  }
  console.log(`mws-client bench: ${N} ListOrderItems at once, time scale ${TIME_SCALE}, minimum ${MINIMUM_MS} ms`)
  const scaled = await startSandbox(TIME_SCALE)
  const mwsKit = await mwsKitBurst(scaled.url)
  console.log("mws-kit:", mwsKit, "efficiency", round(efficiency(mwsKit.succeeded, mwsKit.completionMs)))
  const php = await peerBurst(Peers.php, scaled.url)
  console.log("peer php:", php, "efficiency", round(efficiency(php.succeeded, php.completionMs)))
  const csharp = await peerBurst(Peers.csharp, scaled.url)
  console.log("peer c#:", csharp, "efficiency", round(efficiency(csharp.succeeded, csharp.completionMs)))
  await stop(scaled.child)
  let fleetResult: Awaited<ReturnType<typeof fleet>> | undefined
  const fleetSandbox = await startSandbox(FLEET_TIME_SCALE)
  try {
    fleetResult = await fleet(fleetSandbox.url)
    console.log(
      "fleet:",
      fleetResult,
      "efficiency",
      round(efficiency(fleetResult.succeeded, fleetResult.completionMs, FLEET_MINIMUM_MS))
    )
  } catch (error) {
    console.log(`fleet skipped: ${error instanceof Error ? error.message : String(error)} (is Redis at ${REDIS_URL}?)`)
  }
  await stop(fleetSandbox.child)

  const unthrottled = await startSandbox(1_000_000)
  const cost = await overhead(unthrottled.url)
  await stop(unthrottled.child)
  const ratio = cost.ratio
  console.log(
    `overhead: pipeline ${cost.pipelineMs.toFixed(3)} ms/call, bare fetch ${cost.fetchMs.toFixed(3)} ms/call, ratio ${ratio.toFixed(3)}`
  )

  const figures = {
    efficiency: round(efficiency(mwsKit.succeeded, mwsKit.completionMs)),
    throttled_503: mwsKit.throttled503,
    succeeded: mwsKit.succeeded,
    completion_ms: mwsKit.completionMs,
    minimum_ms: MINIMUM_MS,
    peer_php_efficiency: round(efficiency(php.succeeded, php.completionMs)),
    peer_php_succeeded: php.succeeded,
    peer_php_throttled_503: php.throttled503,
    peer_php_completion_ms: php.completionMs,
    peer_csharp_efficiency: round(efficiency(csharp.succeeded, csharp.completionMs)),
    peer_csharp_succeeded: csharp.succeeded,
    peer_csharp_throttled_503: csharp.throttled503,
    peer_csharp_completion_ms: csharp.completionMs,
    fleet_efficiency:
      fleetResult === undefined
        ? null
        : round(efficiency(fleetResult.succeeded, fleetResult.completionMs, FLEET_MINIMUM_MS)),
    fleet_throttled_503: fleetResult === undefined ? null : fleetResult.throttled503,
    fleet_succeeded: fleetResult === undefined ? null : fleetResult.succeeded,
    fleet_completion_ms: fleetResult === undefined ? null : fleetResult.completionMs,
    fleet_minimum_ms: FLEET_MINIMUM_MS,
    overhead_ratio_vs_fetch: round(ratio),
    pipeline_ms_per_call: round(cost.pipelineMs),
    fetch_ms_per_call: round(cost.fetchMs)
  }
  const written = writeBenchResult({
    name: "mws-client",
    figures,
    targets: {
      efficiency: {
        target: ">= 0.95 with 0 throttled_503",
        met: figures.efficiency >= 0.95 && figures.throttled_503 === 0
      },
      fleet_efficiency: {
        target: ">= 0.90 with 0 fleet_throttled_503",
        met: figures.fleet_efficiency !== null && figures.fleet_efficiency >= 0.9 && figures.fleet_throttled_503 === 0
      },
      overhead_ratio_vs_fetch: { target: "<= 1.25", met: figures.overhead_ratio_vs_fetch <= 1.25 }
    },
    notes: [
      `${N} ListOrderItems issued at once; bucket ${entry.maxQuota}, one restored every ${entry.restore.everyMs / entry.restore.amount} ms, time scale ${TIME_SCALE}: minimum ${MINIMUM_MS} ms.`,
      "efficiency = (succeeded / N) x min(1, minimum / completion); completion = until every call ended (success or failure).",
      "Peers emulated per mws-facts section 5 (bench/peers.ts): PHP retries 500 only (0.4/1.6/6.4 s), C# retries every non-2xx (125/500/2000 ms), 3 retries each, no pacing; waits time-scaled.",
      `Fleet: ${FLEET} processes x ${N / FLEET} calls released at once, one seller, throttle in Redis (${REDIS_URL.replace(/\/\/[^@]*@/, "//***@")}), jitter allowance ${FLEET_JITTER_MS} ms, time scale ${FLEET_TIME_SCALE} (minimum ${FLEET_MINIMUM_MS} ms); the sandbox in its own process.`,
      `Single process: jitter allowance ${SINGLE_JITTER_MS} ms. The allowance is real time, not scaled: at MWS's own pace it costs well under 1%.`,
      `Overhead: ${OVERHEAD_ROUNDS} alternating pairs of rounds of ${OVERHEAD_CALLS} sequential ListOrderItems; overhead_ratio_vs_fetch = median of the per-pair ratios of mean latency. Pipeline = throttle permit + signing + Effect HttpClient (undici) + XML parse + retry policy + SQLite ledger (batched) + spans; baseline = fetch of one pre-signed request, body read as text. Per round: pipeline ${cost.pipeline.map((x) => x.toFixed(3)).join("/")} ms, fetch ${cost.bare.map((x) => x.toFixed(3)).join("/")} ms.`,
      "The sandbox runs in a child process; the machine is a shared 2-core VM, so figures move between runs."
    ]
  })
  console.log(JSON.stringify(written.figures, null, 2))
}

await main()
