import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalEvent, GENESIS_HASH, hashEvent } from '../../src/engine/store/audit-chain.js';
import { hashContact } from '../../src/engine/store/contact-hash.js';

// Chains and fingerprints already stored were made with a Hash object fed part by part: the one-shot
// digests must be the same bytes, or every existing trail would fail verification.
const TEXTS = ['', 'plain', 'Ünïcödé — “quotes” 😀', '{"a":1}', 'x'.repeat(5000)];

describe('one-shot hashes', () => {
  it('chain an audit event exactly as sha256 over the previous hash, then the canonical text', () => {
    for (const text of TEXTS) {
      const canonical = canonicalEvent(7, 'ld_1', 1_764_000_000_000, 'note', 'operator:ana', JSON.stringify({ text }));
      for (const prev of [GENESIS_HASH, 'ab'.repeat(32)]) {
        expect(hashEvent(prev, canonical)).toBe(createHash('sha256').update(prev).update(canonical).digest('hex'));
      }
    }
  });

  it('fingerprint a contact exactly as sha256 over the salt, then the trimmed lower-cased value', () => {
    for (const text of TEXTS) {
      const salt = 'salt-Ω-1';
      expect(hashContact(salt, ` ${text.toUpperCase()} `)).toBe(createHash('sha256').update(salt).update(text.toUpperCase().trim().toLowerCase()).digest('hex'));
    }
  });
});
