// #region handle
import { MwsError } from "@mws-kit/error-codes"
import { Effect } from "effect"

/** A stand-in for a GetReport call: the report is not ready yet. */
const getReport: Effect.Effect<string, MwsError.MwsError> = Effect.fail(
  MwsError.make({ code: "ReportNotReady", section: "Reports", operation: "GetReport" })
)

// One code: the report is not ready yet, ask again later.
export const byCode = getReport.pipe(MwsError.catchCode("ReportNotReady", () => Effect.succeed("not ready")))

// A whole class, known codes and unknown ones alike.
export const byClass = getReport.pipe(
  MwsError.catchClass("not-ready", (error) => Effect.succeed(`${error.code}: ask again later`)),
  MwsError.catchClass("auth", (error) => Effect.die(`check the credentials: ${error}`))
)

// Or Effect's own combinators with the refinements.
export const withRefinement = getReport.pipe(
  Effect.catchIf(MwsError.hasCode("ReportNotReady", "FeedProcessingResultNotReady"), () => Effect.succeed("later"))
)
// #endregion handle
