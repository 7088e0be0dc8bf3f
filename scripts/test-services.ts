/**
 * How test suites reach the real services they need (PostgreSQL, Redis):
 * through `MWS_KIT_PG_URL` and `MWS_KIT_REDIS_URL`. Without the variable a
 * suite skips, and says so on stderr; with `MWS_KIT_REQUIRE_SERVICES=1` (set
 * by `.ci/run`) a missing variable fails the run instead.
 *
 * ```ts
 * const redisUrl = serviceUrl("MWS_KIT_REDIS_URL", "Redis fleet throttling")
 * describe.skipIf(redisUrl === undefined)("Redis store", () => { ... })
 * ```
 */

/** The environment variables that name a service for the tests. */
export type ServiceVariable = "MWS_KIT_PG_URL" | "MWS_KIT_REDIS_URL"

/** Whether a missing service must fail the run (`MWS_KIT_REQUIRE_SERVICES=1`). */
export const servicesRequired = (env: NodeJS.ProcessEnv = process.env): boolean => env.MWS_KIT_REQUIRE_SERVICES === "1"

/**
 * The service's URL, or `undefined` (after a visible skip message) when the
 * variable is unset; throws when the variable is unset and services are
 * required.
 */
export const serviceUrl = (
  variable: ServiceVariable,
  suite: string,
  env: NodeJS.ProcessEnv = process.env
): string | undefined => {
  const url = env[variable]?.trim()
  if (url) return url
  if (servicesRequired(env)) {
    throw new Error(`${suite}: ${variable} is not set, and MWS_KIT_REQUIRE_SERVICES=1 requires the service`)
  }
  process.stderr.write(`SKIPPED ${suite}: set ${variable} to run it (see README, "PostgreSQL and Redis")\n`)
  return undefined
}

/** Where the browser tests find Chromium: Debian's package (`apt-get install -y chromium`), never a download. */
export const DEFAULT_CHROMIUM_PATH = "/usr/bin/chromium"

/**
 * The Chromium executable for a browser suite (`MWS_KIT_CHROMIUM`, else
 * {@link DEFAULT_CHROMIUM_PATH}), or `undefined` after a visible skip message
 * when it is not installed; throws when it is missing and services are
 * required.
 */
export const chromiumPath = (
  suite: string,
  exists: (path: string) => boolean,
  env: NodeJS.ProcessEnv = process.env
): string | undefined => {
  const path = env.MWS_KIT_CHROMIUM?.trim() || DEFAULT_CHROMIUM_PATH
  if (exists(path)) return path
  if (servicesRequired(env)) {
    throw new Error(
      `${suite}: no Chromium at ${path}, and MWS_KIT_REQUIRE_SERVICES=1 requires it (apt-get install -y chromium)`
    )
  }
  process.stderr.write(
    `SKIPPED ${suite}: no Chromium at ${path} (apt-get install -y chromium, or set MWS_KIT_CHROMIUM)\n`
  )
  return undefined
}
