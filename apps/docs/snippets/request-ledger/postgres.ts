// #region postgres
import { Ledger } from "@mws-kit/request-ledger"
import * as PgStore from "@mws-kit/request-ledger/PgStore"
import { Layer, Redacted } from "effect"

export const FleetLedger = Ledger.layer().pipe(
  Layer.provide(PgStore.layer({ url: Redacted.make(process.env.DATABASE_URL ?? ""), schema: "mws" }))
)
// or over the application's own PgClient: PgStore.layerClient({ schema: "mws" })
// #endregion postgres
