import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY_META } from '../../src/shared/csp.js';

const ROOT = path.resolve(__dirname, '..', '..');
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');

interface BuilderConfig {
  appId: string;
  productName: string;
  directories: { output: string; buildResources: string };
  files: string[];
  asarUnpack: string[];
  npmRebuild: boolean;
  icon: string;
  linux: { target: string[]; icon: string; maintainer: string };
  mac: { target: string[]; icon: string };
  win: { target: string[]; icon: string };
}

function pngSize(file: string): { width: number; height: number } {
  const buf = fs.readFileSync(path.join(ROOT, file));
  expect(buf.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  expect(buf.subarray(12, 16).toString('ascii')).toBe('IHDR');
  return { width: buf.readUInt32BE(16), height: buf.readUInt32BE(20) };
}

describe('packaging configuration', () => {
  const config = JSON.parse(read('electron-builder.json')) as BuilderConfig;

  it('names the app and targets Linux, macOS and Windows', () => {
    expect(config.appId).toBe('com.pingdesk.console');
    expect(config.productName).toBe('Pingdesk');
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.linux.maintainer).toMatch(/<.+@.+>/); // deb packages refuse to build without one
    expect(config.mac.target).toEqual(['dmg']);
    expect(config.win.target).toEqual(['nsis']);
  });

  it('uses only keys electron-builder knows', () => {
    const schemaFile = path.join(ROOT, 'node_modules', 'app-builder-lib', 'scheme.json');
    const schema = JSON.parse(fs.readFileSync(schemaFile, 'utf8')) as { properties: Record<string, unknown> };
    for (const key of Object.keys(config)) expect(schema.properties, key).toHaveProperty([key]);
  });

  it('rebuilds and unpacks the better-sqlite3 native module', () => {
    expect(config.npmRebuild).toBe(true);
    expect(config.asarUnpack).toContain('**/node_modules/better-sqlite3/**/*');
    expect(config.asarUnpack).toContain('**/*.node');
  });

  it('packs the electron-vite output that package.json starts', () => {
    const pkg = JSON.parse(read('package.json')) as { main: string };
    expect(pkg.main).toBe('out/main/index.js');
    expect(config.files).toContain('out/**/*');
    expect(config.files).toContain('package.json');
  });

  it('names files that exist, with a 512×512 PNG icon', () => {
    expect(fs.statSync(path.join(ROOT, config.directories.buildResources)).isDirectory()).toBe(true);
    for (const icon of new Set([config.icon, config.linux.icon, config.mac.icon, config.win.icon])) {
      expect(fs.existsSync(path.join(ROOT, icon)), icon).toBe(true);
      expect(pngSize(icon)).toEqual({ width: 512, height: 512 });
    }
    expect(fs.existsSync(path.join(ROOT, 'resources', 'make-icon.ts'))).toBe(true);
  });
});

describe('renderer build', () => {
  it('writes the shared CSP into index.html, replacing whatever the source carries', async () => {
    const { default: config } = (await import('../../electron.vite.config.js')) as {
      default: { renderer: { base: string; plugins: Array<{ name?: string; transformIndexHtml?: { handler: (html: string) => string } }> } };
    };
    expect(config.renderer.base).toBe('./');
    const plugin = config.renderer.plugins.flat().find((p) => p?.name === 'pingdesk-console-csp');
    expect(plugin).toBeDefined();
    const transform = plugin!.transformIndexHtml!.handler;
    const expected = `<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY_META}" />`;
    expect(transform('<html><head><meta http-equiv="Content-Security-Policy" content="default-src *"></head></html>')).toBe(`<html><head>${expected}</head></html>`);
    expect(transform('<html><head><title>x</title></head></html>')).toContain(expected);
    expect(transform(read('src/renderer/index.html'))).toContain(expected);
  });
});
