/**
 * Reads the reset time and the quota out of a QuotaExceeded message:
 * "You exceeded your quota of 30.0 requests per 1 hour for operation
 * Feeds/2009-01-01/SubmitFeed. Your quota will reset on Mon Mar 25 02:25:00
 * UTC 2019" (mws-facts section 1.5).
 *
 * @since 0.1.0
 */

const MONTHS: Readonly<Record<string, number>> = {
  jan: 0,
  feb: 1,
  mar: 2,
  apr: 3,
  may: 4,
  jun: 5,
  jul: 6,
  aug: 7,
  sep: 8,
  oct: 9,
  nov: 10,
  dec: 11
}

const RESET =
  /reset on (?:[A-Za-z]{3},? )?([A-Za-z]{3}) (\d{1,2}) (\d{2}):(\d{2}):(\d{2}) (?:(UTC|GMT|Z) )?(\d{4})(?: (UTC|GMT))?/

const QUOTA = /quota of (\d{1,9}(?:\.\d{1,6})?) requests? per (\d{1,4}) hours?/

/**
 * The reset instant in a QuotaExceeded message, as ISO 8601, or `undefined`.
 * Only UTC (or GMT) times are read; a message in another zone is not
 * guessed at.
 *
 * @example
 * ```ts
 * import { QuotaResetMessage } from "@mws-kit/xml-error-parser"
 *
 * QuotaResetMessage.resetTime("... Your quota will reset on Mon Mar 25 02:25:00 UTC 2019")
 * // "2019-03-25T02:25:00.000Z"
 * ```
 *
 * @category parsing
 * @since 0.1.0
 */
export const resetTime = (message: string): string | undefined => {
  const match = RESET.exec(message.length > 2048 ? message.slice(0, 2048) : message)
  if (match === null) return undefined
  const [, monthName, day, hours, minutes, seconds, zoneBefore, year, zoneAfter] = match
  if (zoneBefore === undefined && zoneAfter === undefined) return undefined
  const key = monthName!.toLowerCase()
  if (!Object.hasOwn(MONTHS, key)) return undefined
  const month = MONTHS[key]!
  const millis = Date.UTC(Number(year), month, Number(day), Number(hours), Number(minutes), Number(seconds))
  const date = new Date(millis)
  // Reject impossible dates (Feb 31) rather than rolling them over.
  if (!Number.isFinite(millis) || date.getUTCDate() !== Number(day) || Number(hours) > 23 || Number(minutes) > 59) {
    return undefined
  }
  return date.toISOString()
}

/**
 * The hourly quota stated in a QuotaExceeded message ("quota of 30.0
 * requests per 1 hour" is 30), or `undefined`. Only per-one-hour quotas are
 * read, since that is what the `x-mws-quota-max` header means.
 *
 * @category parsing
 * @since 0.1.0
 */
export const hourlyQuota = (message: string): number | undefined => {
  const match = QUOTA.exec(message.length > 2048 ? message.slice(0, 2048) : message)
  if (match === null || match[2] !== "1") return undefined
  return Number(match[1])
}
