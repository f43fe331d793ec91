import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Engines started by tests keep their audit signing keys here, not in the user's ~/.config.
    env: { PINGDESK_KEY_DIR: join(tmpdir(), 'pingdesk-test-keys') },
  },
});
