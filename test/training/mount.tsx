/** Mount the train UI with ink-testing-library (no pty), on the 18 May 2017 scenario unless told. */
import { render } from 'ink-testing-library';
import { loadScenario } from '../../src/io/node/load.js';
import { branchLine, branchTrainer } from '../../src/training/branch.js';
import type { TrainContext } from '../../src/training/context.js';
import { TrainScreen, type Status } from '../../src/ui/training/app.js';
import type { TrainSession } from '../../src/ui/training/session.js';
import { Trainer } from '../../src/training/trainer.js';
import type { FrameContext } from '../../src/ui/screen/context.js';
import { plain } from '../../src/ui/text.js';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * `brief`: stay on the briefing (by default it is closed with enter, as a student would).
 * `branch`: offer `b` (going back to a decision), as `train` does; the branch records go to `recorded`.
 */
export async function mount(cols = 110, rows = 34, file = 'scenarios/tanf-2017-05-18.yaml', brief = false, branch = false) {
  const scenario = loadScenario(file);
  const recorded: string[] = [];
  let done: Status | undefined;
  let next = 1;
  const ctx: TrainContext = {
    scenario,
    trainer: new Trainer(scenario),
    writer: undefined as never,
    record: (d, s) => recorded.push(`${ctx.line ? `b${ctx.line}:` : ''}${d.n}:${d.choice}:${d.grade}:${d.justification ?? ''}:${s.what.slice(0, 20)}`),
    finish: () => {},
    line: 0,
  };
  if (branch) {
    ctx.branch = (n) => {
      const t = branchTrainer(ctx.trainer, n);
      const b = branchLine(t, next, ctx.line ?? 0, n);
      recorded.push(`branch ${b.branch} from ${b.parent} at ${b.at} ${b.t}`);
      ctx.before = ctx.trainer.decisions[n - 1];
      ctx.trainer = t;
      ctx.line = next++;
    };
  }
  let session!: TrainSession;
  let frames!: FrameContext;
  const r = render(
    <TrainScreen
      ctx={ctx}
      color={false}
      defer={(f) => f()}
      onSession={(s, f) => {
        session = s;
        frames = f;
      }}
      cols={cols}
      rows={rows}
      onDone={(s) => (done = s)}
      autoplay={false}
    />,
  );
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
    ctx,
    /** The trainer, session and frames on screen (a branch makes new ones). */
    get trainer() {
      return ctx.trainer;
    },
    get frames() {
      return frames;
    },
    get session() {
      return session;
    },
    recorded,
    frame,
    status: () => done,
    press: async (keys: string) => {
      r.stdin.write(keys);
      await settle();
    },
    /** Step the run (as the clock would) until a decision point. */
    runToDecision: async () => {
      ctx.trainer.run();
      session.stepForward();
      await settle();
    },
  };
}
