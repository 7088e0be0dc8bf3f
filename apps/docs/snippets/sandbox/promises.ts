// #region promises
import { Sandbox } from "@mws-kit/sandbox"

export const main = async () => {
  const sandbox = await Sandbox.start({ timeScale: 3600 }) // an hour of quota per second
  try {
    // endpoint: sandbox.url; credentials: Sandbox.DEFAULT_CREDENTIAL; any SellerId
    sandbox.faults.script("ListOrders", [{ kind: "reset" }, { kind: "html-503" }]) // the next two ListOrders
    sandbox.faults.sometimes("*", { kind: "service-unavailable" }, 0.1) // then 10% of every call
    sandbox.corruptNextDownloads(1) // the next GetReport body will not match its Content-MD5

    // ... run your client against sandbox.url ...

    const pending = sandbox.faults.pending() // { ListOrders: [{ kind: "reset" }, { kind: "html-503" }] }
    const requests = sandbox.requests() // the log: every request id it issued
    return { url: sandbox.url, pending, requests }
  } finally {
    await sandbox.close()
  }
}
// #endregion promises
