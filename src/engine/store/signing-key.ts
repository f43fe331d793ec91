import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

/**
 * Where the private key that signs audit checkpoints lives. It must never be the database: whoever can
 * rewrite the database must not be able to re-sign it. The file store below is the default; the desktop
 * app may wrap the key with the OS keychain by implementing this interface.
 */
export interface SigningKeyStore {
  /** Where the key is kept, for messages (a path, or "OS keychain"). */
  readonly location: string;
  /** The private key, or null when none was created yet. */
  load(): KeyObject | null;
  /** Keeps a newly generated private key. */
  save(privateKey: KeyObject): void;
  /**
   * Keeps the newest signed checkpoint outside the database too (a witness), so that deleting the newest
   * checkpoints along with the events they signed is caught where the witness is. Optional.
   */
  saveWitness?(checkpointJson: string): void;
}

/** The witness file kept beside a key file. */
export function witnessFile(keyFile: string): string {
  return `${keyFile}.checkpoint.json`;
}

/** A PKCS#8 PEM file readable by its owner only (0600), in a folder of its own (0700). */
export class FileSigningKeyStore implements SigningKeyStore {
  constructor(readonly location: string) {}

  load(): KeyObject | null {
    if (!existsSync(this.location)) return null;
    return createPrivateKey(readFileSync(this.location, 'utf8'));
  }

  save(privateKey: KeyObject): void {
    mkdirSync(dirname(this.location), { recursive: true, mode: 0o700 });
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    // Written aside then renamed, so a crash never leaves half a key where the real one should be.
    const temp = `${this.location}.${process.pid}.tmp`;
    writeFileSync(temp, pem, { mode: 0o600, flag: 'wx' });
    chmodSync(temp, 0o600);
    renameSync(temp, this.location);
  }

  saveWitness(checkpointJson: string): void {
    const temp = `${witnessFile(this.location)}.${process.pid}.tmp`;
    writeFileSync(temp, checkpointJson, { mode: 0o600 });
    renameSync(temp, witnessFile(this.location));
  }
}

export interface SigningKeyLocation {
  /** `--signing-key FILE`: wins over everything else. */
  file?: string;
  env?: NodeJS.ProcessEnv;
}

/**
 * The key file for a database: `--signing-key`, else `$PINGDESK_SIGNING_KEY`, else
 * `<key dir>/<database id>.key` where the key dir is `$PINGDESK_KEY_DIR` or
 * `$XDG_CONFIG_HOME/pingdesk/keys` (`~/.config/pingdesk/keys`), outside the data folder.
 */
export function signingKeyFile(databaseId: string, where: SigningKeyLocation = {}): string {
  const env = where.env ?? process.env;
  if (where.file) return where.file;
  if (env.PINGDESK_SIGNING_KEY) return env.PINGDESK_SIGNING_KEY;
  const configHome = env.XDG_CONFIG_HOME || join(homedir(), '.config');
  const dir = env.PINGDESK_KEY_DIR || join(configHome, 'pingdesk', 'keys');
  return join(dir, `${databaseId}.key`);
}

export function generateSigningKey(): KeyObject {
  return generateKeyPairSync('ed25519').privateKey;
}

export function publicKeyPem(key: KeyObject): string {
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  return pub.export({ type: 'spki', format: 'pem' }) as string;
}

/** A key's id: the first 32 hex digits of the SHA-256 of its public key (SPKI DER). */
export function publicKeyId(key: KeyObject): string {
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  return createHash('sha256').update(pub.export({ type: 'spki', format: 'der' })).digest('hex').slice(0, 32);
}

/** Reads a PEM public key (or a private key, whose public half is taken). */
export function readPublicKeyPem(pem: string): KeyObject {
  const key = pem.includes('PRIVATE KEY') ? createPublicKey(createPrivateKey(pem)) : createPublicKey(pem);
  if (key.asymmetricKeyType !== 'ed25519') throw new TypeError(`expected an Ed25519 key, got ${key.asymmetricKeyType ?? 'unknown'}`);
  return key;
}
