import { randomBytes } from 'node:crypto';

/**
 * Ids that sort by creation time (base-36 ms, fixed width) with 64 random bits after, so keyset
 * paging by id follows arrival order and ids never collide across restarts.
 */
export function createIdFactory(prefix: string, now: () => number = Date.now): () => string {
  return () => `${prefix}${now().toString(36).padStart(9, '0')}${randomBytes(8).toString('hex')}`;
}
