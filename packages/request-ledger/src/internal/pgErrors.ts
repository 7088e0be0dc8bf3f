/**
 * The PostgreSQL store's failures as typed store errors: which kind a driver
 * error is (`unavailable`, `busy`, `failed`), and what its detail says (the
 * driver's tag, message and cause, never the connection string).
 *
 * @internal
 */
import type { SqlError } from "effect/sql"
import { LedgerStoreError, type StoreFailure } from "../LedgerError.ts"
import { noAnswerError } from "./bounded.ts"

const failureOf = (error: SqlError.SqlError): StoreFailure => {
  switch (error.reason._tag) {
    case "ConnectionError":
      return "unavailable"
    case "LockTimeoutError":
    case "DeadlockError":
    case "SerializationError":
      return "busy"
    default:
      return "failed"
  }
}

const detailOf = (error: SqlError.SqlError): string => {
  const cause = error.reason.cause
  const causeText = cause instanceof Error ? cause.message : cause === undefined ? "" : String(cause)
  const text = [error.reason._tag, error.reason.message, causeText].filter((part) => part !== undefined && part !== "")
  return text.join(": ")
}

/** A driver error of `operation` as a PostgreSQL store error. @internal */
export const storeError =
  (operation: string) =>
  (error: SqlError.SqlError): LedgerStoreError =>
    new LedgerStoreError({ store: "postgres", operation, failure: failureOf(error), detail: detailOf(error) })

/** A PostgreSQL store error of `operation` with a failure and detail of the store's own. @internal */
export const pgStoreError = (operation: string, failure: StoreFailure, detail: string): LedgerStoreError =>
  new LedgerStoreError({ store: "postgres", operation, failure, detail })

/** The error of a PostgreSQL operation that got no answer within `millis`, as `bounded`'s `onTimeout`. @internal */
export const timedOut = (operation: string, millis: number) => noAnswerError("postgres", operation, millis)
