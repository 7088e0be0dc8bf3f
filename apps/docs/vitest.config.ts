import { defineConfig, mergeConfig } from "vitest/config"
import { packageProject } from "../../scripts/vitest-package.ts"

/** The docs app's unit tests: the generators and the timeline engine (the browser test has its own project). */
export default mergeConfig(packageProject("docs"), defineConfig({ test: { exclude: ["test/browser/**"] } }))
