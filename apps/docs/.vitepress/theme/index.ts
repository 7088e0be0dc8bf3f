import type { Theme } from "vitepress"
import DefaultTheme from "vitepress/theme"
import { defineAsyncComponent } from "vue"
import "./style.css"

/**
 * The default theme plus the site's interactive components. The retry
 * timeline loads on demand: it brings Effect and the backoff policy, which
 * no other page needs.
 */
export default {
  extends: DefaultTheme,
  enhanceApp({ app }) {
    app.component(
      "RetryTimeline",
      defineAsyncComponent(() => import("./components/RetryTimeline.vue"))
    )
  }
} satisfies Theme
