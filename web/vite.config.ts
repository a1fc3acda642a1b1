// Builds the analyst web application into web/dist, which every node serves at `/` (src/api/web-app.ts).
import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  base: "/",
  plugins: [react()],
  build: { outDir: "dist", emptyOutDir: true, chunkSizeWarningLimit: 1500 },
  // During `vite dev`, API calls go to the first demo node.
  server: { proxy: { "/api": "http://127.0.0.1:7401" } },
});
