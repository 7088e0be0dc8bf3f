/**
 * `mws sandbox [--port N] [--time-scale X] [--fault OP=KIND,...] ...`: runs
 * the local MWS emulator until interrupted, printing a line per request.
 *
 * @internal
 */
import { Faults, Sandbox } from "@mws-kit/sandbox"
import { Effect, Schedule } from "effect"
import { Command, Flag } from "effect/cli"
import { CliExit, ExitCode } from "./cliExit.ts"
import { print, printError } from "./output.ts"
import { style } from "./terminal.ts"

/** How often new sandbox log entries are printed: 100 ms, quick enough to read along. @internal */
export const LOG_POLL_MS = 100

/** Parses `OP=KIND[,KIND...]` into scripted faults, or a usage message. @internal */
export const parseFaults = (
  specs: ReadonlyArray<string>
): { readonly faults: Record<string, Array<Faults.Fault>> } | { readonly invalid: string } => {
  const faults: Record<string, Array<Faults.Fault>> = {}
  for (const spec of specs) {
    const at = spec.indexOf("=")
    if (at <= 0) return { invalid: `--fault takes OP=KIND[,KIND...], got "${spec}"` }
    const operation = spec.slice(0, at)
    for (const kind of spec.slice(at + 1).split(",")) {
      const fault = Faults.parse(kind)
      if (fault === undefined)
        return { invalid: `unknown fault "${kind}": use ${Faults.KINDS.join(", ")} (delay as delay:MS)` }
      faults[operation] = [...(faults[operation] ?? []), fault]
    }
  }
  return { faults }
}

/** Parses `OP=KIND:P` into a probabilistic fault, or a usage message. @internal */
export const parseProbability = (
  spec: string
):
  | { readonly operation: string; readonly fault: Faults.Fault; readonly probability: number }
  | { readonly invalid: string } => {
  const match = /^([^=]+)=(.+):([0-9.]+)$/.exec(spec)
  const fault = match === null ? undefined : Faults.parse(match[2]!)
  const probability = match === null ? Number.NaN : Number(match[3])
  if (match === null || fault === undefined || !(probability >= 0 && probability <= 1)) {
    return { invalid: `--fault-probability takes OP=KIND:P with P in 0..1, got "${spec}"` }
  }
  return { operation: match[1]!, fault, probability }
}

/**
 * The shell lines that point `mws` at a sandbox, to paste as they are: the
 * endpoint, the sandbox's published test credential (its real key: it
 * guards nothing), the seller, and the time scale when it is not 1. Values
 * are single-quoted for the shell.
 *
 * @internal
 */
export const exportLines = (url: string, timeScale: number): ReadonlyArray<string> => {
  const quote = (value: string) => `'${value.replace(/'/g, "'\\''")}'`
  return [
    `export MWS_ENDPOINT=${quote(url)}`,
    `export MWS_ACCESS_KEY_ID=${quote(Sandbox.DEFAULT_CREDENTIAL.accessKeyId)}`,
    `export MWS_SECRET_ACCESS_KEY=${quote(Sandbox.DEFAULT_CREDENTIAL.secretKey)}`,
    `export MWS_SELLER_ID=${quote(Sandbox.DEFAULT_SELLER_ID)}`,
    ...(timeScale === 1 ? [] : [`export MWS_TIME_SCALE=${quote(String(timeScale))}`])
  ]
}

/** @internal */
export const command = Command.make(
  "sandbox",
  {
    port: Flag.Int("port").pipe(Flag.withDescription("Port to listen on (0: a free one)"), Flag.withDefault(0)),
    timeScale: Flag.Finite("time-scale").pipe(
      Flag.withDescription("Quotas run this many times faster (60: a minute's restore takes a second)"),
      Flag.withDefault(1)
    ),
    fault: Flag.String("fault").pipe(
      Flag.withDescription(`Script faults for the next calls of OP ("*" for any): ${Faults.KINDS.join(", ")}`),
      Flag.atLeast(0)
    ),
    faultProbability: Flag.String("fault-probability").pipe(
      Flag.withDescription("Inject a fault on a fraction of calls: OP=KIND:P"),
      Flag.atLeast(0)
    ),
    orders: Flag.Int("orders").pipe(
      Flag.withDescription("Orders to seed"),
      Flag.withDefault(Sandbox.DEFAULT_ORDER_COUNT)
    ),
    corruptDownloads: Flag.Boolean("corrupt-downloads").pipe(
      Flag.withDescription("Corrupt every GetReport / GetFeedSubmissionResult body"),
      Flag.withDefault(false)
    ),
    quiet: Flag.Boolean("quiet").pipe(Flag.withDescription("Do not print a line per request"), Flag.withDefault(false))
  },
  Effect.fnUntraced(function* (input) {
    const usage = (message: string) =>
      Effect.andThen(
        printError(`${style.red("✖ Usage:")} ${message}`),
        Effect.fail(new CliExit({ code: ExitCode.usage }))
      )
    if (!(input.timeScale > 0)) return yield* usage("--time-scale must be a positive number")
    const scripted = parseFaults(input.fault)
    if ("invalid" in scripted) return yield* usage(scripted.invalid)
    const probabilities = input.faultProbability.map(parseProbability)
    const bad = probabilities.find((p) => "invalid" in p)
    if (bad !== undefined && "invalid" in bad) return yield* usage(bad.invalid)
    const sandbox = yield* Effect.acquireRelease(
      Effect.tryPromise(() =>
        Sandbox.start({
          port: input.port,
          timeScale: input.timeScale,
          orders: input.orders,
          corruptDownloads: input.corruptDownloads,
          faults: scripted.faults
        })
      ),
      (handle) => Effect.promise(() => handle.close())
    ).pipe(Effect.catch((error) => usage(`cannot start the sandbox: ${String(error)}`)))
    for (const p of probabilities) {
      if ("operation" in p) sandbox.faults.sometimes(p.operation, p.fault, p.probability)
    }
    yield* print(
      `${style.green("✔")} MWS sandbox listening on ${style.bold(sandbox.url)}${input.timeScale === 1 ? "" : ` (time ${input.timeScale}x)`}`,
      "",
      "Point the client at it (paste these lines as they are):",
      ...exportLines(sandbox.url, input.timeScale).map((line) => `  ${line}`),
      "",
      style.dim(
        "The key is the sandbox's published test key (Sandbox.DEFAULT_CREDENTIAL), not a secret. Ctrl-C stops it."
      )
    )
    let printed = 0
    const drain = Effect.gen(function* () {
      const log = sandbox.requests()
      for (; printed < log.length; printed++) {
        const entry = log[printed]!
        if (input.quiet) continue
        const status =
          entry.status === null
            ? style.red("reset")
            : entry.status >= 400
              ? style.red(String(entry.status))
              : style.green(String(entry.status))
        yield* print(
          `${style.dim(entry.timestamp)}  ${entry.requestId ?? style.dim("(no response)")}  ${entry.section ?? "?"}/${entry.operation ?? "?"}  ${status}${entry.code === undefined ? "" : ` ${entry.code}`}${entry.fault === undefined ? "" : style.yellow(` [fault ${entry.fault}]`)}`
        )
      }
    })
    return yield* Effect.repeat(drain, Schedule.spaced(LOG_POLL_MS)).pipe(Effect.andThen(Effect.never))
  }, Effect.scoped)
).pipe(
  Command.withDescription("Run the local MWS emulator (signature checks, quotas, faults) until Ctrl-C"),
  Command.withExamples([
    { command: "mws sandbox --port 8080 --time-scale 60", description: "A sandbox whose quotas restore 60x faster" },
    {
      command: 'mws sandbox --fault ListOrders=internal-error,internal-error --fault-probability "*=reset:0.05"',
      description: "With faults"
    }
  ])
)
