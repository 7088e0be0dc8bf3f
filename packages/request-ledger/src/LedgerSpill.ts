/**
 * The spill file: where a closing ledger puts the entries its store did not
 * accept, so none is ever dropped. One JSON Lines file per close, one line per
 * entry in the export's form (`LedgerExport.toJsonLine`), named
 * `mws-ledger-spill-<time>-<pid>.jsonl` so spill files sort by time and never
 * collide. `Ledger.importJsonLines` (or `mws ledger import FILE`) writes them
 * back into a store; importing twice adds nothing.
 *
 * @since 0.2.0
 */
import { closeSync, fsyncSync, openSync, readFileSync, unlinkSync, writeSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Effect, Result } from "effect"
import * as LedgerEntry from "./LedgerEntry.ts"
import { LedgerImportError } from "./LedgerError.ts"
import * as LedgerExport from "./LedgerExport.ts"

/**
 * What a close spilled, given to `Ledger.Options.onSpill` (so a CLI can print
 * the path and exit with its own code):
 *
 * - `path`: the spill file, or `undefined` when no file could be written (the
 *   entries' RequestId, Timestamp, operation and call id are then in the
 *   error log, the last resort);
 * - `entries`: how many entries it holds;
 * - `requestIds`: the RequestIds among them (attempts that got no answer have
 *   none);
 * - `reason`: why the store did not take them.
 *
 * @category models
 * @since 0.2.0
 */
export interface SpillReport {
  readonly path: string | undefined
  readonly entries: number
  readonly requestIds: ReadonlyArray<string>
  readonly reason: string
}

/**
 * The prefix of every spill file name.
 *
 * @category constants
 * @since 0.2.0
 */
export const FILE_PREFIX = "mws-ledger-spill-"

/**
 * A spill file name for a close at `millis` by process `pid`:
 * `mws-ledger-spill-2026-11-25T10-00-00.000Z-4242.jsonl` (colons replaced, so
 * the name is valid everywhere; names sort by time).
 *
 * @category constructors
 * @since 0.2.0
 */
export const fileName = (millis: number, pid: number = process.pid, sequence = 0): string =>
  `${FILE_PREFIX}${new Date(millis).toISOString().replace(/:/g, "-")}-${pid}${sequence === 0 ? "" : `-${sequence}`}.jsonl`

/**
 * The directories a spill is tried in, in order, without repeats: the
 * store's (next to the SQLite file), the configured one, the OS temp dir.
 *
 * @category constructors
 * @since 0.2.0
 */
export const directories = (
  storeDirectory: string | undefined,
  configured: string | undefined
): ReadonlyArray<string> => [
  ...new Set([storeDirectory, configured, tmpdir()].filter((dir): dir is string => dir !== undefined && dir !== ""))
]

const writeNew = (path: string, text: string): void => {
  // "wx": never overwrite another close's spill.
  const fd = openSync(path, "wx", 0o600)
  try {
    const buffer = Buffer.from(text, "utf8")
    let offset = 0
    while (offset < buffer.length) offset += writeSync(fd, buffer, offset)
    fsyncSync(fd)
    closeSync(fd)
  } catch (error) {
    // A partial file (a full disk) would look like a complete spill: removed.
    try {
      closeSync(fd)
    } catch {
      // already closed
    }
    try {
      unlinkSync(path)
    } catch {
      // nothing more to do
    }
    throw error
  }
}

/**
 * Writes entries to a new spill file in the first of `dirs` that takes it,
 * fsynced. Succeeds with the path, or fails with what each directory said.
 *
 * @category constructors
 * @since 0.2.0
 */
export const write = (
  dirs: ReadonlyArray<string>,
  entries: ReadonlyArray<LedgerEntry.LedgerEntry>,
  millis: number
): Effect.Effect<string, string> =>
  Effect.suspend(() => {
    const text = entries.map((entry) => `${LedgerExport.toJsonLine(entry)}\n`).join("")
    const failures: Array<string> = []
    for (const dir of dirs) {
      for (let sequence = 0; sequence < 100; sequence++) {
        const path = join(dir, fileName(millis, process.pid, sequence))
        try {
          writeNew(path, text)
          return Effect.succeed(path)
        } catch (error) {
          const code = (error as { code?: unknown }).code
          if (code === "EEXIST") continue
          failures.push(`${dir}: ${error instanceof Error ? error.message : String(error)}`)
          break
        }
      }
    }
    return Effect.fail(failures.join("; "))
  })

/**
 * Reads a spill (or `exportJsonLines`) file: every non-empty line decoded
 * with the entry schema. A file that cannot be read, or any line that is not
 * an entry, fails with `LedgerImportError` naming the line, before anything
 * is written.
 *
 * @category constructors
 * @since 0.2.0
 */
export const read = (path: string): Effect.Effect<ReadonlyArray<LedgerEntry.LedgerEntry>, LedgerImportError> =>
  Effect.suspend(() => {
    let text: string
    try {
      text = readFileSync(path, "utf8")
    } catch (error) {
      return Effect.fail(
        new LedgerImportError({ path, line: 0, issue: error instanceof Error ? error.message : String(error) })
      )
    }
    const entries: Array<LedgerEntry.LedgerEntry> = []
    const lines = text.split("\n")
    for (let index = 0; index < lines.length; index++) {
      const line = lines[index]!.trim()
      if (line === "") continue
      let value: unknown
      try {
        value = JSON.parse(line)
      } catch (error) {
        return Effect.fail(
          new LedgerImportError({
            path,
            line: index + 1,
            issue: `not JSON: ${error instanceof Error ? error.message : String(error)}`
          })
        )
      }
      const decoded = LedgerEntry.decode(value)
      if (Result.isFailure(decoded)) {
        return Effect.fail(
          new LedgerImportError({ path, line: index + 1, issue: `not a ledger entry: ${decoded.failure}` })
        )
      }
      entries.push(decoded.success)
    }
    return Effect.succeed(entries)
  })

/**
 * The last resort when no spill file can be written: one line per entry
 * with its RequestId, Timestamp, operation and call id, for the error log.
 *
 * @category formatting
 * @since 0.2.0
 */
export const lastResortLines = (entries: ReadonlyArray<LedgerEntry.LedgerEntry>): string =>
  entries
    .map(
      (e) =>
        `  RequestId=${e.requestId ?? "(none)"} Timestamp=${e.requestTimestamp ?? "(none)"} operation=${e.section}/${e.operation} callId=${e.callId} attempt=${e.attempt} outcome=${e.outcome} entryId=${e.entryId}`
    )
    .join("\n")
