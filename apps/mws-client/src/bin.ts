#!/usr/bin/env node
/**
 * `mws`: the command line of the reference client.
 *
 *   mws call <Section> <Operation> [Name=Value ...] [--body FILE] [--paginate] [--endpoint URL] [--json]
 *   mws ledger find|list|best-example|export|import|prune|stats
 *   mws sandbox [--port --time-scale --fault ...]
 *   mws demo
 *
 * Exit codes: 0 done; 1 the MWS call failed; 2 usage or configuration error;
 * 3 nothing found in the ledger; 4 the ledger store failed (or an entry of
 * this run could only be spilled); 130 interrupted (SIGINT); 143 terminated
 * (SIGTERM).
 *
 * @since 0.1.0
 */
import { Effect } from "effect"
import { main } from "./commands/main.ts"
import { NodeCliServices, runCli, wantsDebug } from "./internal/runCli.ts"

const args = process.argv.slice(2)
runCli(main(args).pipe(Effect.provide(NodeCliServices)), { verbose: wantsDebug(args) })
