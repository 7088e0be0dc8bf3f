/**
 * The checks of single settings behind `ClientConfig.fromSettings`: the
 * error every check fails with, URLs masked for printing, the endpoint, the
 * ledger target, required values and positive numbers, and the endpoint
 * resolved from MWS_REGION / MWS_MARKETPLACE / MWS_ENDPOINT. The public
 * ones (`ClientConfigError`, `maskUrl`, `parseEndpoint`, `parseLedger`,
 * `defaultLedgerPath`) are re-exported by `ClientConfig`, where users find
 * them.
 *
 * @internal
 */
import { isAbsolute, resolve as resolvePath } from "node:path"
import { SqliteStore } from "@mws-kit/request-ledger"
import { Effect, Redacted, Schema } from "effect"
import type { LedgerTarget, RawSettings, Variable } from "../ClientConfig.ts"
import * as Endpoints from "../Endpoints.ts"

/**
 * A broken or missing setting: `setting` names the variable, `message` says
 * what is wrong and what to do. It never holds a secret's value.
 *
 * @category errors
 * @since 0.1.0
 */
export class ClientConfigError extends Schema.TaggedError<ClientConfigError>()("ClientConfigError", {
  setting: Schema.String,
  message: Schema.String
}) {}

/**
 * The embedded SQLite ledger file used when `MWS_LEDGER` is not set: the
 * request ledger's documented default, `.mws-kit/ledger.sqlite` under the
 * working directory (or `MWS_KIT_LEDGER_PATH`), as an absolute path.
 *
 * @category getters
 * @since 0.1.0
 */
export const defaultLedgerPath = (): string => SqliteStore.defaultFilename()

/** Fails with a `ClientConfigError` on `setting`. @internal */
export const fail = (setting: string, message: string): Effect.Effect<never, ClientConfigError> =>
  Effect.fail(new ClientConfigError({ setting, message }))

const isLoopback = (hostname: string): boolean =>
  hostname === "localhost" || hostname === "[::1]" || /^127(\.\d{1,3}){3}$/.test(hostname)

/** Query parameters whose values are credentials, masked in printed URLs. */
const SECRET_QUERY = /([?&](?:[^=&#\s]*(?:pass|pwd|secret|token|key|auth|signature|credential)[^=&#\s]*)=)[^&#\s]*/gi

/**
 * A URL as it may be printed: its userinfo masked up to the last `@` before
 * the host, whatever the password holds (`redis://u:p@ss@h` and
 * `redis://u:pa/ss@h` both show as `redis://***@h`), and the values of
 * query parameters that carry credentials (`?password=`, `&token=`...).
 * Masking too much is harmless; too little leaks.
 *
 * @category getters
 * @since 0.2.0
 */
export const maskUrl = (text: string): string => text.replace(/\/\/[^\s]*@/g, "//***@").replace(SECRET_QUERY, "$1***")

/**
 * Checks an endpoint URL: `https`, or `http` on loopback only (the sandbox),
 * no path, query or credentials. Returns the origin.
 *
 * @category constructors
 * @since 0.1.0
 */
export const parseEndpoint = (text: string, setting = "MWS_ENDPOINT"): Effect.Effect<string, ClientConfigError> => {
  let url: URL
  try {
    url = new URL(text.trim())
  } catch {
    return fail(setting, `${setting}=${maskUrl(text)} is not a URL: use e.g. https://mws.amazonservices.com`)
  }
  if (url.username !== "" || url.password !== "") {
    return fail(setting, `${setting} must not carry credentials: use MWS_ACCESS_KEY_ID and MWS_SECRET_ACCESS_KEY`)
  }
  if (url.protocol !== "https:" && !(url.protocol === "http:" && isLoopback(url.hostname))) {
    return fail(
      setting,
      `${setting}=${url.origin} must use https (plain http is allowed on loopback only, e.g. the sandbox)`
    )
  }
  if ((url.pathname !== "/" && url.pathname !== "") || url.search !== "") {
    return fail(setting, `${setting}=${url.href} must be an origin only (no path or query), e.g. ${url.origin}`)
  }
  return Effect.succeed(url.origin)
}

/**
 * Reads `MWS_LEDGER`: a `postgres://` (or `postgresql://`) URL, `:memory:`,
 * or a SQLite file path (relative paths resolve against the working
 * directory); empty or unset gives {@link defaultLedgerPath}.
 *
 * @category constructors
 * @since 0.1.0
 */
export const parseLedger = (text: string | undefined): Effect.Effect<LedgerTarget, ClientConfigError> => {
  const value = text?.trim() ?? ""
  if (value === "") return Effect.sync(() => ({ _tag: "Sqlite", path: defaultLedgerPath() }))
  if (value === ":memory:") return Effect.succeed({ _tag: "Memory" })
  if (/^postgres(ql)?:\/\//i.test(value)) {
    try {
      new URL(value)
    } catch {
      return fail("MWS_LEDGER", `MWS_LEDGER=${maskUrl(value)} is not a valid postgres:// URL`)
    }
    return Effect.succeed({ _tag: "Postgres", url: Redacted.make(value) })
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
    return fail("MWS_LEDGER", `MWS_LEDGER=${maskUrl(value)} is neither a SQLite file path nor a postgres:// URL`)
  }
  return Effect.succeed({ _tag: "Sqlite", path: isAbsolute(value) ? value : resolvePath(value) })
}

/** A setting that must be given: its trimmed value, or a failure saying what it is. @internal */
export const required = (
  settings: RawSettings,
  name: Variable,
  what: string
): Effect.Effect<string, ClientConfigError> => {
  const value = settings[name]?.trim()
  return value === undefined || value === "" ? fail(name, `${name} is not set: ${what}`) : Effect.succeed(value)
}

/** A positive number setting: its value, `fallback` when unset or empty, or a failure. @internal */
export const positiveNumber = (
  settings: RawSettings,
  name: Variable,
  fallback: number
): Effect.Effect<number, ClientConfigError> => {
  const text = settings[name]?.trim()
  if (text === undefined || text === "") return Effect.succeed(fallback)
  const value = Number(text)
  return Number.isFinite(value) && value > 0
    ? Effect.succeed(value)
    : fail(name, `${name}=${text} is not a positive number`)
}

/**
 * The endpoint, region and marketplace from MWS_REGION, MWS_MARKETPLACE and
 * MWS_ENDPOINT (an explicit endpoint wins; a marketplace must lie in the
 * region given), or a failure naming the setting to fix. @internal
 */
export const resolveEndpoint = (
  settings: RawSettings
): Effect.Effect<
  { endpoint: string; region?: Endpoints.Region; marketplace?: Endpoints.Marketplace },
  ClientConfigError
> =>
  Effect.gen(function* () {
    const regionText = settings.MWS_REGION?.trim()
    const marketplaceText = settings.MWS_MARKETPLACE?.trim()
    const endpointText = settings.MWS_ENDPOINT?.trim()
    let region: Endpoints.Region | undefined
    if (regionText !== undefined && regionText !== "") {
      const upper = regionText.toUpperCase()
      if (!Endpoints.isRegion(upper)) {
        return yield* fail(
          "MWS_REGION",
          `MWS_REGION=${regionText} is not a region: use ${Endpoints.REGIONS.join(", ")} or set MWS_ENDPOINT`
        )
      }
      region = upper
    }
    let marketplace: Endpoints.Marketplace | undefined
    if (marketplaceText !== undefined && marketplaceText !== "") {
      marketplace = Endpoints.findMarketplace(marketplaceText)
      if (marketplace === undefined) {
        return yield* fail(
          "MWS_MARKETPLACE",
          `MWS_MARKETPLACE=${marketplaceText} is not a marketplace: use a code (${Endpoints.MARKETPLACES.map((m) => m.code).join(", ")}) or a MarketplaceId`
        )
      }
      if (region !== undefined && marketplace.region !== region) {
        return yield* fail(
          "MWS_MARKETPLACE",
          `MWS_MARKETPLACE=${marketplaceText} is in region ${marketplace.region}, not MWS_REGION=${region}`
        )
      }
      region = marketplace.region
    }
    const optional = {
      ...(region === undefined ? {} : { region }),
      ...(marketplace === undefined ? {} : { marketplace })
    }
    if (endpointText !== undefined && endpointText !== "") {
      return { endpoint: yield* parseEndpoint(endpointText), ...optional }
    }
    if (marketplace !== undefined) return { endpoint: marketplace.endpoint, ...optional }
    if (region !== undefined) return { endpoint: Endpoints.REGION_ENDPOINTS[region], ...optional }
    return yield* fail(
      "MWS_REGION",
      `no endpoint: set MWS_REGION (${Endpoints.REGIONS.join(", ")}), MWS_MARKETPLACE (US, DE, JP...) or MWS_ENDPOINT`
    )
  })
