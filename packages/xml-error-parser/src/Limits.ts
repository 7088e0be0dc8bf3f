/**
 * The bounds that keep parsing cheap on hostile input, with the defaults for
 * MWS error bodies and where each number comes from.
 *
 * @since 0.1.0
 */
import { positiveInteger } from "./internal/settings.ts"

/**
 * Largest error body parsed, in bytes; larger bodies are refused before
 * parsing. Real MWS error bodies are 250 to 700 bytes (every recorded body in
 * the research notes, mws-facts section 2); 64 KiB leaves a hundredfold
 * margin for a large `<Detail>` while keeping the worst case in the
 * low milliseconds (see the package benchmark).
 *
 * @category constants
 * @since 0.1.0
 */
export const DEFAULT_MAX_BODY_BYTES = 64 * 1024

/**
 * Deepest element nesting accepted. An MWS error is three levels deep
 * (`ErrorResponse/Error/Code`) plus whatever `<Detail>` holds; 32 levels is
 * ample. fast-xml-parser's own default is 100, and its cost grows
 * quadratically with depth (storage-and-xml.md section 4.3), so the cap is
 * kept low.
 *
 * @category constants
 * @since 0.1.0
 */
export const DEFAULT_MAX_DEPTH = 32

/**
 * Longest `<Detail>` kept, in characters; a longer one is cut and marked.
 * `<Detail>` is free-form (a Java `toString` in the docs' example, arbitrary
 * XML in the schema), so it is kept for support but bounded.
 *
 * @category constants
 * @since 0.1.0
 */
export const DEFAULT_MAX_DETAIL_CHARS = 2048

/**
 * Length of the body excerpt an unparseable body keeps, in characters:
 * enough to recognise a proxy's error page or a truncated document.
 *
 * @category constants
 * @since 0.1.0
 */
export const EXCERPT_CHARS = 200

/**
 * Largest success body searched for per-item errors, in bytes. Products
 * responses carry up to 20 items and stay well under 1 MiB; 8 MiB bounds the
 * cost of a runaway body.
 *
 * @category constants
 * @since 0.1.0
 */
export const DEFAULT_MAX_SUCCESS_BODY_BYTES = 8 * 1024 * 1024

/**
 * Parser limits; every field is optional and falls back to the defaults above.
 *
 * @category models
 * @since 0.1.0
 */
export interface Limits {
  /** Largest body parsed, in bytes ({@link DEFAULT_MAX_BODY_BYTES}). */
  readonly maxBodyBytes?: number
  /** Deepest nesting accepted ({@link DEFAULT_MAX_DEPTH}). */
  readonly maxDepth?: number
  /** Longest `<Detail>` kept ({@link DEFAULT_MAX_DETAIL_CHARS}). */
  readonly maxDetailChars?: number
}

/**
 * Limits with every default filled in.
 *
 * @category models
 * @since 0.1.0
 */
export type ResolvedLimits = Required<Limits>

/**
 * Fills in the defaults, and rejects nonsense (zero, negative or fractional
 * limits) with an `Error` naming the setting: a broken configuration should
 * fail at start-up, not on the first error response.
 *
 * @category constructors
 * @since 0.1.0
 */
export const resolve = (limits: Limits = {}, defaults: ResolvedLimits = DEFAULTS): ResolvedLimits => {
  // The common case, no limit set: the defaults, already checked (parse resolves them on every call).
  if (
    defaults === DEFAULTS &&
    limits.maxBodyBytes === undefined &&
    limits.maxDepth === undefined &&
    limits.maxDetailChars === undefined
  ) {
    return DEFAULTS
  }
  const resolved: ResolvedLimits = {
    maxBodyBytes: limits.maxBodyBytes ?? defaults.maxBodyBytes,
    maxDepth: limits.maxDepth ?? defaults.maxDepth,
    maxDetailChars: limits.maxDetailChars ?? defaults.maxDetailChars
  }
  for (const [name, value] of Object.entries(resolved)) positiveInteger(name, value)
  return resolved
}

/**
 * The default limits for error bodies.
 *
 * @category constants
 * @since 0.1.0
 */
export const DEFAULTS: ResolvedLimits = {
  maxBodyBytes: DEFAULT_MAX_BODY_BYTES,
  maxDepth: DEFAULT_MAX_DEPTH,
  maxDetailChars: DEFAULT_MAX_DETAIL_CHARS
}
