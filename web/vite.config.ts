import { defineConfig } from "vite";

// One bundle for every hosted page and the console. The server serves index.html itself (with the page's
// configuration injected) and the hashed assets under /ui/assets/, so the output goes straight into its wwwroot.
export default defineConfig({
  base: "/ui/",
  esbuild: { jsx: "automatic", jsxImportSource: "preact" },
  build: {
    outDir: "../src/BetterAuth.Server/wwwroot",
    emptyOutDir: true,
    target: "es2022",
    assetsInlineLimit: 0,
    reportCompressedSize: false,
  },
});
