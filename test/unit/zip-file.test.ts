import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readZip, writeZip, ZipFormatError } from '../../src/engine/evidence/zip-file.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pingdesk-zip-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const entries = [
  { name: 'manifest.json', data: Buffer.from('{"a":1}\n') },
  { name: 'index.html', data: Buffer.from('<p>Überprüfung — ✓</p>\n'.repeat(200)) },
  { name: 'empty.txt', data: Buffer.alloc(0) },
];

describe('the evidence ZIP writer and reader', () => {
  it('reads back what it wrote, byte for byte, and the system unzip agrees', () => {
    const zip = writeZip(entries, new Date(Date.UTC(2026, 10, 28, 4, 30, 10)));
    const back = readZip(zip);
    expect([...back.keys()]).toEqual(entries.map((e) => e.name));
    for (const e of entries) expect(back.get(e.name)?.equals(e.data)).toBe(true);
    const file = path.join(tmp, 'round.zip');
    fs.writeFileSync(file, zip);
    const listed = spawnSync('unzip', ['-p', file, 'index.html']);
    expect(listed.status).toBe(0);
    expect(listed.stdout.equals(entries[1].data)).toBe(true);
  });

  it('reads an archive made by the zip tool (stored and deflated entries, a folder entry)', () => {
    const src = path.join(tmp, 'src');
    fs.mkdirSync(path.join(src, 'sub'), { recursive: true });
    fs.writeFileSync(path.join(src, 'a.json'), '{"x":"y"}');
    fs.writeFileSync(path.join(src, 'sub', 'big.txt'), 'evidence '.repeat(1000));
    const file = path.join(tmp, 'tool.zip');
    expect(spawnSync('zip', ['-qr', file, '.'], { cwd: src }).status).toBe(0);
    const back = readZip(fs.readFileSync(file));
    expect(back.get('a.json')?.toString()).toBe('{"x":"y"}');
    expect(back.get('sub/big.txt')?.toString()).toBe('evidence '.repeat(1000));
  });

  it('refuses a flipped byte, a truncated file, a duplicate and an unsafe name', () => {
    const zip = writeZip([{ name: 'a.txt', data: Buffer.from('stored text that is short') }]);
    const flipped = Buffer.from(zip);
    flipped[35] ^= 0x20;
    expect(() => readZip(flipped)).toThrow(ZipFormatError);
    expect(() => readZip(zip.subarray(0, zip.length - 30))).toThrow(ZipFormatError);
    expect(() => writeZip([entries[0], entries[0]])).toThrow(/duplicate/);
    expect(() => readZip(writeZip([{ name: '../escape.txt', data: Buffer.from('x') }]))).toThrow(/unsafe entry name/);
    expect(() => readZip(Buffer.from('not a zip'))).toThrow(/not a ZIP file/);
  });
});
