/**
 * `deconflict edit [FILE]`: opens the editor on a scenario file, or on a new file from a
 * template. What a user wrote is never lost or overwritten without asking: a template never
 * replaces an existing file, a file that is not a scenario is not opened, a file changed on disk
 * since it was read is not overwritten unless saving is asked again, every save goes through a
 * temporary file renamed over the old one, and unsaved work is kept in a new file if the editor
 * is stopped by a signal or a fault.
 */
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, realpathSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { render } from 'ink';
import { isMap, parseDocument } from 'yaml';
import { UsageError } from '../../core/errors.js';
import { SCENARIOS_DIR } from '../../io/bundled.js';
import { forgetCi } from '../terminal/ci.js';
import { loadBorders } from '../map/borders.js';
import { installFaultHooks, TerminalGuard } from '../terminal.js';
import { colorWanted } from '../theme.js';
import { useEffect, useState, type ComponentProps } from 'react';
import { Editor } from './Editor.js';
import { BLANK, HOME, parseAt, TEMPLATES, type TemplateName } from './templates.js';

export interface EditOptions {
  template?: string;
  mouse?: boolean;
  at?: string;
}

/** The text a template starts from. */
export function templateText(name: TemplateName): string {
  return name === 'tanf' ? readFileSync(join(SCENARIOS_DIR, 'tanf-2017-05-18.yaml'), 'utf8') : BLANK;
}

/** The text to edit: the file's, or a template's for a new file; refuses what must not be edited. */
export function openText(file: string, template?: string): { text: string; existed: boolean } {
  if (template !== undefined && !(TEMPLATES as readonly string[]).includes(template))
    throw new UsageError(`--template: '${template}' is not a template (${TEMPLATES.join(', ')})`);
  if (existsSync(file)) {
    if (template !== undefined) throw new UsageError(`${file} exists: open it without --template (a template never replaces a file)`);
    const buf = readFileSync(file);
    const text = buf.toString('utf8');
    if (buf.includes(0) || text.includes('\uFFFD')) throw new UsageError(`${file} is not a text file: refusing to edit it`);
    let doc;
    try {
      doc = parseDocument(text);
    } catch {
      doc = undefined;
    }
    const keys = doc && isMap(doc.contents) ? doc.contents.items.map((p) => String((p.key as { value?: unknown })?.value)) : [];
    if (text.trim() !== '' && !['title', 'zones', 'units', 'start'].some((k) => keys.includes(k))) {
      throw new UsageError(`${file} does not look like a scenario (no title, start, zones or units): refusing to edit it`);
    }
    return { text, existed: true };
  }
  return { text: templateText((template as TemplateName | undefined) ?? 'blank'), existed: false };
}

/**
 * Save `text` to `file` through a temporary file in the same folder, renamed over it. `onDisk` is
 * what the file held when it was read or last saved (undefined: it did not exist); a file that
 * differs from it now is refused unless `force`.
 */
export function saveFile(file: string, text: string, onDisk: string | undefined, force: boolean): void {
  const target = existsSync(file) ? realpathSync(file) : resolve(file);
  if (!force) {
    const now = existsSync(target) ? readFileSync(target, 'utf8') : undefined;
    if (now !== onDisk)
      throw new Error(
        `${file} ${onDisk === undefined ? 'was created' : now === undefined ? 'was deleted' : 'was changed'} by something else since it was opened: not saved (w again overwrites it)`,
      );
  }
  const tmp = join(dirname(target), `.${basename(target)}.${process.pid}.tmp`);
  const fd = openSync(tmp, 'wx', 0o644);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    unlinkSync(tmp);
    throw e;
  }
  closeSync(fd);
  renameSync(tmp, target);
}

/** The first `new-scenario.yaml`, `new-scenario-2.yaml`, ... that does not exist. */
function freshName(): string {
  for (let n = 1; ; n++) {
    const f = n === 1 ? 'new-scenario.yaml' : `new-scenario-${n}.yaml`;
    if (!existsSync(f)) return f;
  }
}

/** The editor at the terminal's size, following it when it is resized. */
function Sized(props: Omit<ComponentProps<typeof Editor>, 'cols' | 'rows'>) {
  const [size, setSize] = useState({ cols: process.stdout.columns ?? 80, rows: process.stdout.rows ?? 24 });
  useEffect(() => {
    const onResize = () => setSize({ cols: process.stdout.columns ?? 80, rows: process.stdout.rows ?? 24 });
    process.stdout.on('resize', onResize);
    return () => {
      process.stdout.off('resize', onResize);
    };
  }, []);
  return <Editor {...props} cols={size.cols} rows={size.rows} />;
}

export async function launchEditor(fileArg: string | undefined, opts: EditOptions = {}): Promise<number> {
  const file = fileArg ?? freshName();
  const home = opts.at !== undefined ? parseAt(opts.at) : HOME;
  if (!home) throw new UsageError(`--at: '${opts.at}' is not LAT,LON in degrees (e.g. 33.5,38.6)`);
  const { text, existed } = openText(file, opts.template);
  if (!process.stdout.isTTY || !process.stdin.isTTY) throw new UsageError('edit needs a terminal (stdin and stdout)');
  forgetCi(process.env);
  let onDisk: string | undefined = existed ? text : undefined;
  let current = text;
  const guard = new TerminalGuard({ stdout: process.stdout, stdin: process.stdin }, { mouse: opts.mouse ?? true });
  let instance: ReturnType<typeof render> | undefined;
  const detach = installFaultHooks({
    guard,
    stderr: process.stderr,
    cleanup: () => {
      try {
        instance?.unmount();
      } catch {
        // Already unmounted.
      }
      guard.restore();
    },
    // Unsaved work is kept in a new file, never in place of the one being edited.
    beforeExit: () => {
      if (current === (onDisk ?? text)) return;
      const keep = `${file}.unsaved-${process.pid}.yaml`;
      try {
        const fd = openSync(keep, 'wx', 0o644);
        writeSync(fd, current);
        closeSync(fd);
        process.stderr.write(`deconflict: unsaved changes kept in ${keep}\n`);
      } catch {
        // Nowhere to keep them.
      }
    },
  });
  guard.enter();
  try {
    instance = render(
      <Sized
        file={file}
        text={text}
        color={colorWanted()}
        baseDir={dirname(resolve(file))}
        home={home}
        borders={loadBorders()}
        onState={(s) => (current = s.text)}
        save={(t, force) => {
          saveFile(file, t, onDisk, force);
          onDisk = t;
          return `saved ${file} (${Buffer.byteLength(t)} bytes)`;
        }}
      />,
      { exitOnCtrlC: false, patchConsole: false },
    );
    await instance.waitUntilExit();
    return 0;
  } finally {
    try {
      instance?.unmount();
    } catch {
      // Already unmounted.
    }
    guard.restore();
    detach();
  }
}
