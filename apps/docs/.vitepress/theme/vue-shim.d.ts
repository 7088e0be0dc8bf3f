// Vue single-file components, for the TypeScript that imports them (the
// components' own code runs through Vite, which compiles them).
declare module "*.vue" {
  import type { DefineComponent } from "vue"

  const component: DefineComponent
  export default component
}

// Stylesheets imported for their side effect, bundled by Vite.
declare module "*.css"
