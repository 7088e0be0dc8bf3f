/**
 * Reads what MWS puts in response headers: the request id, the server
 * timestamp, the hourly-quota figures and a Retry-After. Since 0.2.0 this
 * is `@mws-kit/wire-format/ResponseHeaders`, re-exported: one reader, one
 * set of rules, shared with the throttle and the client.
 *
 * @since 0.1.0
 */
export * from "@mws-kit/wire-format/ResponseHeaders"
