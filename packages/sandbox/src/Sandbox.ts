/**
 * A local MWS emulator: an HTTP server on loopback that routes
 * `/{Section}/{Version}`, checks Signature Version 2, the Timestamp and the
 * User-Agent, throttles with the documented quotas (time-scaled), checks
 * Content-MD5, answers a set of operations with small valid bodies, injects
 * faults on demand and logs every request id it issues.
 *
 * @since 0.1.0
 */
import { randomBytes, randomUUID } from "node:crypto"
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http"
import type { AddressInfo } from "node:net"
import { MwsQuotas, type QuotaCatalog } from "@mws-kit/throttle"
import { Signature } from "@mws-kit/wire-format"
import { Context, Effect, Layer } from "effect"
import * as Faults from "./Faults.ts"
import { KNOWN_ASINS, md5Base64, type OperationResult, SandboxData } from "./internal/operations.ts"
import { ServerQuotas } from "./internal/serverQuotas.ts"
import { element } from "./internal/xml.ts"
import type { LoggedRequest } from "./RequestLog.ts"
import * as Sections from "./Sections.ts"

/**
 * A pair of credentials the sandbox accepts.
 *
 * @category models
 * @since 0.1.0
 */
export interface Credential {
  readonly accessKeyId: string
  readonly secretKey: string
}

/**
 * The credentials the sandbox accepts unless told otherwise. They are not
 * secret: anyone can read them here, and they work nowhere but the sandbox.
 *
 * @category constants
 * @since 0.1.0
 */
export const DEFAULT_CREDENTIAL: Credential = {
  accessKeyId: "AKIASANDBOXEXAMPLE01",
  secretKey: "sandbox-secret-key-not-a-real-one"
}

/**
 * The seller id the demos use. The sandbox accepts any seller id.
 *
 * @category constants
 * @since 0.1.0
 */
export const DEFAULT_SELLER_ID = "A1SANDBOXSELLER"

/**
 * How far a request's Timestamp may be from the server's clock: 15 minutes
 * (MWS Developer Guide, "Timestamps": requests that differ by more are
 * rejected, and a Timestamp expires 15 minutes after it).
 *
 * @category constants
 * @since 0.1.0
 */
export const MAX_CLOCK_SKEW_MS = 15 * 60_000

/**
 * The longest User-Agent accepted: 500 characters (MWS Developer Guide,
 * "Including a User-Agent header"; the Feeds and Reports error list names
 * UserAgentHeaderMaximumLengthExceeded).
 *
 * @category constants
 * @since 0.1.0
 */
export const MAX_USER_AGENT_LENGTH = 500

/**
 * The largest request body read: 32 MiB. Real feeds may be larger (the docs
 * allow up to 2 GiB); the sandbox is for tests and demos.
 *
 * @category constants
 * @since 0.1.0
 */
export const MAX_REQUEST_BYTES = 32 * 1024 * 1024

/**
 * Orders the sandbox seeds unless told otherwise: enough for three
 * ListOrders pages of 10.
 *
 * @category constants
 * @since 0.1.0
 */
export const DEFAULT_ORDER_COUNT = 25

/** Bytes written per chunk of a `huge-body` answer: 64 KiB, Node's default stream high-water mark for sockets. */
const HUGE_CHUNK_BYTES = 64 * 1024

/**
 * Sandbox options; every one has a default.
 *
 * @category models
 * @since 0.1.0
 */
export interface SandboxOptions {
  /** The port; 0 (default) picks a free one. */
  readonly port?: number
  /** The address to listen on (default 127.0.0.1; loopback only). */
  readonly host?: string
  /** Time runs this many times faster for quotas: 3600 makes an hour last a second (default 1). */
  readonly timeScale?: number
  /** Accepted credentials (default {@link DEFAULT_CREDENTIAL}). */
  readonly credentials?: ReadonlyArray<Credential>
  /** The quota catalog (default `@mws-kit/throttle`'s MWS catalog). */
  readonly quotas?: QuotaCatalog.QuotaCatalog
  /** Orders to seed (default {@link DEFAULT_ORDER_COUNT}). */
  readonly orders?: number
  /** Corrupt every download's body (its Content-MD5 header stays the true one). */
  readonly corruptDownloads?: boolean
  /** Faults to script from the start, per operation (`"*"` for any). */
  readonly faults?: Readonly<Record<string, ReadonlyArray<Faults.Fault>>>
  /** The clock, in epoch milliseconds (default `Date.now`). */
  readonly now?: () => number
  /** The random source for probabilistic faults (default `Math.random`). */
  readonly random?: () => number
}

/**
 * A running sandbox.
 *
 * @category models
 * @since 0.1.0
 */
export interface SandboxHandle {
  /** `http://127.0.0.1:PORT`: the endpoint to point a client at. */
  readonly url: string
  readonly port: number
  /** The Host header value clients send (and sign). */
  readonly host: string
  /** Every request answered so far, oldest first. */
  readonly requests: () => ReadonlyArray<LoggedRequest>
  /** Scripted and probabilistic faults. */
  readonly faults: Faults.FaultPlan
  /** Corrupts the bodies of the next `count` downloads (GetReport, GetFeedSubmissionResult). */
  readonly corruptNextDownloads: (count?: number) => void
  /** Stops the server. */
  readonly close: () => Promise<void>
}

interface Answer {
  readonly status: number
  readonly body: string
  readonly contentType: string
  readonly headers?: Readonly<Record<string, string>>
  readonly code?: string
}

const DOWNLOADS = new Set(["GetReport", "GetFeedSubmissionResult"])
/** Feeds operations, for requests posted to `/` (Feeds and Reports share that path). */
const FEEDS_PREFIXES = ["SubmitFeed", "GetFeedSubmission", "CancelFeedSubmissions"]

const RECEIVER_CODES = new Set(["InternalError", "ServiceUnavailable"])

const errorAnswer = (
  section: Sections.Section | undefined,
  status: number,
  code: string,
  message: string,
  requestId: string
): Answer => {
  const type = code === "RequestThrottled" ? "" : RECEIVER_CODES.has(code) ? "Receiver" : "Sender"
  const idElement = Sections.requestIdElement(section?.name, status)
  const namespace = section?.errorNamespace ?? Sections.ROOT_NAMESPACE
  const detail = code === "RequestThrottled" ? "" : "\n    <Detail/>"
  return {
    status,
    code,
    contentType: "text/xml",
    body: `<?xml version="1.0"?>\n<ErrorResponse xmlns="${namespace}">\n  <Error>\n    <Type>${type}</Type>\n    ${element("Code", code)}\n    ${element("Message", message)}${detail}\n  </Error>\n  ${element(idElement, requestId)}\n</ErrorResponse>\n`
  }
}

const htmlPage = (status: number, title: string): Answer => ({
  status,
  contentType: "text/html",
  body: `<html>\r\n<head><title>${status} ${title}</title></head>\r\n<body>\r\n<center><h1>${status} ${title}</h1></center>\r\n</body>\r\n</html>\r\n`
})

const UTC_DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
const UTC_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

/** "Mon Mar 25 02:25:00 UTC 2019", the date format of QuotaExceeded messages (mws-facts 1.5). */
const quotaResetText = (millis: number): string => {
  const d = new Date(millis)
  const two = (n: number) => String(n).padStart(2, "0")
  return `${UTC_DAYS[d.getUTCDay()]} ${UTC_MONTHS[d.getUTCMonth()]} ${two(d.getUTCDate())} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`
}

const USER_AGENT = /^[^/\s][^/]*\/[^\s(]+ \((.*)\)\s*$/

const userAgentProblem = (userAgent: string | undefined): { code: string; message: string } | undefined => {
  if (userAgent === undefined || userAgent.trim() === "") {
    return { code: "UserAgentHeaderMissing", message: "The required MWS User-Agent header is missing." }
  }
  if (userAgent.length > MAX_USER_AGENT_LENGTH) {
    return {
      code: "UserAgentHeaderMaximumLengthExceeded",
      message: `The MWS User-Agent header exceeded ${MAX_USER_AGENT_LENGTH} characters.`
    }
  }
  const match = USER_AGENT.exec(userAgent)
  if (match === null) {
    return {
      code: "UserAgentHeaderMalformed",
      message: `Problem with required MWS User-Agent header (e.g. "MyAppName/build123 (Language=Java/1.2)"): ${userAgent.slice(0, 100)}`
    }
  }
  if (!/(^|;)\s*Language=/.test(match[1]!)) {
    return {
      code: "UserAgentHeaderLanguageAttributeMissing",
      message: "The MWS User-Agent header has no Language attribute."
    }
  }
  return undefined
}

const readBody = (request: IncomingMessage): Promise<Buffer | undefined> =>
  new Promise((resolve, reject) => {
    const chunks: Array<Buffer> = []
    let size = 0
    request.on("data", (chunk: Buffer) => {
      size += chunk.length
      if (size > MAX_REQUEST_BYTES) {
        resolve(undefined)
        request.removeAllListeners("data")
        request.resume()
        return
      }
      chunks.push(chunk)
    })
    request.on("end", () => resolve(Buffer.concat(chunks)))
    request.on("error", reject)
  })

/**
 * Starts a sandbox and resolves once it listens. For Effect programs and
 * tests, prefer {@link Sandbox.layer}, which stops it when its scope closes.
 *
 * @example
 * ```ts
 * import { Sandbox } from "@mws-kit/sandbox"
 *
 * const sandbox = await Sandbox.start({ timeScale: 60 })
 * // point a client at sandbox.url, with Sandbox.DEFAULT_CREDENTIAL
 * sandbox.faults.script("ListOrders", [{ kind: "internal-error" }, { kind: "internal-error" }])
 * await sandbox.close()
 * ```
 *
 * @category constructors
 * @since 0.1.0
 */
export const start = async (options: SandboxOptions = {}): Promise<SandboxHandle> => {
  const now = options.now ?? Date.now
  const timeScale = options.timeScale ?? 1
  if (!(timeScale > 0 && Number.isFinite(timeScale)))
    throw new RangeError(`timeScale must be a positive number, got ${timeScale}`)
  const credentials = new Map((options.credentials ?? [DEFAULT_CREDENTIAL]).map((c) => [c.accessKeyId, c.secretKey]))
  const quotas = new ServerQuotas(options.quotas ?? MwsQuotas.catalog, timeScale)
  const data = new SandboxData(options.orders ?? DEFAULT_ORDER_COUNT, now())
  const faults = new Faults.FaultPlan(options.random)
  for (const [operation, list] of Object.entries(options.faults ?? {})) faults.script(operation, list)
  const log: Array<LoggedRequest> = []
  let corruptCount = 0

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const url = new URL(request.url ?? "/", "http://sandbox")
    const path = url.pathname
    const requestId = randomUUID()
    const entry = { method: request.method ?? "GET", path } as {
      -readonly [K in keyof LoggedRequest]: LoggedRequest[K]
    }
    let fault: Faults.Fault | undefined

    const send = (answer: Answer, quotaHeaders?: Readonly<Record<string, string>>) => {
      const timestamp = new Date(now()).toISOString()
      log.push({ ...entry, requestId, timestamp, status: answer.status, code: answer.code, fault: fault?.kind })
      const headers: Record<string, string> = {
        "content-type": answer.contentType,
        "x-mws-request-id": requestId,
        "x-mws-timestamp": timestamp,
        "x-mws-response-context": randomBytes(36).toString("base64"),
        ...quotaHeaders,
        ...answer.headers
      }
      if (fault?.kind === "truncated") {
        response.writeHead(answer.status, headers) // chunked: the body simply ends early
        response.end(answer.body.slice(0, Math.floor(answer.body.length / 2)))
        return
      }
      response.writeHead(answer.status, { ...headers, "content-length": String(Buffer.byteLength(answer.body)) })
      if (fault?.kind === "reset-mid-body") {
        // The full length is promised, half is sent, and the connection goes: the client has the headers only.
        response.write(answer.body.slice(0, Math.floor(answer.body.length / 2)))
        setImmediate(() => request.socket.destroy())
        return
      }
      response.end(answer.body)
    }

    /** A `huge-body` / `huge-error` answer: `mib` MiB streamed with backpressure, never held in memory. */
    const sendHuge = (status: number, code: string | undefined, mib: number) => {
      const timestamp = new Date(now()).toISOString()
      log.push({ ...entry, requestId, timestamp, status, code, fault: fault?.kind })
      const head = Buffer.from(`<?xml version="1.0"?>\n<!-- ${requestId} -->\n`)
      const total = mib * 1024 * 1024
      response.writeHead(status, {
        "content-type": "text/xml",
        "x-mws-request-id": requestId,
        "x-mws-timestamp": timestamp,
        "content-length": String(total)
      })
      const padding = Buffer.alloc(HUGE_CHUNK_BYTES, 0x20)
      let sent = 0
      const pump = () => {
        if (sent === 0) {
          response.write(head)
          sent = head.length
        }
        while (sent < total) {
          const chunk = padding.subarray(0, Math.min(padding.length, total - sent))
          sent += chunk.length
          if (!response.write(chunk)) return void response.once("drain", pump)
        }
        response.end()
      }
      response.on("close", () => response.removeAllListeners("drain"))
      pump()
    }

    // Admin routes: the log and the faults, for tests and the CLI.
    if (path.startsWith("/_sandbox/")) return admin(request, response, path)

    const body = await readBody(request)
    if (body === undefined) {
      return send(
        errorAnswer(
          undefined,
          400,
          "InvalidParameterValue",
          "The request size exceeded the maximum accepted size.",
          requestId
        )
      )
    }
    // Parameters: the query string, or a form body. SubmitFeed keeps its parameters in the query and its feed in the body.
    const params = new Map<string, string>()
    for (const [name, value] of url.searchParams) if (!params.has(name)) params.set(name, value)
    const contentType = request.headers["content-type"] ?? ""
    const bodyIsParams = !params.has("Action") && contentType.includes("application/x-www-form-urlencoded")
    if (bodyIsParams) {
      for (const [name, value] of new URLSearchParams(body.toString("utf8")))
        if (!params.has(name)) params.set(name, value)
    }
    const action = params.get("Action")
    const section =
      path === "/" || path === ""
        ? Sections.byNameOf(
            action !== undefined && FEEDS_PREFIXES.some((prefix) => action.startsWith(prefix)) ? "Feeds" : "Reports"
          )
        : Sections.fromPath(path)
    entry.section = section?.name
    entry.operation = action
    entry.sellerId = params.get("SellerId") ?? params.get("Merchant")
    entry.requestTimestamp = params.get("Timestamp") ?? undefined
    // Quota headers, once the request has been counted against its hourly quota (Feeds, Reports, Products only).
    let quotaHeaders: Record<string, string> | undefined
    const fail = (status: number, code: string, message: string) =>
      send(errorAnswer(section, status, code, message, requestId), quotaHeaders)

    if (section === undefined) {
      return send(
        errorAnswer(
          undefined,
          404,
          "InvalidAddress",
          `The path ${path} is not a valid MWS API section and version.`,
          requestId
        )
      )
    }
    const userAgent = userAgentProblem(request.headers["user-agent"])
    if (userAgent !== undefined) return fail(400, userAgent.code, userAgent.message)
    if (!params.has("AWSAccessKeyId"))
      return fail(403, "MissingClientTokenId", "The request must contain the parameter AWSAccessKeyId.")
    for (const name of ["Action", "Signature", "SignatureMethod", "SignatureVersion", "Timestamp", "Version"]) {
      if (!params.has(name)) return fail(400, "MissingParameter", `The request must contain the parameter ${name}.`)
    }
    if (entry.sellerId === undefined)
      return fail(400, "MissingParameter", "The request must contain the parameter SellerId.")
    if (params.get("Version") !== section.version) {
      return fail(
        400,
        "InvalidParameterValue",
        `Version ${params.get("Version")} is not valid for ${section.name}; use ${section.version}.`
      )
    }
    if (params.get("SignatureVersion") !== "2") return fail(400, "InvalidParameterValue", "SignatureVersion must be 2.")
    const method = params.get("SignatureMethod")
    if (!Signature.isSignatureMethod(method)) {
      return fail(400, "InvalidParameterValue", "SignatureMethod must be HmacSHA256 or HmacSHA1.")
    }
    const secret = credentials.get(params.get("AWSAccessKeyId")!)
    if (secret === undefined)
      return fail(403, "InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records.")
    // Amazon's own client libraries sign the host without its port (`parse_url(host)`); others sign the
    // Host header as sent (`host:port`). Either is accepted.
    const host = request.headers.host ?? ""
    const signed = { method: request.method ?? "GET", host, path, params }
    const signature = params.get("Signature")!
    const withoutPort = host.replace(/:\d+$/, "")
    if (
      !Signature.verify(signed, secret, method, signature) &&
      (withoutPort === host || !Signature.verify({ ...signed, host: withoutPort }, secret, method, signature))
    ) {
      return fail(
        403,
        "SignatureDoesNotMatch",
        "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method."
      )
    }
    const timestamp = Date.parse(params.get("Timestamp")!)
    if (Number.isNaN(timestamp))
      return fail(400, "InvalidParameterValue", "Timestamp must be an ISO 8601 date and time.")
    if (Math.abs(now() - timestamp) > MAX_CLOCK_SKEW_MS) {
      return fail(
        400,
        "InvalidParameterValue",
        "Request has expired: its Timestamp is more than 15 minutes from the server's time."
      )
    }

    fault = faults.next(action!)
    if (fault !== undefined) {
      switch (fault.kind) {
        case "reset":
          log.push({
            ...entry,
            requestId: null,
            timestamp: new Date(now()).toISOString(),
            status: null,
            code: undefined,
            fault: "reset"
          })
          request.socket.destroy()
          return
        case "delay": {
          const { ms } = fault
          await new Promise((resolve) => setTimeout(resolve, ms))
          break
        }
        case "reset-mid-body":
          break // the usual answer, cut off in send()
        case "internal-error":
        case "truncated":
          return fail(500, "InternalError", "We encountered an internal error. Please try again.")
        case "service-unavailable":
          return fail(503, "ServiceUnavailable", "Service temporarily unavailable. Please try again.")
        case "request-throttled":
          return send(errorAnswer(section, 503, "RequestThrottled", "Request is throttled", requestId))
        case "html-502":
          return send(htmlPage(502, "Bad Gateway"))
        case "html-503":
          return send(htmlPage(503, "Service Temporarily Unavailable"))
        case "empty":
          return send({ status: 503, body: "", contentType: "text/plain" })
        case "huge-body":
          return sendHuge(200, undefined, fault.mib)
        case "huge-error":
          return sendHuge(500, "InternalError", fault.mib)
      }
    }

    const operation = data.operations[action!]
    const entryQuota = quotas.entry(section.name, action!)
    if (operation === undefined && entryQuota === undefined) {
      return fail(400, "InvalidAction", `The action ${action} is not valid for this web service.`)
    }
    const units = operation?.units?.(params) ?? 1
    const verdict = quotas.admit(entry.sellerId, section.name, action!, units, now())
    if (verdict._tag === "Throttled") {
      return send(errorAnswer(section, 503, "RequestThrottled", "Request is throttled", requestId))
    }
    if (verdict._tag === "QuotaExceeded") {
      const { max, resetsAt } = verdict.hourly
      return send(
        errorAnswer(
          section,
          503,
          "QuotaExceeded",
          `You exceeded your quota of ${max.toFixed(1)} requests per 1 hour for operation ${section.name}/${section.version}/${action}.  Your quota will reset on ${quotaResetText(resetsAt)}`,
          requestId
        )
      )
    }
    if (verdict.hourly !== undefined && Sections.WITH_QUOTA_HEADERS.has(section.name)) {
      quotaHeaders = {
        "x-mws-quota-max": verdict.hourly.max.toFixed(1),
        "x-mws-quota-remaining": verdict.hourly.remaining.toFixed(1),
        "x-mws-quota-resetsOn": new Date(verdict.hourly.resetsAt).toISOString()
      }
    }

    const result: OperationResult =
      operation === undefined
        ? { _tag: "Result", xml: "" }
        : operation.handle({
            params,
            body: bodyIsParams ? Buffer.alloc(0) : body,
            contentMd5Header: [request.headers["content-md5"]].flat()[0],
            now: now()
          })
    switch (result._tag) {
      case "Error":
        return fail(result.status, result.code, result.message)
      case "Download": {
        const md5 = md5Base64(result.body)
        const corrupt = options.corruptDownloads === true || (corruptCount > 0 && DOWNLOADS.has(action!))
        if (corruptCount > 0 && !options.corruptDownloads) corruptCount--
        const delivered = corrupt ? `${result.body.slice(0, -2)}#${result.body.slice(-1)}` : result.body
        return send(
          { status: 200, body: delivered, contentType: result.contentType, headers: { "content-md5": md5 } },
          quotaHeaders
        )
      }
      case "Result":
      case "Results": {
        const inner = result._tag === "Result" ? `<${action}Result>${result.xml}</${action}Result>` : result.xml
        return send(
          {
            status: 200,
            contentType: "text/xml",
            body: `<?xml version="1.0"?>\n<${action}Response xmlns="${section.namespace}">${inner}<ResponseMetadata>${element("RequestId", requestId)}</ResponseMetadata></${action}Response>\n`
          },
          quotaHeaders
        )
      }
    }
  }

  const admin = async (request: IncomingMessage, response: ServerResponse, path: string): Promise<void> => {
    const json = (status: number, value: unknown) => {
      const text = JSON.stringify(value, null, 2)
      response.writeHead(status, {
        "content-type": "application/json",
        "content-length": String(Buffer.byteLength(text))
      })
      response.end(text)
    }
    if (path === "/_sandbox/requests" && request.method === "GET") return json(200, log)
    if (path === "/_sandbox/faults" && request.method === "GET") return json(200, faults.pending())
    if (path === "/_sandbox/faults" && request.method === "DELETE") {
      faults.clear()
      return json(200, { cleared: true })
    }
    if (path === "/_sandbox/faults" && request.method === "POST") {
      const body = (await readBody(request))?.toString("utf8") ?? ""
      let spec: { operation?: unknown; faults?: unknown; probability?: unknown }
      try {
        spec = JSON.parse(body)
      } catch {
        return json(400, {
          error: 'the body must be JSON: { operation, faults: ["internal-error", "delay:100"], probability? }'
        })
      }
      const operation = typeof spec.operation === "string" ? spec.operation : Faults.ANY_OPERATION
      const parsed = Array.isArray(spec.faults)
        ? spec.faults.map((text) => (typeof text === "string" ? Faults.parse(text) : undefined))
        : []
      if (parsed.length === 0 || parsed.some((fault) => fault === undefined)) {
        return json(400, {
          error: `faults must be a non-empty list of: ${Faults.KINDS.join(", ")} (delay as delay:MS)`
        })
      }
      if (typeof spec.probability === "number") {
        if (!(spec.probability >= 0 && spec.probability <= 1))
          return json(400, { error: "probability must be within 0..1" })
        for (const fault of parsed) faults.sometimes(operation, fault!, spec.probability)
      } else {
        faults.script(operation, parsed as ReadonlyArray<Faults.Fault>)
      }
      return json(200, faults.pending())
    }
    return json(404, { error: `unknown admin route ${request.method} ${path}` })
  }

  const server: Server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) {
        response.writeHead(500, { "content-type": "text/plain" })
        response.end(`sandbox failure: ${error instanceof Error ? error.message : String(error)}`)
      } else {
        response.destroy()
      }
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject)
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => {
      server.off("error", reject)
      resolve()
    })
  })
  const address = server.address() as AddressInfo
  const hostName = address.family === "IPv6" ? `[${address.address}]` : address.address
  const host = `${hostName}:${address.port}`
  return {
    url: `http://${host}`,
    port: address.port,
    host,
    requests: () => [...log],
    faults,
    corruptNextDownloads: (count = 1) => {
      corruptCount += count
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()))
        server.closeAllConnections()
      })
  }
}

/**
 * The sandbox as an Effect service: `Sandbox.layer(options)` starts it and
 * stops it when the layer's scope closes.
 *
 * @example
 * ```ts
 * import { it } from "@effect/vitest"
 * import { Effect } from "effect"
 * import { Sandbox } from "@mws-kit/sandbox"
 *
 * it.layer(Sandbox.Sandbox.layer({ timeScale: 100 }))((it) => {
 *   it.effect("talks to the sandbox", () =>
 *     Effect.gen(function* () {
 *       const sandbox = yield* Sandbox.Sandbox
 *       // ... call sandbox.url, then check sandbox.requests()
 *     }))
 * })
 * ```
 *
 * @category services
 * @since 0.1.0
 */
export class Sandbox extends Context.Service<Sandbox, SandboxHandle>()("@mws-kit/sandbox/Sandbox") {
  /** Starts a sandbox for the layer's lifetime. */
  static layer(options: SandboxOptions = {}): Layer.Layer<Sandbox> {
    return Layer.effect(
      Sandbox,
      Effect.acquireRelease(
        Effect.promise(() => start(options)),
        (sandbox) => Effect.promise(() => sandbox.close())
      )
    )
  }
}

/**
 * ASINs that `GetMatchingProductForId` knows; any other id gets a per-item
 * `InvalidParameterValue`, as the real service answers unknown ids.
 *
 * @category constants
 * @since 0.1.0
 */
export const KNOWN_PRODUCT_ASINS: ReadonlyArray<string> = KNOWN_ASINS
