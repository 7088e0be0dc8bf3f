/**
 * Signature Version 2, re-exported from `@mws-kit/wire-format`, its home:
 * the client signs with it, the sandbox verifies with it, one
 * implementation. Kept so that `Signature` from `@mws-kit/sandbox` (and
 * `@mws-kit/sandbox/Signature`) still work.
 *
 * @deprecated Import `Signature` from `@mws-kit/wire-format`.
 * @since 0.1.0
 */
export * from "@mws-kit/wire-format/Signature"
