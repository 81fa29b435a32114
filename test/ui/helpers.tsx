import { render } from 'ink-testing-library';
import { Engine } from '../../src/core/engine.js';
import { loadScenario } from '../../src/io/node/load.js';
import type { Scenario } from '../../src/core/model.js';
import { App } from '../../src/ui/app/App.js';
import { ReplaySession } from '../../src/ui/playback/replay.js';
import { FrameContext } from '../../src/ui/screen/context.js';
import type { UiState } from '../../src/ui/state.js';
import { plain } from '../../src/ui/text.js';

export const TANF = 'scenarios/tanf-2017-05-18.yaml';
export const EUPHRATES = 'scenarios/euphrates-2018-02-07.yaml';

export function session(file = TANF): ReplaySession {
  // Long seeks run synchronously so tests see their result at once.
  return new ReplaySession(new Engine(loadScenario(file)), { defer: (f) => f() });
}

export interface Ui {
  session: ReplaySession;
  frames: FrameContext;
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
export async function mount(
  o: { cols?: number; rows?: number; file?: string; scenario?: Scenario; color?: boolean; initial?: Partial<UiState> } = {},
): Promise<Ui> {
  const s = o.scenario ? new ReplaySession(new Engine(o.scenario), { defer: (f) => f() }) : session(o.file);
  const context = new FrameContext(s, o.color ?? false);
  const cols = o.cols ?? 100;
  const rows = o.rows ?? 30;
  const r = render(<App frames={context} cols={cols} rows={rows} initial={o.initial} />);
  const frames = () => r.frames.length;
  // Keys are heard once Ink's input hook has subscribed (a passive effect after the first render).
  for (let waited = 0; r.stdin.listenerCount('readable') === 0 && waited < 2000; waited += 5) await sleep(5);
  await settle(frames);
  const ui: Ui = {
    session: s,
    frames: context,
    frame: () => plain(r.lastFrame() ?? ''),
    lines: () => plain(r.lastFrame() ?? '').split('\n'),
    press: async (keys: string) => {
      r.stdin.write(keys);
      await settle(frames);
    },
    rerender: (c, h) => r.rerender(<App frames={context} cols={c} rows={h} initial={o.initial} />),
    unmount: () => r.unmount(),
  };
  return ui;
}
