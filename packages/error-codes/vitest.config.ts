import { defineConfig } from "vitest/config"

export default defineConfig({
  resolve: { conditions: ["@mws-kit/source"] },
  test: {
    name: "error-codes",
    include: ["test/**/*.test.ts"]
  }
})
