/**
 * @mws-kit/sandbox: a local Amazon MWS emulator for tests, demos and
 * benchmarks.
 *
 * @since 0.1.0
 */

/** @since 0.1.0 */
export * as Faults from "./Faults.ts"

/** @since 0.1.0 */
export * as RequestLog from "./RequestLog.ts"

/** @since 0.1.0 */
export * as Sandbox from "./Sandbox.ts"

/** @since 0.1.0 */
export * as Sections from "./Sections.ts"

/**
 * @deprecated Signature Version 2 lives in `@mws-kit/wire-format`; import
 * `Signature` from there. This re-export stays for compatibility.
 * @since 0.1.0
 */
export * as Signature from "./Signature.ts"
