/**
 * Writing a whole file, and saying why a write failed, for every command that writes one
 * (`report -o`, `run --export-out`, `import -o`, the export of a live run).
 *
 * A file the docs promise whole is never left half-written: the text goes to a temporary file
 * beside the target, is flushed to the disk, and only then takes the target's name (a rename, or
 * a hard link when the target must not be overwritten, which fails if the target appeared
 * meanwhile). On a full disk or any other failure the temporary file is removed and the target
 * is as it was. A target that exists and is not a regular file (a named pipe, /dev/stdout) is
 * written directly: it cannot be replaced.
 */
import { closeSync, fsyncSync, linkSync, openSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

const WORDS: Record<string, string> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'the disk quota is used up',
  EFBIG: 'the file would be larger than allowed',
  EROFS: 'the file system is read-only',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'it is a folder',
  ENOENT: 'no such folder',
  ENOTDIR: 'a part of the path is not a folder',
  EEXIST: 'it exists; pass --force to overwrite it',
  EPIPE: 'the reader has gone',
  EIO: 'input/output error',
};

/** Why a write failed, in words (`no space left on the device`), else its code. */
export function writeProblem(e: unknown): string {
  const code = (e as NodeJS.ErrnoException)?.code;
  if (code && WORDS[code]) return WORDS[code];
  return code ?? (e as Error)?.message ?? String(e);
}

/** Write all of `bytes` to `fd`, however many calls it takes. */
export function writeAll(fd: number, bytes: Uint8Array): void {
  for (let off = 0; off < bytes.length;) off += writeSync(fd, bytes, off, bytes.length - off);
}

function kind(path: string): 'none' | 'file' | 'folder' | 'other' {
  try {
    const st = statSync(path);
    return st.isFile() ? 'file' : st.isDirectory() ? 'folder' : 'other';
  } catch {
    return 'none';
  }
}

/**
 * Whether `path` can be written (before the work that makes its text): a problem in words, or
 * undefined. A folder is refused whatever `force` says.
 */
export function checkTarget(path: string, force: boolean): string | undefined {
  const k = kind(path);
  if (k === 'folder') return `cannot write ${path} (it is a folder)`;
  if (k === 'file' && !force) return `${path} exists; pass --force to overwrite it`;
  return undefined;
}

/**
 * Write `text` as the whole of `path` (see above); without `force` an existing file is left
 * alone. Returns a problem in words (`cannot write PATH (…)`), or undefined when written.
 */
export function writeWhole(path: string, text: string | Uint8Array, force: boolean): string | undefined {
  const problem = checkTarget(path, force);
  if (problem) return problem;
  const bytes = typeof text === 'string' ? Buffer.from(text) : text;
  if (kind(path) === 'other') {
    // A device or named pipe: it cannot be replaced, only written to.
    let fd: number | undefined;
    try {
      fd = openSync(path, 'w');
      writeAll(fd, bytes);
      return undefined;
    } catch (e) {
      return `cannot write ${path} (${writeProblem(e)})`;
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  }
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${Math.random().toString(36).slice(2, 8)}.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(tmp, 'wx');
    writeAll(fd, bytes);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    if (force) renameSync(tmp, path);
    else {
      // A link fails if the target appeared since the check: an existing file is never replaced.
      linkSync(tmp, path);
      unlinkSync(tmp);
    }
    return undefined;
  } catch (e) {
    if (fd !== undefined) {
      try {
        closeSync(fd);
      } catch {
        // Closing after a failed write: the file is removed next anyway.
      }
    }
    try {
      unlinkSync(tmp);
    } catch {
      // Never created, or already renamed.
    }
    return `cannot write ${path} (${writeProblem(e)})`;
  }
}
