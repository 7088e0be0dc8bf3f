#!/usr/bin/env node
/**
 * `mws`: the command line of the reference client.
 *
 *   mws call <Section> <Operation> [Name=Value ...] [--body FILE] [--endpoint URL] [--json]
 *   mws ledger find|list|best-example|export|prune|stats
 *   mws sandbox [--port --time-scale --fault ...]
 *   mws demo
 *
 * Exit codes: 0 done; 1 the MWS call failed; 2 usage or configuration error;
 * 3 nothing found in the ledger; 4 the ledger store failed; 130 interrupted.
 *
 * @since 0.1.0
 */
import { NodeRuntime, NodeServices } from "@effect/platform-node"
import { Effect } from "effect"
import { main } from "./commands/main.ts"

main(process.argv.slice(2)).pipe(
  Effect.provide(NodeServices.layer),
  NodeRuntime.runMain({ disableErrorReporting: true })
)
