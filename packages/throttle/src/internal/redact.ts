/**
 * Keeps credentials out of error messages and logs: Redis URLs carry a
 * password in their user info (`redis://user:secret@host:6379`), and drivers
 * quote URLs and options in their messages.
 *
 * @internal
 */

/**
 * Replaces the user info of every URL in `text` with `***`, up to the last
 * `@` of the URL, so a password that itself holds `@` or `/` is removed too
 * (`redis://u:p@ss/w@host` becomes `redis://***@host`). Removing too much is
 * safe; a partial password is not.
 *
 * @internal
 */
export const redactUrls = (text: string): string => text.replace(/([a-z][a-z0-9+.-]*:)?\/\/[^\s"'<>]*@/gi, "$1//***@")

/**
 * Where a URL points, without its credentials: `redis://***@host:6379/0`
 * (or `redis://host:6379` when it had none). A URL that does not parse is
 * described with its credentials redacted.
 *
 * @internal
 */
export const describeTarget = (url: string): string => {
  try {
    const parsed = new URL(url)
    const userInfo = parsed.username !== "" || parsed.password !== "" ? "***@" : ""
    const path = parsed.pathname === "/" ? "" : parsed.pathname
    return `${parsed.protocol}//${userInfo}${parsed.host}${path}`
  } catch {
    return redactUrls(url)
  }
}

/**
 * The secrets a URL carries (its password and user name, raw and decoded),
 * to remove from messages that quote them outside a URL. Very short values
 * are left out: replacing every "a" would garble the message and protect
 * nothing.
 *
 * @internal
 */
export const secretsOf = (url: string): ReadonlyArray<string> => {
  const found = new Set<string>()
  const add = (value: string) => {
    if (value.length >= 4) found.add(value)
    try {
      const decoded = decodeURIComponent(value)
      if (decoded.length >= 4) found.add(decoded)
    } catch {
      // not percent-encoded: the raw value is already there
    }
  }
  try {
    const parsed = new URL(url)
    add(parsed.password)
  } catch {
    // An unparsable URL: take what sits between "//" and the last "@".
    const match = /\/\/([^\s]*)@/.exec(url)
    if (match?.[1] !== undefined) {
      const userInfo = match[1]
      add(userInfo)
      const colon = userInfo.indexOf(":")
      if (colon >= 0) add(userInfo.slice(colon + 1))
    }
  }
  return [...found].sort((a, b) => b.length - a.length)
}

/**
 * A message made safe to show: URLs redacted, then every known secret
 * replaced by `***`.
 *
 * @internal
 */
export const redact = (text: string, secrets: ReadonlyArray<string> = []): string => {
  let safe = redactUrls(text)
  for (const secret of secrets) safe = safe.split(secret).join("***")
  return safe
}

/**
 * The message of a thrown value (its name when the message is empty).
 *
 * @internal
 */
export const describeCause = (cause: unknown): string => {
  if (cause instanceof Error) return cause.message || cause.name
  return String(cause)
}
