/** Mount the train UI with ink-testing-library (no pty), on the 18 May 2017 scenario unless told. */
import { render } from 'ink-testing-library';
import { loadScenario } from '../../src/io/node/load.js';
import type { TrainContext } from '../../src/training/context.js';
import { TrainApp, type Status } from '../../src/ui/training/app.js';
import { TrainSession } from '../../src/ui/training/session.js';
import { Trainer } from '../../src/training/trainer.js';
import { FrameContext } from '../../src/ui/screen/context.js';
import { plain } from '../../src/ui/text.js';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** `brief`: stay on the briefing (by default it is closed with enter, as a student would). */
export async function mount(cols = 110, rows = 34, file = 'scenarios/tanf-2017-05-18.yaml', brief = false) {
  const scenario = loadScenario(file);
  const trainer = new Trainer(scenario);
  const recorded: string[] = [];
  let done: Status | undefined;
  const ctx: TrainContext = {
    scenario,
    trainer,
    writer: undefined as never,
    record: (d, s) => recorded.push(`${d.n}:${d.choice}:${d.grade}:${d.justification ?? ''}:${s.what.slice(0, 20)}`),
    finish: () => {},
  };
  const session = new TrainSession(trainer, { defer: (f) => f() });
  const frames = new FrameContext(session, false);
  const r = render(<TrainApp ctx={ctx} session={session} frames={frames} cols={cols} rows={rows} onDone={(s) => (done = s)} autoplay={false} />);
  const frame = () => plain(r.lastFrame() ?? '');
  const settle = async () => {
    let n = r.frames.length;
    for (let quiet = 0, i = 0; quiet < 30 && i < 400; i++) {
      await sleep(5);
      quiet = r.frames.length === n ? quiet + 5 : 0;
      n = r.frames.length;
    }
  };
  await settle();
  if (scenario.briefing && !brief) {
    r.stdin.write('\r');
    await settle();
  }
  return {
    trainer,
    frames,
    session,
    recorded,
    frame,
    status: () => done,
    press: async (keys: string) => {
      r.stdin.write(keys);
      await settle();
    },
    /** Step the run (as the clock would) until a decision point. */
    runToDecision: async () => {
      trainer.run();
      session.stepForward();
      await settle();
    },
  };
}
