/**
 * The admin routes under `/_sandbox/`, for tests and the CLI: the request
 * log (GET `/_sandbox/requests`) and the faults (GET, POST and DELETE
 * `/_sandbox/faults`), as JSON.
 */
import type { IncomingMessage, ServerResponse } from "node:http"
import * as Faults from "../Faults.ts"
import type { LoggedRequest } from "../RequestLog.ts"
import { readBody } from "./requestReader.ts"

/** The path prefix of the admin routes; MWS sections never start with it. @internal */
export const ADMIN_PREFIX = "/_sandbox/"

/** What the admin routes read and change. @internal */
export interface AdminState {
  readonly log: ReadonlyArray<LoggedRequest>
  readonly faults: Faults.FaultPlan
  /** The largest body read, as for MWS calls. */
  readonly maxRequestBytes: number
}

/** A fault script as POST `/_sandbox/faults` takes it, before it is checked. */
interface FaultSpec {
  operation?: unknown
  faults?: unknown
  probability?: unknown
}

/** Answers an admin request to `path` (under {@link ADMIN_PREFIX}). @internal */
export const admin = async (
  request: IncomingMessage,
  response: ServerResponse,
  path: string,
  state: AdminState
): Promise<void> => {
  const { faults } = state
  const json = (status: number, value: unknown) => {
    const text = JSON.stringify(value, null, 2)
    response.writeHead(status, {
      "content-type": "application/json",
      "content-length": String(Buffer.byteLength(text))
    })
    response.end(text)
  }
  if (path === "/_sandbox/requests" && request.method === "GET") return json(200, state.log)
  if (path === "/_sandbox/faults" && request.method === "GET") return json(200, faults.pending())
  if (path === "/_sandbox/faults" && request.method === "DELETE") {
    faults.clear()
    return json(200, { cleared: true })
  }
  if (path === "/_sandbox/faults" && request.method === "POST") {
    const body = (await readBody(request, state.maxRequestBytes))?.toString("utf8") ?? ""
    let spec: FaultSpec
    try {
      spec = JSON.parse(body)
    } catch {
      return json(400, {
        error: 'the body must be JSON: { operation, faults: ["internal-error", "delay:100"], probability? }'
      })
    }
    const operation = typeof spec.operation === "string" ? spec.operation : Faults.ANY_OPERATION
    const parsed = Array.isArray(spec.faults)
      ? spec.faults.map((text: unknown) => (typeof text === "string" ? Faults.parse(text) : undefined))
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
