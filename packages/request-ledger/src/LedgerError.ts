/**
 * The typed failures of the ledger: an entry that does not validate, a full
 * buffer, a store that cannot be read or written, a setting that breaks a
 * rule, and a ledger that has closed. None of them ever carries a secret: the
 * entry they describe has no field that could hold one, and store failures
 * keep the driver's message, never a connection string.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"

/**
 * An entry given to `record` that does not validate (a missing operation, an
 * attempt of 0, a status of 42.5...). Nothing was recorded for it, and no
 * other entry is affected. `issue` says which field is wrong and why.
 *
 * @category errors
 * @since 0.1.0
 */
export class LedgerEntryInvalid extends Schema.TaggedError<LedgerEntryInvalid>()("LedgerEntryInvalid", {
  issue: Schema.String
}) {
  override get message(): string {
    return `Ledger entry is invalid: ${this.issue}`
  }
}

/**
 * `record` found the buffer of entries waiting for the store full (the store
 * has been failing, or cannot keep up). The entry was not recorded; nothing
 * already buffered was dropped. A log line says so once per episode.
 *
 * @category errors
 * @since 0.1.0
 */
export class LedgerBufferFull extends Schema.TaggedError<LedgerBufferFull>()("LedgerBufferFull", {
  capacity: Schema.Int,
  lastStoreError: Schema.optionalKey(Schema.String)
}) {
  override get message(): string {
    const cause = this.lastStoreError === undefined ? "" : ` (last store error: ${this.lastStoreError})`
    return `Ledger buffer is full: ${this.capacity} entries are waiting for the store${cause}`
  }
}

/**
 * Which store failed.
 *
 * @category schemas
 * @since 0.1.0
 */
export const StoreKind = Schema.Literals(["memory", "sqlite", "postgres"])

/**
 * Which store failed.
 *
 * @category models
 * @since 0.1.0
 */
export type StoreKind = typeof StoreKind.Type

/**
 * What kind of store failure it was:
 *
 * - `unavailable`: the store cannot be reached (PostgreSQL down, connection
 *   lost), or did not answer within its bound ("no answer within N ms");
 * - `busy`: another writer held the lock past the busy timeout (SQLite);
 * - `corrupt`: the file is not a database, or its pages are damaged;
 * - `read-only`: the file or directory cannot be written;
 * - `full` (since 0.2.0): the disk or database is full (SQLITE_FULL,
 *   ENOSPC); entries stay in the buffer, are retried, and are spilled at
 *   close if the space does not come back;
 * - `cannot-open`: the file cannot be opened or created;
 * - `invalid-row`: a stored row does not decode into an entry;
 * - `failed`: anything else (the detail says what).
 *
 * @category schemas
 * @since 0.1.0
 */
export const StoreFailure = Schema.Literals([
  "unavailable",
  "busy",
  "corrupt",
  "read-only",
  "full",
  "cannot-open",
  "invalid-row",
  "failed"
])

/**
 * What kind of store failure it was.
 *
 * @category models
 * @since 0.1.0
 */
export type StoreFailure = typeof StoreFailure.Type

/**
 * A store operation failed. Entries that were being written stay in the
 * ledger's buffer and are written again (writes are idempotent by entry id),
 * so a failure never loses or duplicates what was recorded.
 *
 * @category errors
 * @since 0.1.0
 */
export class LedgerStoreError extends Schema.TaggedError<LedgerStoreError>()("LedgerStoreError", {
  store: StoreKind,
  operation: Schema.String,
  failure: StoreFailure,
  detail: Schema.String
}) {
  override get message(): string {
    return `Ledger ${this.store} store: ${this.operation} failed (${this.failure}): ${this.detail}`
  }
}

/**
 * A ledger or store setting is invalid, or breaks a documented rule without
 * the option that allows it (a retention under 30 days without
 * `allowShorterRetention: true`). `setting` names the option.
 *
 * @category errors
 * @since 0.1.0
 */
export class LedgerConfigError extends Schema.TaggedError<LedgerConfigError>()("LedgerConfigError", {
  setting: Schema.String,
  detail: Schema.String
}) {
  override get message(): string {
    return `Ledger setting ${this.setting}: ${this.detail}`
  }
}

/**
 * `record` or `flush` was called after the ledger's scope closed. Nothing was
 * recorded.
 *
 * @category errors
 * @since 0.1.0
 */
export class LedgerClosed extends Schema.TaggedError<LedgerClosed>()("LedgerClosed", {}) {
  override get message(): string {
    return "Ledger is closed: its scope has ended"
  }
}

/**
 * A spill or export file given to `Ledger.importJsonLines` that cannot be
 * imported: it cannot be read (`line` 0), or a line is not an entry (`line`
 * counts from 1). Nothing from the file was written.
 *
 * @category errors
 * @since 0.2.0
 */
export class LedgerImportError extends Schema.TaggedError<LedgerImportError>()("LedgerImportError", {
  path: Schema.String,
  line: Schema.Int,
  issue: Schema.String
}) {
  override get message(): string {
    const where = this.line === 0 ? this.path : `${this.path}, line ${this.line}`
    return `Cannot import ${where}: ${this.issue}; nothing was imported`
  }
}

/**
 * Every failure `record` can return.
 *
 * @category models
 * @since 0.1.0
 */
export type RecordError = LedgerEntryInvalid | LedgerBufferFull | LedgerStoreError | LedgerClosed
