/**
 * @mws-kit/wire-format: what an MWS client and an MWS server must agree on,
 * byte for byte (Signature Version 2 signing, the response headers and how
 * they read), with no dependency on either.
 *
 * @since 0.1.0
 */

/** @since 0.2.0 */
export * as ResponseHeaders from "./ResponseHeaders.ts"
/** @since 0.1.0 */
export * as Signature from "./Signature.ts"
