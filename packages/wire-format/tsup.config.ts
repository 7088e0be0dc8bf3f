import { defineConfig } from "tsup"
import { packageConfig } from "../../scripts/tsup-package.ts"

export default defineConfig(packageConfig(import.meta.dirname))
