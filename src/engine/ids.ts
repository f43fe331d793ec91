import { randomBytes } from 'node:crypto';

/** Random bytes drawn from the CSPRNG a few thousand at a time: one call per 512 ids, not one per id. */
const POOL_BYTES = 8 * 512;
let pool = Buffer.alloc(0);
let offset = 0;

function random64Hex(): string {
  if (offset + 8 > pool.length) {
    pool = randomBytes(POOL_BYTES);
    offset = 0;
  }
  const hex = pool.toString('hex', offset, offset + 8);
  offset += 8;
  return hex;
}

/**
 * Ids that sort by creation time (base-36 ms, fixed width) with 64 random bits after, so keyset
 * paging by id follows arrival order and ids never collide across restarts.
 */
export function createIdFactory(prefix: string, now: () => number = Date.now): () => string {
  return () => `${prefix}${now().toString(36).padStart(9, '0')}${random64Hex()}`;
}
