/**
 * Tracing export. The client makes an Effect span per call
 * (`MwsClient.call`: section, operation; the retry policy adds its
 * `retry.*` attributes and a `retry.decision` event per decision) and per
 * attempt (`MwsClient.attempt`: attempt, delay before it, request id, HTTP
 * status, error code). This layer exports them over OTLP/HTTP (JSON) when
 * `OTEL_EXPORTER_OTLP_ENDPOINT` (or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`) is
 * set, through Effect's own `effect/observability` exporter, and does
 * nothing otherwise. No span attribute ever holds a secret: the client does
 * not let the HTTP client trace its requests (their URL may carry the
 * signature), and its own attributes are names, ids and numbers.
 *
 * @since 0.1.0
 */
import { Config, Effect, Layer, Option } from "effect"
import { FetchHttpClient } from "effect/http"
import { OtlpExporter, OtlpSerialization, OtlpTracer } from "effect/observability"
import * as UserAgent from "./UserAgent.ts"

/**
 * The service name spans are exported under unless `OTEL_SERVICE_NAME` says
 * otherwise.
 *
 * @category constants
 * @since 0.1.0
 */
export const SERVICE_NAME = "mws-client"

/**
 * Where spans go: `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` as is, else
 * `OTEL_EXPORTER_OTLP_ENDPOINT` + `/v1/traces` (the OpenTelemetry exporter
 * specification's rule); `undefined` when neither is set, when
 * `OTEL_SDK_DISABLED=true`, or when `OTEL_TRACES_EXPORTER` does not list
 * `otlp` (unset counts as `otlp`: setting the endpoint is enough).
 *
 * @category getters
 * @since 0.1.0
 */
export const endpoint: Effect.Effect<string | undefined, Config.ConfigError> = Effect.gen(function* () {
  const setting = (name: string) => Config.option(Config.String(name))
  const disabled = yield* setting("OTEL_SDK_DISABLED")
  if (Option.isSome(disabled) && disabled.value.trim().toLowerCase() === "true") return undefined
  const exporters = yield* setting("OTEL_TRACES_EXPORTER")
  if (
    Option.isSome(exporters) &&
    !exporters.value
      .split(",")
      .map((e) => e.trim())
      .includes("otlp")
  ) {
    return undefined
  }
  const traces = yield* setting("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")
  if (Option.isSome(traces) && traces.value.trim() !== "") return traces.value.trim()
  const base = yield* setting("OTEL_EXPORTER_OTLP_ENDPOINT")
  if (Option.isNone(base) || base.value.trim() === "") return undefined
  const url = base.value.trim()
  return `${url}${url.endsWith("/") ? "" : "/"}v1/traces`
})

/** `OTEL_EXPORTER_OTLP_HEADERS`: `key=value` pairs separated by commas, values URL-encoded. */
const headers: Effect.Effect<Record<string, string>, Config.ConfigError> = Effect.map(
  Config.option(Config.String("OTEL_EXPORTER_OTLP_HEADERS")),
  (text) => {
    const out: Record<string, string> = {}
    if (Option.isNone(text)) return out
    for (const pair of text.value.split(",")) {
      const at = pair.indexOf("=")
      if (at <= 0) continue
      try {
        out[pair.slice(0, at).trim()] = decodeURIComponent(pair.slice(at + 1).trim())
      } catch {
        out[pair.slice(0, at).trim()] = pair.slice(at + 1).trim()
      }
    }
    return out
  }
)

/**
 * OTLP trace export (OTLP/HTTP, JSON) when `OTEL_EXPORTER_OTLP_ENDPOINT`
 * (or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`) is set, with
 * `OTEL_EXPORTER_OTLP_HEADERS` and `OTEL_SERVICE_NAME`; silent otherwise.
 * Spans are flushed when the layer's scope closes. The exporter has its own
 * HTTP client (fetch), separate from the one MWS calls use. Variables are
 * read through Effect `Config`.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { Observability } from "@mws-kit/mws-client"
 *
 * declare const program: Effect.Effect<void>
 * program.pipe(Effect.provide(Observability.layer)) // OTEL_EXPORTER_OTLP_ENDPOINT=http://localhost:4318
 * ```
 *
 * @category layers
 * @since 0.1.0
 */
export const layer: Layer.Layer<OtlpExporter.Flusher, Config.ConfigError> = Layer.unwrap(
  Effect.gen(function* () {
    const url = yield* endpoint
    // No endpoint: a flusher that does nothing, and no tracer (Effect's default one stays).
    if (url === undefined) return OtlpExporter.layerFlusher
    const serviceName = yield* Config.String("OTEL_SERVICE_NAME").pipe(Config.withDefault(SERVICE_NAME))
    return OtlpTracer.layer({
      url,
      resource: { serviceName, serviceVersion: UserAgent.LIBRARY.version },
      headers: yield* headers
    }).pipe(Layer.provide(OtlpSerialization.layerJson), Layer.provide(FetchHttpClient.layer))
  })
)
