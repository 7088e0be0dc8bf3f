/**
 * Reading a request: its body (up to a size cap) and the MWS call it makes,
 * with the parameters from the query string or a form body, the Action, the
 * section it is addressed to and the seller.
 */
import type { IncomingMessage } from "node:http"
import * as Sections from "../Sections.ts"

/**
 * Reads the whole body, or resolves `undefined` as soon as it grows past
 * `maxBytes` (the rest is drained unread).
 *
 * @internal
 */
export const readBody = (request: IncomingMessage, maxBytes: number): Promise<Buffer | undefined> =>
  new Promise((resolve, reject) => {
    const chunks: Array<Buffer> = []
    let size = 0
    request.on("data", (chunk: Buffer) => {
      size += chunk.length
      if (size > maxBytes) {
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

/** The MWS call a request makes, as read from its URL, Content-Type and body. @internal */
export interface MwsCall {
  readonly path: string
  /** The query string's parameters, then the form body's (the first value of a name wins). */
  readonly params: ReadonlyMap<string, string>
  /** The body held the parameters (a form post), so the operation gets an empty body. */
  readonly bodyIsParams: boolean
  readonly action: string | undefined
  /** The section the path (or, for `/`, the Action) names; `undefined` for an unknown one. */
  readonly section: Sections.Section | undefined
  /** `SellerId`, or `Merchant` as Feeds and Reports call it. */
  readonly sellerId: string | undefined
}

/** Feeds operations, for requests posted to `/` (Feeds and Reports share that path). */
const FEEDS_PREFIXES = ["SubmitFeed", "GetFeedSubmission", "CancelFeedSubmissions"]

/**
 * Reads the call a request makes. SubmitFeed keeps its parameters in the
 * query and its feed in the body; other calls may post them as a form.
 *
 * @internal
 */
export const readCall = (url: URL, request: IncomingMessage, body: Buffer): MwsCall => {
  const path = url.pathname
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
  return { path, params, bodyIsParams, action, section, sellerId: params.get("SellerId") ?? params.get("Merchant") }
}
