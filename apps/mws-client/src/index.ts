/**
 * @mws-kit/mws-client: the reference MWS client (signing, pacing, retries,
 * the request ledger) and the `mws` CLI.
 *
 * @since 0.1.0
 */

/** @since 0.1.0 */
export * as ClientConfig from "./ClientConfig.ts"

/** @since 0.1.0 */
export * as ClientLayer from "./ClientLayer.ts"

/** @since 0.1.0 */
export * as ContentMd5 from "./ContentMd5.ts"

/** @since 0.2.0 */
export * as Download from "./Download.ts"

/** @since 0.1.0 */
export * as Endpoints from "./Endpoints.ts"

/** @since 0.1.0 */
export * as MwsClient from "./MwsClient.ts"

/** @since 0.1.0 */
export * as Observability from "./Observability.ts"

/** @since 0.1.0 */
export * as Pagination from "./Pagination.ts"

/** @since 0.1.0 */
export * as RequestSigner from "./RequestSigner.ts"

/** @since 0.1.0 */
export * as ResponseBody from "./ResponseBody.ts"

/** @since 0.2.0 */
export * as ResponseLimit from "./ResponseLimit.ts"

/** @since 0.1.0 */
export * as Transport from "./Transport.ts"

/** @since 0.1.0 */
export * as TransportError from "./TransportError.ts"

/** @since 0.1.0 */
export * as UserAgent from "./UserAgent.ts"
