import { resolve } from "node:path";
import type { Connect, Plugin } from "vite";
import { defineConfig } from "vitest/config";

const root = import.meta.dirname;
const backend = process.env.LYKTA_DEV_BACKEND ?? "http://127.0.0.1:8000";

/** In dev, serve the pages at the same paths the server uses: /c/{code} and /console. */
function pageRoutes(): Plugin {
  const rewrite: Connect.NextHandleFunction = (req, _res, next) => {
    const path = (req.url ?? "").split("?")[0] ?? "";
    if (/^\/c\/[^/]+\/?$/.test(path)) req.url = "/visitor.html";
    else if (path === "/console" || path === "/console/") req.url = "/console.html";
    next();
  };
  return {
    name: "lykta-page-routes",
    configureServer: (server) => void server.middlewares.use(rewrite),
    configurePreviewServer: (server) => void server.middlewares.use(rewrite),
  };
}

export default defineConfig({
  base: "/",
  plugins: [pageRoutes()],
  esbuild: { jsx: "automatic", jsxImportSource: "preact" },
  build: {
    outDir: "dist",
    assetsDir: "assets",
    emptyOutDir: true,
    modulePreload: { polyfill: false },
    rollupOptions: {
      input: {
        visitor: resolve(root, "visitor.html"),
        console: resolve(root, "console.html"),
      },
      output: { chunkFileNames: "assets/shared-[hash].js" },
    },
  },
  server: {
    proxy: {
      "/api": { target: backend, changeOrigin: false },
      "/ws": { target: backend, ws: true, changeOrigin: false },
    },
  },
  test: {
    environment: "node",
    include: ["tests/**/*.test.ts"],
    testTimeout: 5000,
  },
});
