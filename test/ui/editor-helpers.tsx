/** Mounting the editor with ink-testing-library at a terminal size, and pressing keys one event at a time. */
import { render } from 'ink-testing-library';
import { Editor } from '../../src/ui/editor/Editor.js';
import type { EditorState } from '../../src/ui/editor/state.js';
import { BLANK, HOME } from '../../src/ui/editor/templates.js';
import { plain } from '../../src/ui/text.js';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export const KEY = { enter: '\r', esc: '\x1b', tab: '\t', backspace: '\x7f', left: '\x1b[D', right: '\x1b[C', up: '\x1b[A', down: '\x1b[B' };

export interface EditorUi {
  state(): EditorState;
  frame(): string;
  saved: string[];
  /** Press keys, each as its own input event. */
  press(...keys: string[]): Promise<void>;
  /** A mouse click at a cell (0-based). */
  click(x: number, y: number): Promise<void>;
  unmount(): void;
}

export async function mountEditor(
  o: { text?: string; cols?: number; rows?: number; file?: string; save?: (t: string, force: boolean) => string } = {},
): Promise<EditorUi> {
  let state: EditorState | undefined;
  const saved: string[] = [];
  const save = o.save ?? ((t: string) => (saved.push(t), 'saved'));
  const r = render(
    <Editor file={o.file ?? 'new.yaml'} text={o.text ?? BLANK} cols={o.cols ?? 100} rows={o.rows ?? 30} home={HOME} save={save} onState={(s) => (state = s)} />,
  );
  for (let waited = 0; r.stdin.listenerCount('readable') === 0 && waited < 2000; waited += 5) await sleep(5);
  const ui: EditorUi = {
    state: () => {
      if (!state) throw new Error('no key pressed yet');
      return state;
    },
    frame: () => plain(r.lastFrame() ?? ''),
    saved,
    press: async (...keys) => {
      for (const k of keys) {
        r.stdin.write(k);
        await sleep(k === KEY.esc ? 30 : 3);
      }
      await sleep(20);
    },
    click: async (x, y) => {
      r.stdin.write(`\x1b[<0;${x + 1};${y + 1}M`);
      await sleep(20);
    },
    unmount: () => r.unmount(),
  };
  return ui;
}
