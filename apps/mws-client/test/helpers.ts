import { RetryBudget } from "@mws-kit/backoff-policy"
import type { LedgerEntry } from "@mws-kit/request-ledger"
import { Throttle } from "@mws-kit/throttle"
import { type Duration, Effect, Exit, Layer } from "effect"
import { ClientConfig, MwsClient, Transport, TransportError } from "../src/index.ts"

export const SECRET = "test-secret-key-0123456789abcdef"
export const TOKEN = "amzn.mws.4ea38b7b-f563-7709-4bae-87aeaEXAMPLE"

export const config = (overrides: Partial<ClientConfig.ClientConfig> = {}): ClientConfig.ClientConfig => ({
  ...ClientConfig.forSandbox({
    url: "http://127.0.0.1:9",
    accessKeyId: "AKIATESTEXAMPLE00001",
    secretKey: SECRET,
    sellerId: "A1TESTSELLER",
    authToken: TOKEN
  }),
  ...overrides
})

export interface Sent {
  readonly request: Transport.TransportRequest
  readonly at: number
}

export type Answer =
  | { readonly status: number; readonly body: string; readonly headers?: Readonly<Record<string, string>> }
  | { readonly fail: TransportError.Kind }

let counter = 0
export const requestId = () => `req-${++counter}`

export const errorBody = (code: string, message = `${code} happened`, type = "Sender") =>
  `<?xml version="1.0"?><ErrorResponse xmlns="https://mws.amazonservices.com/Orders/2013-09-01"><Error><Type>${type}</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestID>body-id</RequestID></ErrorResponse>`

export const okBody = (operation: string, inner = "") =>
  `<?xml version="1.0"?><${operation}Response xmlns="https://mws.amazonservices.com/Orders/2013-09-01"><${operation}Result>${inner}</${operation}Result><ResponseMetadata><RequestId>body-id</RequestId></ResponseMetadata></${operation}Response>`

export const ok = (operation: string, inner = "", headers: Record<string, string> = {}): Answer => ({
  status: 200,
  body: okBody(operation, inner),
  headers
})
export const error = (status: number, code: string, message?: string): Answer => ({
  status,
  body: errorBody(code, message, status >= 500 && code !== "RequestThrottled" ? "Receiver" : "Sender")
})

/** A transport that answers from a script (the last answer repeats) and remembers what was sent, on the test clock. */
export const scripted = (answers: ReadonlyArray<Answer>) => {
  const sent: Array<Sent> = []
  let index = 0
  const layer = Layer.succeed(Transport.Transport, {
    send: (request) =>
      Effect.gen(function* () {
        const at = yield* Effect.clockWith((clock) => clock.currentTimeMillis)
        sent.push({ request, at })
        const answer = answers[Math.min(index++, answers.length - 1)]!
        if ("fail" in answer) {
          return yield* new TransportError.MwsTransportError({
            kind: answer.fail,
            sent: answer.fail !== "refused",
            section: request.section,
            operation: request.operation,
            requestTimestamp: request.signed.timestamp
          })
        }
        const id = requestId()
        return {
          status: answer.status,
          headers: { "x-mws-request-id": id, "x-mws-timestamp": new Date(at).toISOString(), ...answer.headers },
          body: new TextEncoder().encode(answer.body)
        }
      })
  })
  return { sent, layer }
}

export interface Harness {
  readonly rows: Array<LedgerEntry.RecordInput>
  readonly reports: Array<MwsClient.AttemptReport>
  readonly layer: Layer.Layer<MwsClient.MwsClient | Throttle.Throttle>
}

/** A client over a transport, recording into an array, with its own throttle and retry budget. */
export const harness = (
  transport: Layer.Layer<Transport.Transport>,
  options: {
    readonly config?: ClientConfig.ClientConfig
    readonly retry?: MwsClient.ClientOptions["retry"]
    /** The throttle's longest wait for a permit (its default otherwise). */
    readonly maxWait?: Duration.Input
  } = {}
): Harness => {
  const rows: Array<LedgerEntry.RecordInput> = []
  const reports: Array<MwsClient.AttemptReport> = []
  const cfg = options.config ?? config()
  const layer = MwsClient.MwsClient.layerWith(cfg, {
    record: (input) => Effect.sync(() => rows.push(input)),
    onAttempt: (report) => Effect.sync(() => reports.push(report)),
    ...(options.retry === undefined ? {} : { retry: options.retry })
  }).pipe(
    Layer.provideMerge(
      Throttle.Throttle.layerMemory({
        timeScale: cfg.timeScale,
        ...(options.maxWait === undefined ? {} : { maxWait: options.maxWait })
      })
    ),
    Layer.provide(transport),
    Layer.provide(RetryBudget.RetryBudget.layer())
  )
  return { rows, reports, layer }
}

/** The value of a successful exit (fails the test otherwise). */
export const successOf = <A, E>(exit: Exit.Exit<A, E>): A => {
  if (Exit.isSuccess(exit)) return exit.value
  throw new Error(`expected a success, got ${String(exit.cause)}`)
}

/** The typed error of a failed exit (fails the test otherwise). */
export const failureOf = <A, E>(exit: Exit.Exit<A, E>): E => {
  if (Exit.isFailure(exit)) {
    const reason = exit.cause.reasons[0]
    if (reason !== undefined && reason._tag === "Fail") return reason.error
  }
  throw new Error(`expected a typed failure, got ${String(exit)}`)
}
