/**
 * The engine's import point for the workspace schema. The schema itself lives in
 * `src/shared/workspace-schema.ts`, so the console contract types the save methods with it.
 */
export * from '../../shared/workspace-schema.js';
