/**
 * The checks MWS makes before it runs an operation, in its order: the
 * User-Agent, the required parameters, the Signature Version 2 signature
 * (with the credential it names) and the Timestamp. Each returns the
 * rejection to answer with, or `undefined` when the request passes.
 */
import type { IncomingMessage } from "node:http"
import { Signature } from "@mws-kit/wire-format"
import type * as Sections from "../Sections.ts"
import type { MwsCall } from "./requestReader.ts"

/** Why a request is refused: the status and the MWS error code and message to answer with. @internal */
export interface Rejection {
  readonly status: number
  readonly code: string
  readonly message: string
}

/** What the checks need besides the request: the accepted credentials, the clock and the limits. @internal */
export interface CheckContext {
  /** Secret keys by access key id. */
  readonly credentials: ReadonlyMap<string, string>
  /** The clock, in epoch milliseconds. */
  readonly now: () => number
  readonly maxUserAgentLength: number
  readonly maxClockSkewMs: number
}

/** `AppName/Version (Attribute=Value; ...)`, the form the MWS Developer Guide asks of a User-Agent. */
const USER_AGENT = /^[^/\s][^/]*\/[^\s(]+ \((.*)\)\s*$/

/** Parameters every call must carry, checked in this order once AWSAccessKeyId is there. */
const REQUIRED_PARAMETERS = ["Action", "Signature", "SignatureMethod", "SignatureVersion", "Timestamp", "Version"]

const rejection = (status: number, code: string, message: string): Rejection => ({ status, code, message })

/** The User-Agent is there, not too long, well formed and names its Language. @internal */
export const checkUserAgent = (userAgent: string | undefined, maxLength: number): Rejection | undefined => {
  if (userAgent === undefined || userAgent.trim() === "") {
    return rejection(400, "UserAgentHeaderMissing", "The required MWS User-Agent header is missing.")
  }
  if (userAgent.length > maxLength) {
    return rejection(
      400,
      "UserAgentHeaderMaximumLengthExceeded",
      `The MWS User-Agent header exceeded ${maxLength} characters.`
    )
  }
  const match = USER_AGENT.exec(userAgent)
  if (match === null) {
    return rejection(
      400,
      "UserAgentHeaderMalformed",
      `Problem with required MWS User-Agent header (e.g. "MyAppName/build123 (Language=Java/1.2)"): ${userAgent.slice(0, 100)}`
    )
  }
  if (!/(^|;)\s*Language=/.test(match[1]!)) {
    return rejection(
      400,
      "UserAgentHeaderLanguageAttributeMissing",
      "The MWS User-Agent header has no Language attribute."
    )
  }
  return undefined
}

/** The access key id, the required parameters and a seller are there, for the section's version and Signature Version 2. @internal */
export const checkParameters = (call: MwsCall, section: Sections.Section): Rejection | undefined => {
  const { params } = call
  if (!params.has("AWSAccessKeyId"))
    return rejection(403, "MissingClientTokenId", "The request must contain the parameter AWSAccessKeyId.")
  for (const name of REQUIRED_PARAMETERS) {
    if (!params.has(name)) return rejection(400, "MissingParameter", `The request must contain the parameter ${name}.`)
  }
  if (call.sellerId === undefined)
    return rejection(400, "MissingParameter", "The request must contain the parameter SellerId.")
  if (params.get("Version") !== section.version) {
    return rejection(
      400,
      "InvalidParameterValue",
      `Version ${params.get("Version")} is not valid for ${section.name}; use ${section.version}.`
    )
  }
  if (params.get("SignatureVersion") !== "2")
    return rejection(400, "InvalidParameterValue", "SignatureVersion must be 2.")
  return undefined
}

/**
 * The signing method is one MWS knows, the access key id is an accepted
 * one, and the signature is its secret's. Amazon's own client libraries sign
 * the host without its port (`parse_url(host)`); others sign the Host header
 * as sent (`host:port`). Either is accepted.
 *
 * @internal
 */
export const checkSignature = (
  call: MwsCall,
  request: IncomingMessage,
  credentials: ReadonlyMap<string, string>
): Rejection | undefined => {
  const { params } = call
  const method = params.get("SignatureMethod")
  if (!Signature.isSignatureMethod(method)) {
    return rejection(400, "InvalidParameterValue", "SignatureMethod must be HmacSHA256 or HmacSHA1.")
  }
  const secret = credentials.get(params.get("AWSAccessKeyId")!)
  if (secret === undefined)
    return rejection(403, "InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records.")
  const host = request.headers.host ?? ""
  const signed = { method: request.method ?? "GET", host, path: call.path, params }
  const signature = params.get("Signature")!
  const withoutPort = host.replace(/:\d+$/, "")
  if (
    !Signature.verify(signed, secret, method, signature) &&
    (withoutPort === host || !Signature.verify({ ...signed, host: withoutPort }, secret, method, signature))
  ) {
    return rejection(
      403,
      "SignatureDoesNotMatch",
      "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method."
    )
  }
  return undefined
}

/** The Timestamp is an ISO 8601 date within `maxSkewMs` of the server's clock. @internal */
export const checkTimestamp = (call: MwsCall, now: () => number, maxSkewMs: number): Rejection | undefined => {
  const timestamp = Date.parse(call.params.get("Timestamp")!)
  if (Number.isNaN(timestamp))
    return rejection(400, "InvalidParameterValue", "Timestamp must be an ISO 8601 date and time.")
  if (Math.abs(now() - timestamp) > maxSkewMs) {
    return rejection(
      400,
      "InvalidParameterValue",
      "Request has expired: its Timestamp is more than 15 minutes from the server's time."
    )
  }
  return undefined
}

/** Every check in MWS's order: the first rejection, or `undefined` when the request may run. @internal */
export const checkRequest = (
  call: MwsCall,
  section: Sections.Section,
  request: IncomingMessage,
  context: CheckContext
): Rejection | undefined =>
  checkUserAgent(request.headers["user-agent"], context.maxUserAgentLength) ??
  checkParameters(call, section) ??
  checkSignature(call, request, context.credentials) ??
  checkTimestamp(call, context.now, context.maxClockSkewMs)
