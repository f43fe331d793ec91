import { randomBytes } from 'node:crypto';

/** Random bytes drawn from the CSPRNG a few thousand at a time: one call per 512 ids (or 128 lead keys), not one each. */
const POOL_BYTES = 8 * 512;
let pool = Buffer.alloc(0);
let offset = 0;

/** The pool's next `size` bytes (never handed out twice), refilled from the CSPRNG when short. */
function take(size: number): number {
  if (offset + size > pool.length) {
    pool = randomBytes(POOL_BYTES);
    offset = 0;
  }
  const at = offset;
  offset += size;
  return at;
}

function random64Hex(): string {
  const at = take(8);
  return pool.toString('hex', at, at + 8);
}

/** A fresh secret of `size` bytes (at most 64) from the same pool: a lead's key costs a copy, not a CSPRNG call. */
export function randomSecret(size: number): Buffer {
  if (size > 64) return randomBytes(size);
  const at = take(size);
  const secret = Buffer.allocUnsafe(size);
  pool.copy(secret, 0, at, at + size);
  // The pool keeps no copy of a secret once it is handed out.
  pool.fill(0, at, at + size);
  return secret;
}

/**
 * Ids that sort by creation time (base-36 ms, fixed width) with 64 random bits after, so keyset
 * paging by id follows arrival order and ids never collide across restarts.
 */
export function createIdFactory(prefix: string, now: () => number = Date.now): () => string {
  return () => `${prefix}${now().toString(36).padStart(9, '0')}${random64Hex()}`;
}
