/** Saving from the editor never loses what a user wrote: checks on open and on save. */
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openText, saveFile } from '../../src/ui/editor/launch.js';
import { BLANK } from '../../src/ui/editor/templates.js';

const dir = () => mkdtempSync(join(tmpdir(), 'deconflict-save-'));

describe('the editor and the file', () => {
  it('saves through a temporary file renamed over the old one, leaving nothing else behind', () => {
    const d = dir();
    const f = join(d, 's.yaml');
    saveFile(f, 'title: a\n', undefined, false);
    expect(readFileSync(f, 'utf8')).toBe('title: a\n');
    saveFile(f, 'title: b\n', 'title: a\n', false);
    expect(readFileSync(f, 'utf8')).toBe('title: b\n');
    expect(readdirSync(d)).toEqual(['s.yaml']);
  });

  it('refuses to overwrite a file changed, created or deleted by something else since it was read, unless asked again', () => {
    const d = dir();
    const f = join(d, 's.yaml');
    writeFileSync(f, 'title: theirs\n');
    expect(() => saveFile(f, 'title: mine\n', 'title: was\n', false)).toThrow(
      /was changed by something else since it was opened: not saved \(w again overwrites it\)/,
    );
    expect(readFileSync(f, 'utf8')).toBe('title: theirs\n');
    expect(() => saveFile(f, 'title: mine\n', undefined, false)).toThrow(/was created by something else/);
    saveFile(f, 'title: mine\n', 'title: was\n', true);
    expect(readFileSync(f, 'utf8')).toBe('title: mine\n');
  });

  it('opens a scenario as it is, a new file from a template, and refuses the rest', () => {
    const d = dir();
    expect(openText(join(d, 'new.yaml'))).toEqual({ text: BLANK, existed: false });
    expect(openText(join(d, 'new.yaml'), 'tanf').text).toBe(readFileSync('scenarios/tanf-2017-05-18.yaml', 'utf8'));
    expect(() => openText(join(d, 'new.yaml'), 'nope')).toThrow(/--template: 'nope' is not a template \(blank, tanf\)/);
    const s = join(d, 'mine.yaml');
    writeFileSync(s, '# mine\ntitle: x\n');
    expect(openText(s)).toEqual({ text: '# mine\ntitle: x\n', existed: true });
    expect(() => openText(s, 'blank')).toThrow(/exists: open it without --template/);
    const other = join(d, 'list.yaml');
    writeFileSync(other, '- a\n- b\n');
    expect(() => openText(other)).toThrow(/does not look like a scenario/);
    const bin = join(d, 'x.yaml');
    writeFileSync(bin, Buffer.from([0x74, 0, 0xff]));
    expect(() => openText(bin)).toThrow(/not a text file/);
    expect(existsSync(join(d, 'new.yaml'))).toBe(false);
  });
});
