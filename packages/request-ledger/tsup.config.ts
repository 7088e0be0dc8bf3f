import { defineConfig } from "tsup"
import { packageConfig } from "../../scripts/tsup-package.ts"

export default defineConfig({
  // The SQLite writer runs on a worker thread, which Node loads from its own
  // file: build it as an entry of its own, next to the modules that start it.
  ...packageConfig(import.meta.dirname, { "internal/sqliteWorker": "src/internal/sqliteWorker.ts" }),
  // `node:sqlite` only exists with its prefix (there is no bare `sqlite`
  // built-in), so keep every `node:` prefix as written.
  removeNodeProtocol: false
})
