import { describe, expect, it } from 'vitest';
import type { StartEnvironment } from '../../src/cli/start.js';
import { planStart } from '../../src/cli/start.js';

function env(over: Partial<StartEnvironment> = {}): StartEnvironment {
  return {
    argv: [],
    platform: 'linux',
    env: { DISPLAY: ':0' },
    uid: 1000,
    resolveElectron: () => '/opt/electron/electron',
    exists: () => true,
    ...over,
  };
}

describe('npm start: Electron or browser mode', () => {
  it('starts Electron when the binary exists and there is a display', () => {
    expect(planStart(env())).toEqual({ mode: 'electron', electronPath: '/opt/electron/electron' });
    expect(planStart(env({ env: { WAYLAND_DISPLAY: 'wayland-0' } }))).toMatchObject({ mode: 'electron' });
    expect(planStart(env({ platform: 'darwin', env: {}, uid: 0 }))).toMatchObject({ mode: 'electron' });
    expect(planStart(env({ platform: 'win32', env: {}, uid: null }))).toMatchObject({ mode: 'electron' });
  });

  it('falls back when require("electron") throws because the binary was never downloaded', () => {
    const plan = planStart(env({
      resolveElectron: () => {
        throw new Error('Electron failed to install correctly');
      },
    }));
    expect(plan).toEqual({ mode: 'browser', reason: 'Electron binary not installed' });
  });

  it('falls back when the resolved binary is missing on disk', () => {
    expect(planStart(env({ exists: () => false }))).toEqual({ mode: 'browser', reason: 'Electron binary not installed' });
  });

  it('falls back on Linux without a display or as root', () => {
    expect(planStart(env({ env: {} }))).toMatchObject({ mode: 'browser', reason: expect.stringContaining('No display') });
    expect(planStart(env({ uid: 0 }))).toMatchObject({ mode: 'browser', reason: expect.stringContaining('root') });
  });

  it('honours --browser', () => {
    expect(planStart(env({ argv: ['--data-dir', './data', '--browser'] }))).toEqual({ mode: 'browser', reason: 'Browser mode requested' });
  });
});
