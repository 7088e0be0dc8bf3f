/**
 * One request and its answer: the request id the sandbox issues, the log
 * entry it fills in, and the writing of the answer (cut short by a
 * `truncated` or `reset-mid-body` fault, streamed for a huge one).
 */
import { randomBytes, randomUUID } from "node:crypto"
import type { IncomingMessage, ServerResponse } from "node:http"
import type * as Faults from "../Faults.ts"
import type { LoggedRequest } from "../RequestLog.ts"
import type { Answer } from "./answers.ts"
import type { MwsCall } from "./requestReader.ts"

/** Bytes written per chunk of a `huge-body` answer: 64 KiB, Node's default stream high-water mark for sockets. */
const HUGE_CHUNK_BYTES = 64 * 1024

/** Where answered requests go, and the clock that stamps them. @internal */
export interface ExchangeLog {
  readonly log: Array<LoggedRequest>
  readonly now: () => number
}

/**
 * One request being answered. The handler fills in {@link Exchange.entry}
 * as it learns about the request and sets {@link Exchange.fault} once one is
 * drawn; every answer is logged with both.
 *
 * @internal
 */
export class Exchange {
  /** The request id this exchange answers with (`x-mws-request-id`). */
  readonly requestId: string = randomUUID()
  /** What is known of the request so far, as the log records it. */
  readonly entry: { -readonly [K in keyof LoggedRequest]: LoggedRequest[K] }
  /** The fault injected into this exchange, once drawn. */
  fault: Faults.Fault | undefined = undefined

  private readonly request: IncomingMessage
  private readonly response: ServerResponse
  private readonly sink: ExchangeLog

  constructor(request: IncomingMessage, response: ServerResponse, path: string, sink: ExchangeLog) {
    this.request = request
    this.response = response
    this.sink = sink
    this.entry = { method: request.method ?? "GET", path } as Exchange["entry"]
  }

  /** Records what the call names: section, operation, seller and its own Timestamp. */
  describe(call: MwsCall): void {
    this.entry.section = call.section?.name
    this.entry.operation = call.action
    this.entry.sellerId = call.sellerId
    this.entry.requestTimestamp = call.params.get("Timestamp") ?? undefined
  }

  /** Sends an answer with the MWS response headers (and the quota headers, when counted), and logs it. */
  send(answer: Answer, quotaHeaders?: Readonly<Record<string, string>>): void {
    const { request, response, fault } = this
    const timestamp = this.record(this.requestId, answer.status, answer.code)
    const headers: Record<string, string> = {
      "content-type": answer.contentType,
      "x-mws-request-id": this.requestId,
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
  sendHuge(status: number, code: string | undefined, mib: number): void {
    const { response } = this
    const timestamp = this.record(this.requestId, status, code)
    const head = Buffer.from(`<?xml version="1.0"?>\n<!-- ${this.requestId} -->\n`)
    const total = mib * 1024 * 1024
    response.writeHead(status, {
      "content-type": "text/xml",
      "x-mws-request-id": this.requestId,
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

  /** A `reset` fault: the connection is destroyed with no answer, logged without a request id. */
  drop(): void {
    this.record(null, null, undefined)
    this.request.socket.destroy()
  }

  /** Logs the exchange as answered now and returns that time, ISO 8601. */
  private record(requestId: string | null, status: number | null, code: string | undefined): string {
    const timestamp = new Date(this.sink.now()).toISOString()
    this.sink.log.push({ ...this.entry, requestId, timestamp, status, code, fault: this.fault?.kind })
    return timestamp
  }
}
