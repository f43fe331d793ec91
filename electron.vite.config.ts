import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';
import { CONTENT_SECURITY_POLICY_META } from './src/shared/csp.js';

const CSP_META = /<meta\s+http-equiv=["']Content-Security-Policy["'][^>]*>/i;

/**
 * Writes the shared CSP (src/shared/csp.ts) into the built index.html, replacing any policy the
 * source file carries, so the page, the Electron session and browser mode cannot drift apart.
 */
function consoleCspMeta(): Plugin {
  return {
    name: 'pingdesk-console-csp',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(html) {
        const tag = `<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY_META}" />`;
        return CSP_META.test(html) ? html.replace(CSP_META, tag) : html.replace(/<head([^>]*)>/i, `<head$1>\n    ${tag}`);
      },
    },
  };
}

export default defineConfig({
  main: {
    build: {
      // Dependencies stay in node_modules (packaged by electron-builder); better-sqlite3 is a
      // native addon and must never be bundled.
      externalizeDeps: true,
      rolldownOptions: {
        input: { index: resolve(__dirname, 'src/main/index.ts') },
        external: ['better-sqlite3'],
      },
    },
  },
  preload: {
    build: {
      // A sandboxed preload cannot require from node_modules and cannot be an ES module:
      // everything it needs is bundled into one CommonJS file.
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: resolve(__dirname, 'src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src/renderer'),
    base: './',
    plugins: [react(), consoleCspMeta()],
    build: {
      minify: true,
      // Recharts makes the reports chunk large; it loads only when Reports opens.
      chunkSizeWarningLimit: 1500,
      rolldownOptions: { input: resolve(__dirname, 'src/renderer/index.html') },
    },
  },
});
