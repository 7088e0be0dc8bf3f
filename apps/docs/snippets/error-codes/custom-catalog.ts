// #region extend
import { ErrorCatalog, MwsCatalog, MwsError } from "@mws-kit/error-codes"

export const catalog = ErrorCatalog.extend(MwsCatalog.catalog, [
  {
    code: "WidgetJammed",
    section: "Widgets",
    httpStatus: 409,
    errorClass: "client",
    description: "The widget is jammed.",
    documented: true,
    source: "Widgets API guide"
  }
])

export type Code = ErrorCatalog.CodeOf<typeof catalog> // every MWS code | "WidgetJammed"

export const jammed = MwsError.make({ code: "WidgetJammed", httpStatus: 409, section: "Widgets" }, catalog)
jammed.errorClass // "client"
jammed.mwsMessage // "The widget is jammed." (the catalog's description stands in)
// #endregion extend
