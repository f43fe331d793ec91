/**
 * Draws the Pingdesk app icon (resources/icon.png, 512×512 RGBA): a blue rounded square with a
 * white "ping" glyph, a dot with two arcs sent out on either side: (( • )). Pure Node (zlib), so the icon
 * can be regenerated anywhere: `npx tsx resources/make-icon.ts`. electron-builder derives the
 * macOS .icns and Windows .ico from this PNG.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const SIZE = 512;
const SAMPLES = 4; // 4×4 supersampling per pixel for smooth edges
const TOP = [37, 99, 235]; // #2563eb
const BOTTOM = [30, 58, 138]; // #1e3a8a
const CENTER = { x: 256, y: 256 };
const DOT_RADIUS = 42;
const ARC_RADII = [104, 168];
const ARC_HALF_WIDTH = 17;
/** Each arc spans this angle above and below the horizontal. */
const ARC_SPAN = (50 * Math.PI) / 180;

function inRoundedSquare(x: number, y: number): boolean {
  const min = 32;
  const max = SIZE - 32;
  const r = 104;
  if (x < min || x > max || y < min || y > max) return false;
  const cx = Math.min(Math.max(x, min + r), max - r);
  const cy = Math.min(Math.max(y, min + r), max - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
}

function inGlyph(x: number, y: number): boolean {
  const dx = x - CENTER.x;
  const dy = y - CENTER.y;
  const d = Math.hypot(dx, dy);
  if (d <= DOT_RADIUS) return true;
  const angle = Math.atan2(Math.abs(dy), Math.abs(dx)); // 0 on the horizontal, mirrored into one quadrant
  for (const r of ARC_RADII) {
    if (angle <= ARC_SPAN && Math.abs(d - r) <= ARC_HALF_WIDTH) return true;
    // Round caps at the arc ends.
    const capX = r * Math.cos(ARC_SPAN);
    const capY = r * Math.sin(ARC_SPAN);
    if (Math.hypot(Math.abs(dx) - capX, Math.abs(dy) - capY) <= ARC_HALF_WIDTH) return true;
  }
  return false;
}

function render(): Buffer {
  const rowBytes = SIZE * 4 + 1;
  const raw = Buffer.alloc(rowBytes * SIZE);
  for (let py = 0; py < SIZE; py++) {
    raw[py * rowBytes] = 0; // filter: none
    const t = py / (SIZE - 1);
    const bg = TOP.map((c, i) => c + (BOTTOM[i] - c) * t);
    for (let px = 0; px < SIZE; px++) {
      let square = 0;
      let glyph = 0;
      for (let sy = 0; sy < SAMPLES; sy++) {
        for (let sx = 0; sx < SAMPLES; sx++) {
          const x = px + (sx + 0.5) / SAMPLES;
          const y = py + (sy + 0.5) / SAMPLES;
          if (!inRoundedSquare(x, y)) continue;
          square += 1;
          if (inGlyph(x, y)) glyph += 1;
        }
      }
      const o = py * rowBytes + 1 + px * 4;
      const g = square === 0 ? 0 : glyph / square;
      for (let i = 0; i < 3; i++) raw[o + i] = Math.round(bg[i] * (1 - g) + 255 * g);
      raw[o + 3] = Math.round((255 * square) / (SAMPLES * SAMPLES));
    }
  }
  return raw;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

export function encodeIconPng(): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(SIZE, 0);
  header.writeUInt32BE(SIZE, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // colour type: RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(render(), { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const out = path.join(path.dirname(fileURLToPath(import.meta.url)), 'icon.png');
writeFileSync(out, encodeIconPng());
process.stdout.write(`wrote ${out}\n`);
