/**
 * The console's build: React + TypeScript into static files under the platform's own build folder
 * (packages/platform/dist/console), so the platform serves them at `/` and `npm pack` of
 * @mpstack/platform ships them; nothing of this package is needed at run time. Files live under
 * `/console/` (the platform's prefix for them); names carry content hashes (cached for a year).
 */
import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

export default defineConfig({
  base: "/console/",
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL("../platform/dist/console", import.meta.url)),
    emptyOutDir: true,
    target: "es2022",
    sourcemap: false,
    reportCompressedSize: false,
    chunkSizeWarningLimit: 600,
    // The build runs inside `npm install`: no timing report on a busy machine.
    rolldownOptions: { checks: { pluginTimings: false } },
  },
});
