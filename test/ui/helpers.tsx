import { render } from 'ink-testing-library';
import { Engine } from '../../src/core/engine.js';
import { loadScenario } from '../../src/io/node/load.js';
import type { Scenario } from '../../src/core/model.js';
import { App } from '../../src/ui/App.js';
import { FrameBuilder } from '../../src/ui/frame.js';
import { Session } from '../../src/ui/session.js';
import type { UiState } from '../../src/ui/state.js';
import { plain } from '../../src/ui/text.js';

export const TANF = 'scenarios/tanf-2017-05-18.yaml';
export const EUPHRATES = 'scenarios/euphrates-2018-02-07.yaml';

export function session(file = TANF): Session {
  // Long seeks run synchronously so tests see their result at once.
  return new Session(new Engine(loadScenario(file)), { defer: (f) => f() });
}

export interface Ui {
  session: Session;
  builder: FrameBuilder;
  frame(): string;
  lines(): string[];
  press(keys: string): Promise<void>;
  rerender(cols: number, rows: number): void;
  unmount(): void;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Wait until no new frame has come for a while (renders follow keys and session changes). */
async function settle(frames: () => number): Promise<void> {
  let n = frames();
  const start = Date.now();
  let since = Date.now();
  while (Date.now() - start < 1000 && Date.now() - since < 25) {
    await sleep(5);
    const m = frames();
    if (m !== n) since = Date.now();
    n = m;
  }
}

/** Render the App at a terminal size with ink-testing-library. */
export async function mount(o: { cols?: number; rows?: number; file?: string; scenario?: Scenario; color?: boolean; initial?: Partial<UiState> } = {}): Promise<Ui> {
  const s = o.scenario ? new Session(new Engine(o.scenario), { defer: (f) => f() }) : session(o.file);
  const builder = new FrameBuilder(s, o.color ?? false);
  const cols = o.cols ?? 100;
  const rows = o.rows ?? 30;
  const r = render(<App builder={builder} cols={cols} rows={rows} initial={o.initial} />);
  const frames = () => r.frames.length;
  // Keys are heard once Ink's input hook has subscribed (a passive effect after the first render).
  for (let waited = 0; r.stdin.listenerCount('readable') === 0 && waited < 2000; waited += 5) await sleep(5);
  await settle(frames);
  const ui: Ui = {
    session: s,
    builder,
    frame: () => plain(r.lastFrame() ?? ''),
    lines: () => plain(r.lastFrame() ?? '').split('\n'),
    press: async (keys: string) => {
      r.stdin.write(keys);
      await settle(frames);
    },
    rerender: (c, h) => r.rerender(<App builder={builder} cols={c} rows={h} initial={o.initial} />),
    unmount: () => r.unmount(),
  };
  return ui;
}
