/**
 * @mws-kit/xml-error-parser: MWS error responses (body, status, headers)
 * into the typed errors of @mws-kit/error-codes, safely and fast.
 *
 * @since 0.1.0
 */

/** @since 0.1.0 */
export * as ErrorResponse from "./ErrorResponse.ts"

/** @since 0.1.0 */
export * as ItemErrors from "./ItemErrors.ts"

/** @since 0.1.0 */
export * as Limits from "./Limits.ts"

/** @since 0.1.0 */
export * as QuotaResetMessage from "./QuotaResetMessage.ts"

/** @since 0.1.0 */
export * as ResponseHeaders from "./ResponseHeaders.ts"

/** @since 0.1.0 */
export * as SafeXml from "./SafeXml.ts"

/** @since 0.2.0 */
export * as XmlDocument from "./XmlDocument.ts"
