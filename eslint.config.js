import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const nodeBuiltins = ['node:*', 'fs', 'path', 'http', 'https', 'net', 'child_process', 'os', 'crypto', 'stream', 'worker_threads'];

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'data/**', 'docs/**', 'test-results/**', 'playwright-report/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    // The engine is plain Node: never the UI, never Electron.
    files: ['src/engine/**/*.ts', 'src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['electron', 'electron/*', 'react', 'react-dom', 'react/*', 'react-dom/*', 'zustand', 'zustand/*'], message: 'src/engine and src/shared run in plain Node: no electron or react.' },
          { group: ['**/main/**', '**/renderer/**', '**/preload/**'], message: 'src/engine may import only src/shared and its own modules.' },
        ],
      }],
    },
  },
  {
    files: ['src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['**/engine/**', '**/main/**', '**/renderer/**', '**/preload/**', 'electron', 'react', 'better-sqlite3', 'undici', 'fastify'], message: 'src/shared is the contract: types and schemas only.' },
        ],
      }],
    },
  },
  {
    // The renderer reaches the engine only through the ConsoleApi contract.
    files: ['src/renderer/**/*.ts', 'src/renderer/**/*.tsx'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['**/engine/**', '**/main/**', 'better-sqlite3', 'undici', 'fastify', 'electron', ...nodeBuiltins], message: 'The renderer talks to the engine only through src/shared contract clients.' },
        ],
      }],
    },
  },
);
