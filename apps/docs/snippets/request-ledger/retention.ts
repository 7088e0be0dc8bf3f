// #region retention
import { Ledger, MemoryStore } from "@mws-kit/request-ledger"
import { Effect, Layer } from "effect"

export const longer = Ledger.layer({ retention: "45 days" })
export const tooShort = Ledger.layer({ retention: "7 days" }) // fails: LedgerConfigError, setting "retention"
export const onPurpose = Ledger.layer({ retention: "7 days", allowShorterRetention: true }) // breaks the MWS rule
// #endregion retention

/** Builds the too-short ledger: it fails at start with a typed error naming the setting. */
export const buildTooShort = Effect.scoped(Layer.build(tooShort.pipe(Layer.provide(MemoryStore.layer))))
