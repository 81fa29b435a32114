/**
 * The class server's host key: made once (Ed25519) and kept in the user's config folder, so the
 * students' `known_hosts` stays valid from one class to the next. The folder is
 * `$DECONFLICT_CONFIG_DIR`, else `$XDG_CONFIG_HOME/deconflict`, else `~/.config/deconflict`.
 */
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import ssh2, { type ParsedKey } from 'ssh2';

export const HOST_KEY_FILE = 'ssh_host_ed25519_key';

export function configDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.DECONFLICT_CONFIG_DIR) return env.DECONFLICT_CONFIG_DIR;
  const base = env.XDG_CONFIG_HOME || join(homedir(), '.config');
  return join(base, 'deconflict');
}

export interface HostKey {
  /** The private key (OpenSSH format). */
  key: string;
  /** `SHA256:…`, as `ssh` shows it on first connection. */
  fingerprint: string;
  path: string;
  /** Made just now (the first class on this machine). */
  made: boolean;
}

/** The SHA-256 fingerprint of a key, as OpenSSH prints it. */
export function fingerprintOf(key: string | Buffer): string {
  const parsed = ssh2.utils.parseKey(key);
  if (parsed instanceof Error) throw parsed;
  const k = (Array.isArray(parsed) ? parsed[0] : parsed) as ParsedKey;
  return `SHA256:${createHash('sha256').update(k.getPublicSSH()).digest('base64').replace(/=+$/, '')}`;
}

/** Read the host key, or make it (readable by the user only) when there is none. */
export function loadHostKey(dir = configDir()): HostKey {
  const path = join(dir, HOST_KEY_FILE);
  if (existsSync(path)) {
    const key = readFileSync(path, 'utf8');
    return { key, fingerprint: fingerprintOf(key), path, made: false };
  }
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  // ssh2 1.17 now and then (about 1 in 200) writes an Ed25519 key its own parser calls malformed:
  // make another until it reads back.
  let pair = ssh2.utils.generateKeyPairSync('ed25519');
  for (let i = 0; i < 20 && ssh2.utils.parseKey(pair.private) instanceof Error; i++) pair = ssh2.utils.generateKeyPairSync('ed25519');
  // Written whole, then renamed: a class started twice at once never reads half a key.
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, pair.private, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, path);
  writeFileSync(`${path}.pub`, `${pair.public}\n`, { mode: 0o644 });
  return { key: pair.private, fingerprint: fingerprintOf(pair.private), path, made: true };
}
