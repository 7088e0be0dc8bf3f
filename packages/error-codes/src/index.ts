/**
 * @mws-kit/error-codes: the MWS error catalog, its classification and the
 * typed error every other mws-kit package speaks.
 *
 * @since 0.1.0
 */

/** @since 0.1.0 */
export * as ErrorCatalog from "./ErrorCatalog.ts"

/** @since 0.1.0 */
export * as ErrorClass from "./ErrorClass.ts"

/** @since 0.1.0 */
export * as MwsCatalog from "./MwsCatalog.ts"

/** @since 0.1.0 */
export * as MwsError from "./MwsError.ts"

/** @since 0.1.0 */
export * as QuotaInfo from "./QuotaInfo.ts"

/** @since 0.1.0 */
export * as UnparseableErrorBody from "./UnparseableErrorBody.ts"
