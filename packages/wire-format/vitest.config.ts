import { packageProject } from "../../scripts/vitest-package.ts"

export default packageProject("wire-format")
