#!/usr/bin/env node
/**
 * `mws-sandbox`: runs the local MWS emulator until interrupted, printing a
 * line per request it answers.
 *
 *   mws-sandbox [--port 0] [--host 127.0.0.1] [--time-scale 1] [--orders 25]
 *               [--fault ListOrders=internal-error,reset] [--fault "*=delay:500"]
 *               [--fault-probability "*=service-unavailable:0.1"]
 *               [--access-key-id ID --secret-key-env VAR] [--corrupt-downloads] [--quiet]
 */
import { parseArgs } from "node:util"
import { Faults, Sandbox } from "../src/index.ts"

const usage = `Usage: mws-sandbox [options]
  --port N                    port to listen on (default 0: a free one)
  --host ADDRESS              address to listen on (default 127.0.0.1)
  --time-scale X              quotas run X times faster (default 1)
  --orders N                  orders to seed (default ${Sandbox.DEFAULT_ORDER_COUNT})
  --fault OP=KIND[,KIND...]   script faults for the next calls of OP ("*" for any)
                              kinds: ${Faults.KINDS.join(", ")} (delay as delay:MS)
  --fault-probability OP=KIND:P   inject KIND on a fraction P of OP's calls
  --access-key-id ID          accept this access key id ...
  --secret-key-env VAR        ... with the secret key read from environment variable VAR
  --corrupt-downloads         corrupt every GetReport / GetFeedSubmissionResult body
  --quiet                     do not print a line per request`

const fail = (message: string): never => {
  console.error(`mws-sandbox: ${message}\n\n${usage}`)
  process.exit(2)
}

const { values } = (() => {
  try {
    return parseArgs({
      options: {
        port: { type: "string" },
        host: { type: "string" },
        "time-scale": { type: "string" },
        orders: { type: "string" },
        fault: { type: "string", multiple: true },
        "fault-probability": { type: "string", multiple: true },
        "access-key-id": { type: "string" },
        "secret-key-env": { type: "string" },
        "corrupt-downloads": { type: "boolean" },
        quiet: { type: "boolean" },
        help: { type: "boolean" }
      }
    })
  } catch (error) {
    return fail(error instanceof Error ? error.message : String(error))
  }
})()

if (values.help) {
  console.log(usage)
  process.exit(0)
}

const number = (name: string, text: string | undefined, check: (n: number) => boolean): number | undefined => {
  if (text === undefined) return undefined
  const n = Number(text)
  return check(n)
    ? n
    : fail(`--${name} must be ${name === "time-scale" ? "a positive number" : "a whole number"}, got "${text}"`)
}

const scripted: Record<string, Array<Faults.Fault>> = {}
for (const spec of values.fault ?? []) {
  const [operation, kinds] = spec.split("=", 2)
  if (!operation || !kinds) fail(`--fault takes OP=KIND[,KIND...], got "${spec}"`)
  for (const kind of kinds!.split(",")) {
    const fault = Faults.parse(kind) ?? fail(`unknown fault "${kind}"`)
    scripted[operation!] = [...(scripted[operation!] ?? []), fault]
  }
}

let credentials: ReadonlyArray<Sandbox.Credential> | undefined
if (values["access-key-id"] !== undefined) {
  const variable =
    values["secret-key-env"] ??
    fail("--access-key-id needs --secret-key-env (the secret is never taken on the command line)")
  const secretKey = process.env[variable!] ?? fail(`environment variable ${variable} is not set`)
  credentials = [{ accessKeyId: values["access-key-id"], secretKey: secretKey! }]
}

const port = number("port", values.port, (n) => Number.isInteger(n) && n >= 0 && n < 65536)
const timeScale = number("time-scale", values["time-scale"], (n) => n > 0 && Number.isFinite(n))
const orders = number("orders", values.orders, (n) => Number.isInteger(n) && n >= 0 && n <= 100_000)
const options: Sandbox.SandboxOptions = {
  ...(port === undefined ? {} : { port }),
  ...(values.host === undefined ? {} : { host: values.host }),
  ...(timeScale === undefined ? {} : { timeScale }),
  ...(orders === undefined ? {} : { orders }),
  ...(credentials === undefined ? {} : { credentials }),
  ...(values["corrupt-downloads"] ? { corruptDownloads: true } : {}),
  faults: scripted
}

const sandbox = await Sandbox.start(options).catch((error: unknown) =>
  fail(`could not start: ${error instanceof Error ? error.message : String(error)}`)
)
for (const spec of values["fault-probability"] ?? []) {
  const match = /^([^=]+)=([a-z0-9-]+(?::\d+)?):([0-9.]+)$/.exec(spec)
  const fault = match === null ? undefined : Faults.parse(match[2]!)
  const probability = Number(match?.[3])
  if (match === null || fault === undefined || !(probability >= 0 && probability <= 1)) {
    await sandbox.close()
    fail(`--fault-probability takes OP=KIND:P with P in 0..1, got "${spec}"`)
  }
  sandbox.faults.sometimes(match![1]!, fault!, probability)
}

console.log(`mws-sandbox listening on ${sandbox.url}`)
console.log(`  access key id: ${(credentials?.[0] ?? Sandbox.DEFAULT_CREDENTIAL).accessKeyId}`)
console.log(
  `  secret key:    ${credentials === undefined ? "the sandbox default (Sandbox.DEFAULT_CREDENTIAL in @mws-kit/sandbox)" : `from $${values["secret-key-env"]}`}`
)
console.log(`  seller id:     any (demos use ${Sandbox.DEFAULT_SELLER_ID})`)
console.log(`  request log:   ${sandbox.url}/_sandbox/requests`)

if (!values.quiet) {
  let printed = 0
  setInterval(() => {
    const log = sandbox.requests()
    for (const entry of log.slice(printed)) {
      console.log(
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
      )
    }
    printed = log.length
  }, 200).unref()
}

const stop = () => {
  sandbox.close().then(
    () => process.exit(0),
    () => process.exit(1)
  )
}
process.once("SIGINT", stop)
process.once("SIGTERM", stop)
