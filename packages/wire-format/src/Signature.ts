/**
 * MWS Signature Version 2 (MWS Developer Guide, "Signing your query
 * requests"): RFC 3986 encoding, the canonical query string, the string to
 * sign and the HMAC. One implementation for both ends of the wire: the
 * client signs with it (`@mws-kit/mws-client`'s `RequestSigner`), the
 * emulator verifies with it (`@mws-kit/sandbox`).
 *
 * @since 0.1.0
 */
import { createHmac, timingSafeEqual } from "node:crypto"

/**
 * The signature methods MWS accepts, with the Node digest each uses.
 * HmacSHA256 is the one the docs recommend.
 *
 * @category constants
 * @since 0.1.0
 */
export const METHODS = { HmacSHA256: "sha256", HmacSHA1: "sha1" } as const

/**
 * A signature method.
 *
 * @category models
 * @since 0.1.0
 */
export type SignatureMethod = keyof typeof METHODS

/** Text made only of RFC 3986's unreserved characters, which {@link encode} leaves as they are. */
const UNRESERVED_ONLY = /^[A-Za-z0-9\-_.~]*$/

/**
 * Percent-encodes a value as RFC 3986 and the MWS docs require: `A-Z a-z
 * 0-9 - _ . ~` stay as they are, everything else becomes `%XY` with
 * uppercase hex over its UTF-8 bytes, and a space is `%20`. Neither
 * `URLSearchParams` (which leaves `*` and turns `~` into `%7E`) nor
 * `encodeURIComponent` (which leaves `!'()*`) does this on its own.
 *
 * @example
 * ```ts
 * import { Signature } from "@mws-kit/wire-format"
 *
 * Signature.encode("a b*c~d!'()") // "a%20b%2Ac~d%21%27%28%29"
 * ```
 *
 * @category encoding
 * @since 0.1.0
 */
export const encode = (value: string): string =>
  // Most names and values (Action, Version, SellerId...) need no encoding: returned as they are.
  UNRESERVED_ONLY.test(value)
    ? value
    : encodeURIComponent(value.toWellFormed()).replace(
        /[!'()*]/g,
        (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`
      )

const byteOrder = (a: string, b: string): number => Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"))

/**
 * The canonical query string: every parameter but `Signature`, sorted by
 * name in byte order, name and value encoded with {@link encode}, joined
 * with `=` (even for an empty value) and `&`.
 *
 * @category encoding
 * @since 0.1.0
 */
export const canonicalQuery = (params: Iterable<readonly [string, string]>): string =>
  [...params]
    .filter(([name]) => name !== "Signature")
    .sort(([a], [b]) => byteOrder(a, b))
    .map(([name, value]) => `${encode(name)}=${encode(value)}`)
    .join("&")

/**
 * The string to sign: the HTTP verb, the Host header in lower case (with
 * its port only when it is not the scheme's default), the path (`/` when
 * empty) and the canonical query, one per line.
 *
 * @category encoding
 * @since 0.1.0
 */
export const stringToSign = (request: {
  readonly method: string
  readonly host: string
  readonly path: string
  readonly params: Iterable<readonly [string, string]>
}): string =>
  [
    request.method.toUpperCase(),
    request.host.toLowerCase(),
    request.path === "" ? "/" : request.path,
    canonicalQuery(request.params)
  ].join("\n")

/**
 * The base64 HMAC of the string to sign, with the secret key.
 *
 * @category signing
 * @since 0.1.0
 */
export const sign = (
  request: Parameters<typeof stringToSign>[0],
  secretKey: string,
  method: SignatureMethod = "HmacSHA256"
): string => createHmac(METHODS[method], secretKey).update(stringToSign(request), "utf8").digest("base64")

/**
 * Whether `signature` is the right one for the request, compared in
 * constant time.
 *
 * @category signing
 * @since 0.1.0
 */
export const verify = (
  request: Parameters<typeof stringToSign>[0],
  secretKey: string,
  method: SignatureMethod,
  signature: string
): boolean => {
  const expected = Buffer.from(sign(request, secretKey, method), "utf8")
  const given = Buffer.from(signature, "utf8")
  return expected.length === given.length && timingSafeEqual(expected, given)
}

/**
 * Whether a string names a supported signature method.
 *
 * @category guards
 * @since 0.1.0
 */
export const isSignatureMethod = (value: string | undefined): value is SignatureMethod =>
  value !== undefined && Object.hasOwn(METHODS, value)
