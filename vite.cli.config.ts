import { resolve } from 'node:path';
import { defineConfig } from 'vite';

/**
 * The `pingdesk` command line, compiled like the desktop build: `out/cli/index.js` (every command)
 * and `out/cli/start.js` (`npm start`). Dependencies stay in node_modules (better-sqlite3 is a native
 * addon); chunks sit beside the entries, because the CLI finds the repository root two folders up
 * from its own file (`out/cli/` as `src/cli/`).
 */
export default defineConfig({
  build: {
    ssr: true,
    target: 'node20',
    outDir: 'out/cli',
    emptyOutDir: true,
    minify: false,
    sourcemap: false,
    rolldownOptions: {
      input: { index: resolve(import.meta.dirname, 'src/cli/index.ts'), start: resolve(import.meta.dirname, 'src/cli/start.ts') },
      output: { format: 'esm', entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js' },
    },
  },
});
