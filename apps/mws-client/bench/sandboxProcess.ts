/**
 * A sandbox in its own process, for the benchmark: the server's work then
 * does not share the client's event loop. The parent starts it with a time
 * scale and gets its URL over IPC.
 */
import { Sandbox } from "@mws-kit/sandbox"

const timeScale = Number(process.argv[2] ?? 1)
const sandbox = await Sandbox.start({ timeScale })
process.send?.({ type: "ready", url: sandbox.url })
process.on("message", (message: { readonly type: string }) => {
  if (message.type === "stop") {
    sandbox.close().finally(() => process.exit(0))
  }
})
