/**
 * Opening a ledger file for reading only: no migration, no journal-mode
 * switch, nothing written, so that `mws ledger list` works on a file the
 * process may not write (a copy from production, a read-only mount, a
 * backup).
 *
 * @internal
 */
import { accessSync, constants, existsSync } from "node:fs"
import { dirname } from "node:path"
import { DatabaseSync } from "node:sqlite"
import { pathToFileURL } from "node:url"
import { versionRefusal, writeRefusalDetail } from "./refusals.ts"
import { LATEST_VERSION, type Row } from "./sqliteSchema.ts"

/** SQLite's primary result codes this module raises or tells apart. @internal */
export const SQLITE_READONLY = 8
const SQLITE_CANTOPEN = 14

/** Whether a directory can take new files (the WAL's `-shm` and `-wal`); false on a read-only mount. @internal */
export const writableDirectory = (directory: string): boolean => {
  try {
    accessSync(directory, constants.W_OK)
    return true
  } catch {
    return false
  }
}

/**
 * Opens `filename` read-only. A WAL-mode file whose `-shm` file is absent
 * cannot be opened that way where no file can be created (SQLite 3.22+
 * needs to create it): on such a directory the file is opened `immutable`,
 * read as it is without locks, which is sound there because no one can
 * write it either.
 *
 * @internal
 */
export const openReadOnly = (filename: string): DatabaseSync => {
  let db: DatabaseSync | undefined
  try {
    db = new DatabaseSync(filename, { readOnly: true })
    // SQLite opens lazily: the first read is where a missing `-shm` shows.
    db.prepare("PRAGMA schema_version").get()
    return db
  } catch (error) {
    db?.close()
    const code = (error as { errcode?: unknown } | null)?.errcode
    if (code !== SQLITE_CANTOPEN || !existsSync(filename) || writableDirectory(dirname(filename))) throw error
    const url = pathToFileURL(filename)
    url.search = "immutable=1"
    return new DatabaseSync(url, { readOnly: true })
  }
}

/**
 * Refuses a file whose schema is not this release's: reading does not
 * migrate, so an older file must be opened once for writing first (any
 * `mws call`, or the library with a writable ledger).
 *
 * @internal
 */
export const checkSchemaVersion = (db: DatabaseSync, filename: string): number => {
  const version = Number((db.prepare("PRAGMA user_version").get() as Row | undefined)?.user_version ?? 0)
  const refusal = versionRefusal(filename, version, LATEST_VERSION)
  if (refusal === undefined) return version
  // The main thread classifies by SQLite code: `read-only` needs SQLITE_READONLY, `failed` none.
  throw Object.assign(new Error(refusal.detail), refusal.failure === "read-only" ? { errcode: SQLITE_READONLY } : {})
}

/** The error a write to a read-only ledger fails with (classified `read-only`). @internal */
export const readOnlyRefusal = (filename: string): Error =>
  Object.assign(new Error(writeRefusalDetail(filename)), { errcode: SQLITE_READONLY })
