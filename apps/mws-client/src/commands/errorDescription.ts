/**
 * An error as the CLI shows it: for a person, what happened (code and
 * message), the RequestId and Timestamp support asks for, and what to do
 * about it, with the exit code it ends the command with; for a machine
 * (`--json`), its fields as JSON.
 *
 * @internal
 */
import type { RetryGaveUp } from "@mws-kit/backoff-policy"
import { ErrorClass, MwsError, UnparseableErrorBody } from "@mws-kit/error-codes"
import { ClientConfigError } from "../ClientConfig.ts"
import { DownloadWriteError } from "../Download.ts"
import { MalformedResponse } from "../ResponseBody.ts"
import { ResponseTooLarge } from "../ResponseLimit.ts"
import { MwsTransportError } from "../TransportError.ts"
import { ExitCode } from "./cliExit.ts"
import { printable } from "./serverText.ts"
import { style } from "./terminal.ts"

const field = (name: string, value: string | number | undefined) =>
  `  ${style.dim(`${name}:`.padEnd(11))} ${value === undefined ? style.dim("(unknown)") : printable(String(value))}`

/**
 * An error as the CLI prints it: what happened (code and message), the
 * RequestId and Timestamp support asks for, and what to do about it (the
 * catalog's advice for its class). Never a secret: no error type here holds
 * one.
 *
 * @internal
 */
export const describeError = (error: unknown): { readonly lines: ReadonlyArray<string>; readonly code: number } => {
  if (error instanceof ClientConfigError) {
    return {
      code: ExitCode.usage,
      lines: [`${style.red("✖ Configuration:")} ${error.message}`, field("Setting", error.setting)]
    }
  }
  if (MwsError.isMwsError(error)) {
    return {
      code: ExitCode.callFailed,
      lines: [
        `${style.red(`✖ ${printable(error.code)}`)}: ${printable(error.mwsMessage) || "(no message)"}`,
        field("HTTP", error.httpStatus),
        field("Type", error.type || undefined),
        field("RequestId", error.requestId),
        field("Timestamp", error.requestTimestamp),
        field("Class", `${error.errorClass}${error.known ? "" : " (code not in the catalog)"}`),
        ...(error.retryHint?.resetsAt === undefined ? [] : [field("Resets at", error.retryHint.resetsAt)]),
        `  ${style.bold("What to do:")} ${ErrorClass.advice[error.errorClass]}`
      ]
    }
  }
  if (UnparseableErrorBody.isUnparseableErrorBody(error)) {
    return {
      code: ExitCode.callFailed,
      lines: [
        `${style.red(`✖ Unparseable error body (${error.reason})`)}: ${error.excerpt === "" ? "(empty)" : JSON.stringify(error.excerpt)}`,
        field("HTTP", error.httpStatus),
        field("RequestId", error.requestId),
        field("Timestamp", error.requestTimestamp),
        field("Class", error.errorClass),
        `  ${style.bold("What to do:")} ${ErrorClass.advice[error.errorClass]}`
      ]
    }
  }
  if (error instanceof MwsTransportError) {
    return {
      code: ExitCode.callFailed,
      lines: [
        `${style.red(`✖ ${`Transport:${error.kind}`}`)}: ${error.message}`,
        field("RequestId", undefined),
        field("Timestamp", error.requestTimestamp),
        `  ${style.bold("What to do:")} ${
          error.sent
            ? `${ErrorClass.advice.transient} The request may have been processed: check before resending a state-changing call.`
            : "Nothing was sent: check the endpoint (MWS_ENDPOINT / MWS_REGION) and the network."
        }`
      ]
    }
  }
  if (error instanceof MalformedResponse) {
    return {
      code: ExitCode.callFailed,
      lines: [
        `${style.red(`✖ MalformedResponse (${error.reason})`)}: ${error.problem}`,
        field("HTTP", error.httpStatus),
        field("RequestId", error.requestId),
        field("Timestamp", error.requestTimestamp),
        `  ${style.bold("What to do:")} the service answered but the body could not be read; retry, and report the RequestId if it persists.`
      ]
    }
  }
  if (error instanceof DownloadWriteError) {
    return {
      code: ExitCode.callFailed,
      lines: [
        `${style.red("✖ DownloadWriteError")}: cannot write ${error.path}: ${error.reason}`,
        field("HTTP", error.httpStatus),
        field("RequestId", error.requestId),
        field("Timestamp", error.requestTimestamp),
        `  ${style.bold("What to do:")} check the path, its directory and the free space, then download again.`
      ]
    }
  }
  if (error instanceof ResponseTooLarge) {
    return {
      code: ExitCode.callFailed,
      lines: [
        `${style.red("✖ ResponseTooLarge")}: the body is over ${error.limitBytes} bytes${error.declaredBytes === undefined ? "" : ` (declared ${error.declaredBytes})`}; the read stopped there`,
        field("HTTP", error.httpStatus),
        field("RequestId", error.requestId),
        field("Timestamp", error.requestTimestamp),
        `  ${style.bold("What to do:")} raise MWS_MAX_RESPONSE_BYTES (bytes) if this body is expected to be this large.`
      ]
    }
  }
  const tagged = error as { readonly _tag?: string; readonly message?: string }
  if (tagged?._tag === "RetryGaveUp") {
    const gaveUp = error as RetryGaveUp.RetryGaveUp
    const last = describeError(gaveUp.lastError)
    return {
      code: ExitCode.callFailed,
      lines: [
        `${style.red(`✖ Gave up after ${gaveUp.attempts.length} attempt${gaveUp.attempts.length === 1 ? "" : "s"} (${gaveUp.reason})`)}: manual follow-up needed`,
        ...(gaveUp.resetsAt === undefined ? [] : [field("Resets at", gaveUp.resetsAt)]),
        ...gaveUp.attempts.map(
          (a) =>
            `  #${a.attempt} ${a.code ?? a.errorClass}  RequestId ${a.requestId ?? "(none)"}  Timestamp ${a.timestamp ?? "(unknown)"}`
        ),
        "  Last error:",
        ...last.lines.map((line) => `  ${line}`)
      ]
    }
  }
  if (
    tagged?._tag === "ThrottleWaitTooLong" ||
    tagged?._tag === "UnknownOperation" ||
    tagged?._tag === "InvalidThrottleRequest"
  ) {
    return {
      code: tagged._tag === "ThrottleWaitTooLong" ? ExitCode.callFailed : ExitCode.usage,
      lines: [
        `${style.red(`✖ ${tagged._tag}`)}: ${tagged.message ?? ""}`,
        `  ${style.bold("What to do:")} ${
          tagged._tag === "ThrottleWaitTooLong"
            ? ErrorClass.advice.throttled
            : tagged._tag === "UnknownOperation"
              ? "The quota catalog does not know this section/operation: check the spelling (see the MWS API reference)."
              : "Split the request into smaller ones."
        }`
      ]
    }
  }
  if (tagged?._tag === "ThrottleStoreUnavailable") {
    return {
      code: ExitCode.callFailed,
      lines: [
        `${style.red("✖ ThrottleStoreUnavailable")}: ${tagged.message ?? ""}`,
        `  ${style.bold("What to do:")} the shared throttle store (MWS_REDIS_URL) is down; fix it or unset MWS_REDIS_URL if this process is the seller's only client.`
      ]
    }
  }
  if (tagged?._tag === "LedgerImportError") {
    return {
      code: ExitCode.usage,
      lines: [
        `${style.red("✖ LedgerImportError")}: ${tagged.message ?? ""}`,
        `  ${style.bold("What to do:")} give the spill file the ledger printed (mws-ledger-spill-*.jsonl) or a JSON Lines export; nothing was imported.`
      ]
    }
  }
  if (typeof tagged?._tag === "string" && tagged._tag.startsWith("Ledger")) {
    const readOnly = (error as { readonly failure?: string }).failure === "read-only"
    return {
      code: ExitCode.ledger,
      lines: [
        `${style.red(`✖ ${tagged._tag}`)}: ${tagged.message ?? ""}`,
        `  ${style.bold("What to do:")} ${
          readOnly
            ? "MWS_LEDGER cannot be written here (a read-only file or mount): `mws ledger list|find|stats|export` still read it; point MWS_LEDGER at a writable file to make calls."
            : "check MWS_LEDGER (a SQLite file path or a postgres:// URL) and that it can be read and written."
        }`
      ]
    }
  }
  if (tagged?._tag === "OutputWriteError") {
    return {
      code: ExitCode.callFailed,
      lines: [
        `${style.red("✖ Output")}: ${tagged.message ?? ""}`,
        `  ${style.bold("What to do:")} check the path, its directory and the free space; nothing was reported as written.`
      ]
    }
  }
  if (tagged?._tag === "RedisError") {
    return {
      code: ExitCode.callFailed,
      lines: [
        `${style.red("✖ Redis")}: cannot reach MWS_REDIS_URL`,
        `  ${style.bold("What to do:")} start Redis, or unset MWS_REDIS_URL to throttle in this process only.`
      ]
    }
  }
  const message = error instanceof Error ? error.message : String(error)
  return { code: ExitCode.callFailed, lines: [`${style.red("✖ Error")}: ${message}`] }
}

/** An error as JSON: its encoded fields where it has a schema, else its tag and message. @internal */
export const errorJson = (error: unknown): unknown => {
  if (MwsError.isMwsError(error)) {
    return { ...MwsError.encode(error), advice: ErrorClass.advice[error.errorClass] }
  }
  if (UnparseableErrorBody.isUnparseableErrorBody(error)) return UnparseableErrorBody.encode(error)
  const tagged = error as { readonly _tag?: string; readonly message?: string }
  if (tagged?._tag === "RetryGaveUp") {
    const gaveUp = error as RetryGaveUp.RetryGaveUp
    return {
      _tag: "RetryGaveUp",
      reason: gaveUp.reason,
      attempts: gaveUp.attempts,
      manualFollowUp: true,
      ...(gaveUp.resetsAt === undefined ? {} : { resetsAt: gaveUp.resetsAt }),
      lastError: errorJson(gaveUp.lastError),
      message: gaveUp.message
    }
  }
  if (
    error instanceof MwsTransportError ||
    error instanceof MalformedResponse ||
    error instanceof ResponseTooLarge ||
    error instanceof DownloadWriteError ||
    error instanceof ClientConfigError
  ) {
    return { ...JSON.parse(JSON.stringify(error)), _tag: error._tag, message: error.message }
  }
  return { _tag: tagged?._tag ?? "Error", message: tagged?.message ?? String(error) }
}
