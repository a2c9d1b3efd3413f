// Vite build of the console: a static SPA in dist/ that the server serves at
// "/" under a strict CSP (no inline scripts or styles), so CSS stays in files.
import react from "@vitejs/plugin-react";
import { defaultClientConditions, defineConfig } from "vite";

export default defineConfig({
  base: "/",
  plugins: [react()],
  // Bundle the workspace packages from their TypeScript sources, not their
  // compiled dist/ (the treeshake rule below names core's sources).
  resolve: { conditions: ["@trailproof/source", ...defaultClientConditions] },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    // Inline assets would become data: URLs in CSS and JS; keep them as files.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 600,
    rolldownOptions: {
      // @trailproof/core is pure (no module-level effects), so the schema
      // registry and its JSON Schema compiler drop out of the console bundle.
      // Equivalent to "sideEffects": false in packages/core/package.json.
      treeshake: { moduleSideEffects: (id: string) => !/[\\/]packages[\\/]core[\\/]src[\\/]/.test(id) },
    },
  },
  server: {
    // `npm run dev -w @trailproof/console` against a local server (TRAILPROOF_URL).
    proxy: { "/v1": process.env.TRAILPROOF_URL ?? "http://127.0.0.1:8080" },
  },
});
