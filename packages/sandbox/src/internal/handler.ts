/**
 * The sandbox's request handler, as a pipeline: admin routes aside, it reads
 * the body and the call, routes it to a section, runs the checks, applies
 * any injected fault, admits the request against the quotas, and answers
 * with the operation's result. The first step that has an answer sends it.
 */
import type { IncomingMessage, ServerResponse } from "node:http"
import type * as Faults from "../Faults.ts"
import type { LoggedRequest } from "../RequestLog.ts"
import { ADMIN_PREFIX, admin } from "./admin.ts"
import { admit } from "./admission.ts"
import { errorAnswer, operationAnswer } from "./answers.ts"
import type { DownloadCorruption } from "./downloadCorruption.ts"
import { Exchange } from "./exchange.ts"
import { faultOutcome } from "./faultOutcome.ts"
import type { OperationResult, SandboxData } from "./operations.ts"
import { type CheckContext, checkRequest } from "./requestChecks.ts"
import { readBody, readCall } from "./requestReader.ts"
import type { ServerQuotas } from "./serverQuotas.ts"

/** Everything a running sandbox keeps between requests, and its limits. @internal */
export interface SandboxState extends CheckContext {
  readonly quotas: ServerQuotas
  readonly data: SandboxData
  readonly faults: Faults.FaultPlan
  /** Every request answered so far, oldest first. */
  readonly log: Array<LoggedRequest>
  readonly downloads: DownloadCorruption
  /** The largest request body read. */
  readonly maxRequestBytes: number
}

/** What an operation the quota catalog knows but the sandbox does not implement answers: an empty result. */
const EMPTY_RESULT: OperationResult = { _tag: "Result", xml: "" }

/** Answers one request (or drops it, for a `reset` fault). */
const handle = async (state: SandboxState, request: IncomingMessage, response: ServerResponse): Promise<void> => {
  const url = new URL(request.url ?? "/", "http://sandbox")
  const exchange = new Exchange(request, response, url.pathname, state)
  const { requestId } = exchange
  if (url.pathname.startsWith(ADMIN_PREFIX)) return admin(request, response, url.pathname, state)

  const body = await readBody(request, state.maxRequestBytes)
  if (body === undefined) {
    const message = "The request size exceeded the maximum accepted size."
    return exchange.send(errorAnswer(undefined, 400, "InvalidParameterValue", message, requestId))
  }
  const call = readCall(url, request, body)
  exchange.describe(call)
  const { section } = call
  if (section === undefined) {
    const message = `The path ${call.path} is not a valid MWS API section and version.`
    return exchange.send(errorAnswer(undefined, 404, "InvalidAddress", message, requestId))
  }

  const rejection = checkRequest(call, section, request, state)
  if (rejection !== undefined) {
    return exchange.send(errorAnswer(section, rejection.status, rejection.code, rejection.message, requestId))
  }
  // The checks made sure of both.
  const action = call.action!
  const sellerId = call.sellerId!

  exchange.fault = state.faults.next(action)
  const outcome = faultOutcome(exchange.fault, section, requestId)
  switch (outcome._tag) {
    case "Drop":
      return exchange.drop()
    case "Answer":
      return exchange.send(outcome.answer)
    case "Huge":
      return exchange.sendHuge(outcome.status, outcome.code, outcome.mib)
    case "Delay": {
      const { ms } = outcome
      await new Promise((resolve) => setTimeout(resolve, ms))
      break
    }
    case "Proceed":
      break
  }

  const operation = state.data.operations[action]
  const admission = admit(
    state.quotas,
    { section, action, sellerId, params: call.params, operation, requestId },
    state.now
  )
  if (admission._tag === "Refused") return exchange.send(admission.answer)

  const result =
    operation === undefined
      ? EMPTY_RESULT
      : operation.handle({
          params: call.params,
          body: call.bodyIsParams ? Buffer.alloc(0) : body,
          contentMd5Header: [request.headers["content-md5"]].flat()[0],
          now: state.now()
        })
  const answer = operationAnswer(section, action, result, requestId, () => state.downloads.take(action))
  return exchange.send(answer, admission.quotaHeaders)
}

/**
 * The server's request listener: {@link handle}, with a plain-text 500 for
 * anything it throws before answering (and a destroyed connection after).
 *
 * @internal
 */
export const requestListener =
  (state: SandboxState) =>
  (request: IncomingMessage, response: ServerResponse): void => {
    handle(state, request, response).catch((error: unknown) => {
      if (!response.headersSent) {
        response.writeHead(500, { "content-type": "text/plain" })
        response.end(`sandbox failure: ${error instanceof Error ? error.message : String(error)}`)
      } else {
        response.destroy()
      }
    })
  }
