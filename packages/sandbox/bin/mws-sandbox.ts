#!/usr/bin/env node
/**
 * `mws-sandbox`: runs the local MWS emulator until interrupted, printing a
 * line per request it answers.
 *
 *   mws-sandbox [--port 0] [--host 127.0.0.1] [--time-scale 1] [--orders 25]
 *               [--fault ListOrders=internal-error,reset] [--fault "*=delay:500"]
 *               [--fault-probability "*=service-unavailable:0.1"]
 *               [--access-key-id ID --secret-key-env VAR] [--corrupt-downloads] [--quiet]
 *
 * Exit codes, as `mws`: 0 after `--help` or `--version`; 2 usage error (a
 * bad flag, or the server could not start), with what is wrong and the
 * one-line usage on stderr; 130 stopped by SIGINT (Ctrl-C); 143 stopped by
 * SIGTERM. A signal closes the server (the requests answered meanwhile are
 * printed first) within {@link STOP_DEADLINE_MS}; a second one exits at once.
 *
 * Built on `effect/cli` with nothing but `effect`: the few services
 * `Command.runWith` asks for are stand-ins (see `cliServices`), so the
 * package needs no `@effect/platform-node`.
 */
import { Cause, Console, Effect, Exit, FileSystem, Layer, Option, Path, Runtime, Stdio, Terminal } from "effect"
import { CliConfig, CliError, CliOutput, Command, Flag, GlobalFlag } from "effect/cli"
import { ChildProcessSpawner } from "effect/process"
import packageJson from "../package.json" with { type: "json" }
import { Faults, Sandbox } from "../src/index.ts"

const NAME = "mws-sandbox"

/** How often new request-log entries are printed: 200 ms, quick enough to read along, as the bin always did. */
const LOG_POLL_MS = 200

/**
 * How long the sandbox may take to stop after SIGINT or SIGTERM: 900 ms, the
 * bound `mws` keeps (inside the second a person expects Ctrl-C to take).
 * Closing the server takes milliseconds; past this the process exits anyway.
 */
const STOP_DEADLINE_MS = 900

/** The exit code of each signal: 128 + its number, what a shell reports and what `mws` exits with. */
const SIGNAL_EXIT_CODES = { SIGINT: 130, SIGTERM: 143 } as const

/** The exit code of a usage error (a bad flag, a server that could not start), as `mws`. */
const USAGE_EXIT_CODE = 2

/** The signals that stop the sandbox. */
type Signal = keyof typeof SIGNAL_EXIT_CODES

const SIGNALS = Object.keys(SIGNAL_EXIT_CODES) as ReadonlyArray<Signal>

/** The highest seed `--orders` takes: 100,000 orders, far more than any paging test needs, little memory. */
const MAX_ORDERS = 100_000

/** A usage error found after parsing: shown by the presenter like a parse error (exit 2). */
const usageError = (message: string) =>
  new CliError.ShowHelp({ commandPath: [NAME], errors: [new CliError.ValidationError({ message })] })

/** A flag value rejected with `message` unless `ok`. */
const check =
  <A>(ok: (value: A) => boolean, message: (value: A) => string) =>
  (value: A): Effect.Effect<A, CliError.ValidationError> =>
    ok(value) ? Effect.succeed(value) : Effect.fail(new CliError.ValidationError({ message: message(value) }))

/** `OP=KIND[,KIND...]` as the operation and its scripted faults. */
const parseScripted = (spec: string) => {
  const at = spec.indexOf("=")
  const faults = spec
    .slice(at + 1)
    .split(",")
    .map((kind) => ({ kind, fault: Faults.parse(kind) }))
  const unknown = faults.find(({ fault }) => fault === undefined)
  return at <= 0 || at === spec.length - 1
    ? Effect.fail(new CliError.ValidationError({ message: `--fault takes OP=KIND[,KIND...], got "${spec}"` }))
    : unknown !== undefined
      ? Effect.fail(
          new CliError.ValidationError({
            message: `unknown fault "${unknown.kind}": use ${Faults.KINDS.join(", ")} (delay as delay:MS)`
          })
        )
      : Effect.succeed({ operation: spec.slice(0, at), faults: faults.map(({ fault }) => fault!) })
}

/** `OP=KIND:P` as the operation, the fault and its probability. */
const parseProbability = (spec: string) => {
  const match = /^([^=]+)=([a-z0-9-]+(?::\d+)?):([0-9.]+)$/.exec(spec)
  const fault = match === null ? undefined : Faults.parse(match[2]!)
  const probability = Number(match?.[3])
  return match === null || fault === undefined || !(probability >= 0 && probability <= 1)
    ? Effect.fail(
        new CliError.ValidationError({ message: `--fault-probability takes OP=KIND:P with P in 0..1, got "${spec}"` })
      )
    : Effect.succeed({ operation: match[1]!, fault, probability })
}

/** A request-log entry as one printed line. */
const logLine = (entry: ReturnType<Sandbox.SandboxHandle["requests"]>[number]): string =>
  [
    entry.timestamp,
    entry.requestId ?? "(no response)",
    `${entry.section ?? "-"}/${entry.operation ?? "-"}`,
    entry.status ?? "reset",
    entry.code ?? "",
    entry.fault ? `fault=${entry.fault}` : ""
  ]
    .join("  ")
    .trimEnd()

/** The `mws-sandbox` command. */
const command = Command.make(
  NAME,
  {
    port: Flag.Int("port").pipe(
      Flag.withDescription("Port to listen on (0: a free one)"),
      Flag.withDefault(0),
      Flag.mapEffect(
        check(
          (n) => n >= 0 && n < 65536,
          (n) => `--port must be 0 to 65535, got ${n}`
        )
      )
    ),
    host: Flag.String("host").pipe(Flag.withDescription("Address to listen on (default 127.0.0.1)"), Flag.optional),
    timeScale: Flag.Finite("time-scale").pipe(
      Flag.withDescription("Quotas run this many times faster (default 1; 60: a minute's restore takes a second)"),
      Flag.withDefault(1),
      Flag.mapEffect(
        check(
          (x) => x > 0,
          (x) => `--time-scale must be a positive number, got ${x}`
        )
      )
    ),
    orders: Flag.Int("orders").pipe(
      Flag.withDescription(`Orders to seed (default ${Sandbox.DEFAULT_ORDER_COUNT})`),
      Flag.withDefault(Sandbox.DEFAULT_ORDER_COUNT),
      Flag.mapEffect(
        check(
          (n) => n >= 0 && n <= MAX_ORDERS,
          (n) => `--orders must be 0 to ${MAX_ORDERS}, got ${n}`
        )
      )
    ),
    fault: Flag.String("fault").pipe(
      Flag.withDescription(
        `Script faults for the next calls of OP ("*" for any): OP=KIND[,KIND...], kinds ${Faults.KINDS.join(", ")} (delay as delay:MS)`
      ),
      Flag.mapEffect(parseScripted),
      Flag.atLeast(0)
    ),
    faultProbability: Flag.String("fault-probability").pipe(
      Flag.withDescription("Inject KIND on a fraction P of OP's calls: OP=KIND:P"),
      Flag.mapEffect(parseProbability),
      Flag.atLeast(0)
    ),
    accessKeyId: Flag.String("access-key-id").pipe(
      Flag.withDescription("Accept this access key id (with --secret-key-env) instead of the sandbox default"),
      Flag.optional
    ),
    secretKeyEnv: Flag.String("secret-key-env").pipe(
      Flag.withDescription("The environment variable holding the secret key (never taken on the command line)"),
      Flag.optional
    ),
    corruptDownloads: Flag.Boolean("corrupt-downloads").pipe(
      Flag.withDescription("Corrupt every GetReport / GetFeedSubmissionResult body"),
      Flag.withDefault(false)
    ),
    quiet: Flag.Boolean("quiet").pipe(Flag.withDescription("Do not print a line per request"), Flag.withDefault(false))
  },
  Effect.fnUntraced(function* (input) {
    let credentials: ReadonlyArray<Sandbox.Credential> | undefined
    let secretSource = "the sandbox default (Sandbox.DEFAULT_CREDENTIAL in @mws-kit/sandbox)"
    if (Option.isSome(input.accessKeyId)) {
      if (Option.isNone(input.secretKeyEnv)) {
        return yield* usageError(
          "--access-key-id needs --secret-key-env (the secret is never taken on the command line)"
        )
      }
      const secretKey = process.env[input.secretKeyEnv.value]
      if (secretKey === undefined) {
        return yield* usageError(`environment variable ${input.secretKeyEnv.value} is not set`)
      }
      credentials = [{ accessKeyId: input.accessKeyId.value, secretKey }]
      secretSource = `from $${input.secretKeyEnv.value}`
    }
    const faults: Record<string, Array<Faults.Fault>> = {}
    for (const { operation, faults: scripted } of input.fault) {
      faults[operation] = [...(faults[operation] ?? []), ...scripted]
    }
    const sandbox = yield* Effect.acquireRelease(
      Effect.tryPromise(() =>
        Sandbox.start({
          port: input.port,
          ...Option.match(input.host, { onNone: () => ({}), onSome: (host) => ({ host }) }),
          timeScale: input.timeScale,
          orders: input.orders,
          ...(credentials === undefined ? {} : { credentials }),
          corruptDownloads: input.corruptDownloads,
          faults
        })
      ),
      (handle) => Effect.promise(() => handle.close())
    ).pipe(
      Effect.mapError((error) =>
        usageError(`could not start: ${error.cause instanceof Error ? error.cause.message : String(error.cause)}`)
      )
    )
    for (const { operation, fault, probability } of input.faultProbability) {
      sandbox.faults.sometimes(operation, fault, probability)
    }

    yield* Console.log(
      [
        `${NAME} listening on ${sandbox.url}`,
        `  access key id: ${(credentials?.[0] ?? Sandbox.DEFAULT_CREDENTIAL).accessKeyId}`,
        `  secret key:    ${secretSource}`,
        `  seller id:     any (demos use ${Sandbox.DEFAULT_SELLER_ID})`,
        `  request log:   ${sandbox.url}/_sandbox/requests`
      ].join("\n")
    )
    if (input.quiet) return yield* Effect.never
    let printed = 0
    const printNew = Effect.suspend(() => {
      const log = sandbox.requests()
      const fresh = log.slice(printed)
      printed = log.length
      return fresh.length === 0 ? Effect.void : Console.log(fresh.map(logLine).join("\n"))
    })
    // On a signal, the requests answered since the last poll are printed before the server closes.
    return yield* printNew.pipe(Effect.delay(LOG_POLL_MS), Effect.forever, Effect.ensuring(printNew))
  }, Effect.scoped)
).pipe(
  Command.withDescription(
    "Runs the local MWS emulator (signature checks, quotas, faults) until Ctrl-C, printing a line per request.\n" +
      "Exit codes: 0 --help/--version; 2 usage error; 130 interrupted (SIGINT); 143 terminated (SIGTERM)."
  ),
  Command.withExamples([
    { command: "mws-sandbox --port 8080 --time-scale 60", description: "A sandbox whose quotas restore 60x faster" },
    {
      command: 'mws-sandbox --fault ListOrders=internal-error,reset --fault-probability "*=service-unavailable:0.1"',
      description: "With faults"
    },
    {
      command: "MY_SECRET=... mws-sandbox --access-key-id AKIA... --secret-key-env MY_SECRET",
      description: "With your own credential"
    }
  ])
)

/** A wrong invocation: what is wrong and the one-line usage on stderr (exit 2); `--help` prints the full help on stdout. */
const presenter = CliOutput.layerPresenter({
  present: (event) => {
    if (event._tag !== "InvalidInvocation") return CliOutput.defaultPresenter.present(event)
    const colors = process.stderr.isTTY === true && !process.env.NO_COLOR && process.env.TERM !== "dumb"
    return Console.error(
      `${CliOutput.defaultFormatter({ colors }).formatErrors(event.errors)}\n` +
        `Usage: ${event.helpDoc.usage}\nRun '${NAME} --help' for the options.`
    )
  }
})

/**
 * The services `Command.runWith` asks for (files, paths, a terminal, child
 * processes, stdio). No flag reads a file, nothing prompts (the `--wizard`
 * built-in is left out) and nothing spawns, so none of them is ever called:
 * stand-ins from `effect` itself keep the bin free of `@effect/platform-node`.
 */
const cliServices = Layer.mergeAll(
  FileSystem.layerNoop({}),
  Path.layer,
  Stdio.layerTest({}),
  Layer.mock(Terminal.Terminal, { "~effect/Terminal": "~effect/Terminal" }),
  Layer.mock(ChildProcessSpawner.ChildProcessSpawner, {}),
  CliConfig.layer({ builtIns: GlobalFlag.BuiltIns.filter((flag) => flag !== GlobalFlag.Wizard) })
)

/**
 * Runs the command as the process: SIGINT and SIGTERM interrupt it (which
 * closes the server) and exit with the signal's code within
 * {@link STOP_DEADLINE_MS}; otherwise the exit code is 0, or 2 for a usage
 * error. Effect's `NodeRuntime.runMain` would exit 130 for SIGTERM too and
 * wait on a stuck close without bound.
 */
const run = (program: Effect.Effect<void, unknown>): void => {
  const fiber = Effect.runFork(program)
  let signal: Signal | undefined
  // Node hands a signal's listener the signal's name.
  const stop = (received: Signal) => {
    if (signal !== undefined) process.exit(SIGNAL_EXIT_CODES[received])
    signal = received
    fiber.interruptUnsafe()
    setTimeout(() => process.exit(SIGNAL_EXIT_CODES[received]), STOP_DEADLINE_MS).unref()
  }
  for (const name of SIGNALS) process.on(name, stop)
  fiber.addObserver((exit) => {
    for (const name of SIGNALS) process.removeListener(name, stop)
    if (signal !== undefined) {
      process.stderr.write(`${NAME}: stopped (${signal})\n`)
      process.exit(SIGNAL_EXIT_CODES[signal])
    }
    if (Exit.isSuccess(exit)) return
    const error = Cause.squash(exit.cause)
    if (CliError.isCliError(error)) {
      process.exitCode = error._tag === "ShowHelp" && error.errors.length === 0 ? 0 : USAGE_EXIT_CODE
      return
    }
    process.stderr.write(`${NAME}: unexpected failure (a bug): ${Cause.pretty(exit.cause)}\n`)
    process.exitCode = Runtime.getErrorExitCode(error)
  })
}

run(
  Command.runWith(command, { version: packageJson.version })(process.argv.slice(2)).pipe(
    Effect.provide(cliServices),
    Effect.provide(presenter)
  )
)
