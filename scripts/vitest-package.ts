import { defineConfig } from "vitest/config"

/**
 * The vitest project every package uses. The `@mws-kit/source` export
 * condition makes workspace packages resolve each other to their TypeScript
 * sources, so tests never run against a stale build; Vite applies
 * `resolve.conditions` to client code only, so the server-side (Node) resolver
 * gets it too.
 */
export const packageProject = (name: string) =>
  defineConfig({
    resolve: { conditions: ["@mws-kit/source"] },
    ssr: { resolve: { conditions: ["@mws-kit/source"], externalConditions: ["@mws-kit/source"] } },
    test: {
      name,
      include: ["test/**/*.test.ts"]
    }
  })
