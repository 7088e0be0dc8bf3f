/**
 * The MWS User-Agent header: `AppId/AppVersionId (Language=...; Name=Value)`,
 * escaped as the MWS Developer Guide says ("Including a User-Agent header in
 * Amazon MWS requests", DG_UserAgentHeader; mws-facts 4.2).
 *
 * @since 0.1.0
 */
import packageJson from "../package.json" with { type: "json" }

/**
 * The longest User-Agent MWS accepts: 500 characters (DG_UserAgentHeader;
 * a longer one is `UserAgentHeaderMaximumLengthExceeded`).
 *
 * @category constants
 * @since 0.1.0
 */
export const MAX_LENGTH = 500

/**
 * This library's name and version (the package's own, from its
 * package.json), the default application in the header and what
 * `mws --version` prints.
 *
 * @category constants
 * @since 0.1.0
 */
export const LIBRARY: { readonly name: "mws-kit"; readonly version: string } = {
  name: "mws-kit",
  version: packageJson.version
}

/**
 * What goes in the header.
 *
 * @category models
 * @since 0.1.0
 */
export interface UserAgentInput {
  /** The application name (`AppId`). */
  readonly application: string
  /** The application version (`AppVersionId`). */
  readonly version: string
  /** The `Language` attribute, required by MWS (default `TypeScript`). */
  readonly language?: string | undefined
  /** More `Name=Value` attributes, in order (`Platform`, `Host`, ...). */
  readonly attributes?: ReadonlyArray<readonly [string, string]> | undefined
}

/** Escapes every backslash, then the given characters, with a backslash. */
const escapeWith = (value: string, specials: string): string => {
  let out = ""
  for (const char of value.trim()) {
    out += char === "\\" || specials.includes(char) ? `\\${char}` : char
  }
  return out
}

/**
 * The application name escaped: `\` and `/` get a backslash.
 *
 * @category encoding
 * @since 0.1.0
 */
export const escapeApplication = (value: string): string => escapeWith(value, "/")

/**
 * The version escaped: `\` and `(` get a backslash.
 *
 * @category encoding
 * @since 0.1.0
 */
export const escapeVersion = (value: string): string => escapeWith(value, "(")

/**
 * An attribute name escaped: `\` and `=` get a backslash.
 *
 * @category encoding
 * @since 0.1.0
 */
export const escapeAttributeName = (value: string): string => escapeWith(value, "=")

/**
 * An attribute value escaped: `\`, `;` and `)` get a backslash.
 *
 * @category encoding
 * @since 0.1.0
 */
export const escapeAttributeValue = (value: string): string => escapeWith(value, ";)")

/**
 * Builds the header. Throws an `Error` naming the part when the application
 * or version is empty, or when the header would be longer than
 * {@link MAX_LENGTH} characters.
 *
 * @example
 * ```ts
 * import { UserAgent } from "@mws-kit/mws-client"
 *
 * UserAgent.make({ application: "Repricer", version: "2.1", attributes: [["Platform", "Linux"]] })
 * // "Repricer/2.1 (Language=TypeScript; Platform=Linux)"
 * UserAgent.make({ application: "A/B", version: "1(beta)" })
 * // "A\\/B/1\\(beta) (Language=TypeScript)"
 * ```
 *
 * @category constructors
 * @since 0.1.0
 */
export const make = (input: UserAgentInput): string => {
  const application = escapeApplication(input.application)
  const version = escapeVersion(input.version)
  if (application === "") throw new Error("User-Agent application name must not be empty")
  if (version === "") throw new Error("User-Agent application version must not be empty")
  const attributes: Array<readonly [string, string]> = [
    ["Language", input.language ?? "TypeScript"],
    ...(input.attributes ?? []).filter(([name]) => name !== "Language")
  ]
  const rendered = attributes
    .map(([name, value]) => `${escapeAttributeName(name)}=${escapeAttributeValue(value)}`)
    .join("; ")
  const header = `${application}/${version} (${rendered})`
  if (header.length > MAX_LENGTH) {
    throw new Error(`User-Agent is ${header.length} characters; MWS accepts at most ${MAX_LENGTH}`)
  }
  return header
}

/**
 * The header this library sends unless told otherwise:
 * `mws-kit/<version> (Language=TypeScript; Platform=Node/v24...)`.
 *
 * @category constructors
 * @since 0.1.0
 */
export const defaultUserAgent = (application?: { readonly name: string; readonly version: string }): string =>
  make({
    application: application?.name ?? LIBRARY.name,
    version: application?.version ?? LIBRARY.version,
    attributes: [
      ["Platform", `Node/${process.version}`],
      ...(application === undefined ? [] : ([["Library", `${LIBRARY.name}/${LIBRARY.version}`]] as const))
    ]
  })
