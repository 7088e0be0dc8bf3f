/**
 * Signs a request with MWS Signature Version 2 (HmacSHA256), with the
 * canonicalisation the sandbox verifies with (`@mws-kit/wire-format`'s
 * `Signature.canonicalQuery`: RFC 3986 encoding exactly as the MWS docs
 * require, names sorted in byte order), the lowercase host and the path;
 * the tests check every signature against `Signature.verify`.
 *
 * What goes on the wire (the signed parameters, holding the `Signature` and
 * the `MWSAuthToken`) is kept as a `Redacted` value: printing, logging or
 * serialising a signed request never shows them.
 *
 * @since 0.1.0
 */
import { createHmac, createSecretKey, type KeyObject } from "node:crypto"
import { Signature } from "@mws-kit/wire-format"
import { Redacted } from "effect"
import type * as ClientConfig from "./ClientConfig.ts"

/**
 * The signature method: HmacSHA256, the one the MWS docs recommend
 * (DG_SigningQueryRequest).
 *
 * @category constants
 * @since 0.1.0
 */
export const SIGNATURE_METHOD = "HmacSHA256" satisfies Signature.SignatureMethod

/**
 * The signature version: 2 (DG_RequiredRequestParameters).
 *
 * @category constants
 * @since 0.1.0
 */
export const SIGNATURE_VERSION = "2"

/**
 * Parameters the signer sets itself; a caller's values for them are ignored.
 *
 * @category constants
 * @since 0.1.0
 */
export const RESERVED_PARAMETERS: ReadonlySet<string> = new Set([
  "AWSAccessKeyId",
  "Action",
  "MWSAuthToken",
  "Signature",
  "SignatureMethod",
  "SignatureVersion",
  "Timestamp",
  "Version"
])

/**
 * What to sign.
 *
 * @category models
 * @since 0.1.0
 */
export interface SignInput {
  /** `POST` (parameters in a form body, or in the query when `body` is given) or `GET` (in the query). */
  readonly method: "POST" | "GET"
  /** The endpoint origin, e.g. `https://mws.amazonservices.com`. */
  readonly endpoint: string
  /** The section path, e.g. `/Orders/2013-09-01`. */
  readonly path: string
  readonly action: string
  readonly version: string
  /** The operation's own parameters, in order. `SellerId` is added unless present (or `Merchant` is). */
  readonly params: ReadonlyArray<readonly [string, string]>
  readonly credentials: ClientConfig.Credentials
  /** The request's Timestamp, ISO 8601 in UTC: fresh for every attempt. */
  readonly timestamp: string
  /** A body sent as is (a feed): the parameters then go in the query string. */
  readonly hasBody?: boolean | undefined
}

/**
 * A signed request, ready to send. `url` has no query and is safe to show;
 * the query or form body that carries the signature is redacted.
 *
 * @category models
 * @since 0.1.0
 */
export interface SignedRequest {
  readonly method: "POST" | "GET"
  /** Origin and path, without the query: safe to print. */
  readonly url: string
  /** The Host header value that was signed. */
  readonly host: string
  /** The encoded, signed parameters (query string or form body). */
  readonly encoded: Redacted.Redacted<string>
  /** Where `encoded` goes. */
  readonly placement: "query" | "form"
  /** The Timestamp parameter that was signed. */
  readonly timestamp: string
}

/**
 * The parameters of a request before signing: the operation's, then the
 * required ones (mws-facts 4.2), with the caller's values for reserved names
 * dropped.
 *
 * @category constructors
 * @since 0.1.0
 */
export const parameters = (
  input: Omit<SignInput, "method" | "endpoint" | "path" | "hasBody">
): Array<[string, string]> => {
  const params: Array<[string, string]> = []
  let hasSeller = false
  for (const [name, value] of input.params) {
    if (RESERVED_PARAMETERS.has(name)) continue
    if (name === "SellerId" || name === "Merchant") hasSeller = true
    params.push([name, value])
  }
  params.push(
    ["AWSAccessKeyId", input.credentials.accessKeyId],
    ["Action", input.action],
    ["SignatureMethod", SIGNATURE_METHOD],
    ["SignatureVersion", SIGNATURE_VERSION],
    ["Timestamp", input.timestamp],
    ["Version", input.version]
  )
  if (!hasSeller) params.push(["SellerId", input.credentials.sellerId])
  if (input.credentials.authToken !== undefined) {
    params.push(["MWSAuthToken", Redacted.value(input.credentials.authToken)])
  }
  return params
}

const endpoints = new Map<string, { readonly origin: string; readonly host: string }>()

/** The origin and the lowercase Host of an endpoint, parsed once per endpoint. */
const endpointOf = (endpoint: string): { readonly origin: string; readonly host: string } => {
  let parsed = endpoints.get(endpoint)
  if (parsed === undefined) {
    const url = new URL(endpoint)
    parsed = { origin: url.origin, host: url.host.toLowerCase() }
    if (endpoints.size < 64) endpoints.set(endpoint, parsed)
  }
  return parsed
}

const keys = new WeakMap<Redacted.Redacted<string>, KeyObject>()

/** The secret key as a crypto key, made once per redacted secret (it never leaves the redacted value otherwise). */
const keyOf = (secret: Redacted.Redacted<string>): KeyObject => {
  let key = keys.get(secret)
  if (key === undefined) {
    key = createSecretKey(Buffer.from(Redacted.value(secret), "utf8"))
    keys.set(secret, key)
  }
  return key
}

const isAscii = (text: string): boolean => {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return false
  return true
}

/**
 * Parameters in the canonical order, natural byte order of their names
 * (DG_QueryString). Sorting them before `Signature.sign` sorts them again
 * costs it only a pass over an ordered list; for ASCII names (every MWS
 * parameter) code-unit order is byte order, otherwise UTF-8 bytes are
 * compared.
 */
const canonicalOrder = (params: Array<[string, string]>): Array<[string, string]> => {
  if (params.every(([name]) => isAscii(name))) return params.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  return params.sort(([a], [b]) => Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8")))
}

/**
 * Signs a request: adds the required parameters, computes the HmacSHA256
 * signature over the string to sign, and encodes everything with RFC 3986,
 * in canonical order (then `Signature`).
 *
 * @example
 * ```ts
 * import { Redacted } from "effect"
 * import { RequestSigner } from "@mws-kit/mws-client"
 *
 * const signed = RequestSigner.sign({
 *   method: "POST",
 *   endpoint: "https://mws.amazonservices.com",
 *   path: "/Orders/2013-09-01",
 *   action: "ListOrders",
 *   version: "2013-09-01",
 *   params: [["MarketplaceId.Id.1", "ATVPDKIKX0DER"], ["CreatedAfter", "2026-11-01T00:00:00Z"]],
 *   credentials: { accessKeyId: "AKIAEXAMPLE", secretKey: Redacted.make("secret"), sellerId: "A1SELLER" },
 *   timestamp: new Date().toISOString()
 * })
 * String(signed.encoded) // "<redacted:signed MWS parameters>"
 * ```
 *
 * @category signing
 * @since 0.1.0
 */
export const sign = (input: SignInput): SignedRequest => {
  const { origin, host } = endpointOf(input.endpoint)
  const params = canonicalOrder(parameters(input))
  // The canonical query (what Signature.canonicalQuery computes: Signature.encode on names and values,
  // names in byte order) is both what is signed and, with the signature appended, what is sent:
  // computed once, over the parameters already in canonical order.
  let canonical = ""
  for (const [name, value] of params) {
    canonical += `${canonical === "" ? "" : "&"}${Signature.encode(name)}=${Signature.encode(value)}`
  }
  const toSign = `${input.method}\n${host}\n${input.path === "" ? "/" : input.path}\n${canonical}`
  const signature = createHmac(Signature.METHODS[SIGNATURE_METHOD], keyOf(input.credentials.secretKey))
    .update(toSign, "utf8")
    .digest("base64")
  const encoded = `${canonical}&Signature=${Signature.encode(signature)}`
  return {
    method: input.method,
    url: `${origin}${input.path}`,
    host,
    encoded: Redacted.make(encoded, { label: "signed MWS parameters" }),
    placement: input.method === "GET" || input.hasBody === true ? "query" : "form",
    timestamp: input.timestamp
  }
}
