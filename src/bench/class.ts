/**
 * A class under load (`npm run bench -- --class`): the executable serves `deconflict class --json
 * --pace class` on loopback; `students` ssh2 clients join at once, wait for the first question
 * and all answer in the same instant. Measured: the time from the connection to the first screen
 * (join), from a student's answer key to its `answer` event on the trainer's side
 * (answer-to-console), the server's resident memory per seat, and whether every answer is in its
 * session file.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import ssh2 from 'ssh2';
import { BIN, type Spread } from './startup.js';

export interface ClassLoad {
  students: number;
  /** Connection to first screen, per student (ms). */
  join: Spread;
  /** All joined, from the first connection (ms). */
  allJoined: number;
  /** Answer key to the trainer's `answer` event (ms). */
  answer: Spread;
  /** Answers in the session files / answers sent. */
  recorded: number;
  /** Server RSS before anyone joined and with everyone seated (MiB), and the difference per seat (KiB). */
  rssBefore: number;
  rssSeated: number;
  perSeatKiB: number;
}

function spread(xs: number[]): Spread {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  return { median: mid, min: s[0], max: s[s.length - 1], runs: xs };
}

function rssMiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

export const CODE = 'bench-code';

export interface BenchStudent {
  ch: ssh2.ClientChannel;
  /** Connection to the first screen (ms). */
  ms: number;
  /** What the student's terminal received (the last 100–200 kB). */
  screen: () => string;
}

/** `students` ssh2 clients (s01, s02, …) log in at once and open a 100×30 terminal; resolves when every one has its first screen. */
export function joinStudents(port: number, students: number, clients: ssh2.Client[]): Promise<BenchStudent[]> {
  return Promise.all(
    Array.from(
      { length: students },
      (_, i) =>
        new Promise<BenchStudent>((resolve, reject) => {
          const c = new ssh2.Client();
          clients.push(c);
          const start = performance.now();
          c.on('error', reject);
          c.on('ready', () =>
            c.shell({ term: 'xterm-256color', cols: 100, rows: 30 }, (err, ch) => {
              if (err) return reject(err);
              let raw = '';
              let first = true;
              ch.on('data', (d: Buffer) => {
                raw += d.toString('utf8');
                if (raw.length > 200_000) raw = raw.slice(-100_000);
                if (first && raw.includes('deconflict class')) {
                  first = false;
                  resolve({ ch, ms: performance.now() - start, screen: () => raw });
                }
              });
            }),
          );
          c.connect({ host: '127.0.0.1', port, username: `s${String(i + 1).padStart(2, '0')}`, password: CODE, readyTimeout: 60_000 });
        }),
    ),
  );
}

export async function measureClass(students = 40, log: (s: string) => void = () => {}): Promise<ClassLoad> {
  const dir = mkdtempSync(join(tmpdir(), 'deconflict-class-bench-'));
  const proc = spawn(
    process.execPath,
    [
      BIN,
      'class',
      'tanf-2017-05-18',
      '--port',
      '0',
      '--json',
      '--pace',
      'class',
      '--seats',
      String(students),
      '--code',
      CODE,
      '--dir',
      join(dir, 'room'),
      '--speed',
      '120',
    ],
    {
      env: { ...process.env, DECONFLICT_CONFIG_DIR: join(dir, 'config') },
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  const clients: ssh2.Client[] = [];
  try {
    const events: { e: Record<string, unknown>; at: number }[] = [];
    const waiters = new Set<() => void>();
    createInterface({ input: proc.stdout }).on('line', (l) => {
      events.push({ e: JSON.parse(l), at: performance.now() });
      for (const w of waiters) w();
    });
    const waitFor = (f: (e: Record<string, unknown>) => boolean, n = 1, ms = 60_000) =>
      new Promise<void>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`class bench: timed out (events: ${events.map((x) => x.e.type).join(' ')})`)), ms);
        const check = () => {
          if (events.filter((x) => f(x.e)).length < n) return;
          clearTimeout(t);
          waiters.delete(check);
          resolve();
        };
        waiters.add(check);
        check();
      });
    await waitFor((e) => e.type === 'listening');
    const port = Number(events[0].e.port);
    await new Promise((r) => setTimeout(r, 300));
    const rssBefore = rssMiB(proc.pid!);
    log(`class: ${students} students joining…`);
    const t0 = performance.now();
    const channels = await joinStudents(port, students, clients);
    const allJoined = performance.now() - t0;
    const rssSeated = rssMiB(proc.pid!);
    await waitFor((e) => e.type === 'question');
    // Every screen shows the question before anyone answers.
    for (let i = 0; i < 200 && !channels.every((c) => c.screen().includes('Your response')); i++) await new Promise((r) => setTimeout(r, 25));
    log('class: all answer at once…');
    const sent: number[] = [];
    channels.forEach((c, i) => {
      sent[i] = performance.now();
      c.ch.write('1\r');
    });
    await waitFor((e) => e.type === 'answer', students);
    const latency = channels.map((_, i) => {
      const name = `s${String(i + 1).padStart(2, '0')}`;
      const ev = events.find((x) => x.e.type === 'answer' && x.e.name === name)!;
      return ev.at - sent[i];
    });
    const room = join(dir, 'room');
    const recorded = readdirSync(room)
      .filter((f) => f.endsWith('.ndjson'))
      .reduce(
        (n, f) =>
          n +
          readFileSync(join(room, f), 'utf8')
            .split('\n')
            .filter((l) => l.includes('"type":"decision"')).length,
        0,
      );
    return {
      students,
      join: spread(channels.map((c) => c.ms)),
      allJoined,
      answer: spread(latency),
      recorded,
      rssBefore,
      rssSeated,
      perSeatKiB: ((rssSeated - rssBefore) * 1024) / students,
    };
  } finally {
    for (const c of clients) c.end();
    proc.kill('SIGTERM');
    await new Promise((r) => proc.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  }
}

export function classLines(r: ClassLoad): string[] {
  const ms = (s: Spread) => `median ${s.median.toFixed(0)} ms [${s.min.toFixed(0)}–${s.max.toFixed(0)}]`;
  return [
    `class over SSH (deconflict class --json --pace class, loopback, ${r.students} ssh2 clients at once):`,
    `  join (connection to the first screen): ${ms(r.join)}; all ${r.students} seated in ${r.allJoined.toFixed(0)} ms`,
    `  answer to console (the key to the trainer's answer event, all ${r.students} answering in the same instant): ${ms(r.answer)}`,
    `  answers recorded in the session files: ${r.recorded} of ${r.students}`,
    `  memory: ${r.rssBefore.toFixed(0)} MiB before the class, ${r.rssSeated.toFixed(0)} MiB with ${r.students} seated: ${r.perSeatKiB.toFixed(0)} KiB a seat`,
  ];
}
