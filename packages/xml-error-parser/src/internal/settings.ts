/**
 * A limit's value, checked: a positive integer, else an `Error` naming the
 * setting. A broken configuration fails at once, at start-up, not on the
 * first response.
 *
 * @internal
 */
export const positiveInteger = (name: string, value: number): number => {
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new Error(`xml-error-parser: ${name} must be a positive integer, got ${String(value)}`)
  }
  return value
}
