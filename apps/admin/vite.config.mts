// The admin page is a static bundle the api serves under /admin (no second server). `base` makes
// every asset URL absolute under /admin/, so deep links like /admin/webhooks/123/edit load it too.
import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/admin/',
  build: {
    outDir: fileURLToPath(new URL('../../dist/admin', import.meta.url)),
    emptyOutDir: true,
    // Source maps show the page's sources to anyone who loads it: only when asked for
    // (ADMIN_SOURCE_MAPS=true npm run build:admin, e.g. to debug a production build).
    sourcemap: process.env.ADMIN_SOURCE_MAPS === 'true',
    rollupOptions: {
      // react-router marks modules "use client" for server frameworks; a plain bundle ignores it.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
  server: {
    // `npm run dev:admin` for working on the page: the api runs on :3000 as usual.
    proxy: { '/api': 'http://127.0.0.1:3000' },
  },
});
