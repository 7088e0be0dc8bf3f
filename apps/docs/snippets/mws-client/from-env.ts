// #region from-env
import { ClientLayer, MwsClient } from "@mws-kit/mws-client"
import { Effect } from "effect"

export const program = Effect.gen(function* () {
  const mws = yield* MwsClient.MwsClient
  const status = yield* mws.call({ section: "Sellers", operation: "GetServiceStatus" })
  return { status: status.result.Status, requestId: status.metadata.requestId }
})

// MWS_ACCESS_KEY_ID, MWS_SECRET_ACCESS_KEY, MWS_SELLER_ID, MWS_REGION or MWS_MARKETPLACE or MWS_ENDPOINT, ...
// A missing or broken setting fails here with a ClientConfigError that names it.
export const main = program.pipe(Effect.provide(ClientLayer.fromEnv()))
// #endregion from-env
