import { EventEmitter } from 'node:events';
import { describe, expect, test } from 'vitest';
import { ScreenStream } from '../../src/ui/screen.js';
import { ENTER_ALT, LEAVE_ALT, TerminalGuard } from '../../src/ui/terminal.js';

class FakeTty extends EventEmitter {
  columns = 10;
  rows = 5;
  isTTY = true;
  out: string[] = [];
  write(s: string): boolean {
    this.out.push(s);
    return true;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('screen writer', () => {
  test('rewrites only the rows that changed, at absolute positions, in one synchronized block', () => {
    const tty = new FakeTty();
    const s = new ScreenStream(tty as unknown as NodeJS.WriteStream, 1000);
    s.draw(['aaaaaaaaaa', 'b', 'c']);
    expect(tty.out).toHaveLength(1);
    expect(tty.out[0]).toBe('\x1b[?2026h\x1b[1;1Haaaaaaaaaa\x1b[0m\x1b[2;1Hb\x1b[0m\x1b[K\x1b[3;1Hc\x1b[0m\x1b[K\x1b[?2026l');
    s.flush();
    tty.out.length = 0;
    s.draw(['aaaaaaaaaa', 'B', 'c']);
    s.flush();
    // Full-width rows are not followed by an erase (it would remove their last cell).
    expect(tty.out).toEqual(['\x1b[?2026h\x1b[2;1HB\x1b[0m\x1b[K\x1b[?2026l']);
    tty.out.length = 0;
    s.draw(['aaaaaaaaaa', 'B', 'c']);
    s.flush();
    expect(tty.out).toEqual([]);
    expect(s.stats.frames).toBe(2);
    s.close();
  });

  test('caps the frame rate: frames in between are dropped, the last one is drawn', async () => {
    const tty = new FakeTty();
    const s = new ScreenStream(tty as unknown as NodeJS.WriteStream, 20);
    s.draw(['1']);
    s.draw(['2']);
    s.draw(['3']);
    expect(tty.out).toHaveLength(1);
    await sleep(80);
    expect(tty.out).toHaveLength(2);
    expect(tty.out[1]).toContain('3');
    expect(tty.out.join('')).not.toContain('H2\x1b');
    s.close();
  });

  test('clears and redraws everything after a resize; ignores Ink when drawing itself', () => {
    const tty = new FakeTty();
    const s = new ScreenStream(tty as unknown as NodeJS.WriteStream, 1000);
    let heard = 0;
    s.on('resize', () => heard++);
    s.draw(['x']);
    tty.emit('resize');
    expect(heard).toBe(1);
    s.draw(['x']);
    s.flush();
    expect(tty.out.at(-1)).toContain('\x1b[H\x1b[2J');
    expect(tty.out.at(-1)).toContain('\x1b[1;1Hx');
    s.external = true;
    const n = tty.out.length;
    s.write('from ink\n');
    expect(tty.out).toHaveLength(n);
    s.close();
  });
});

describe('terminal guard', () => {
  test('enters the alternate screen once and restores the terminal exactly once', () => {
    const tty = new FakeTty();
    let raw: boolean | undefined;
    const stdin = { isTTY: true, setRawMode: (b: boolean) => (raw = b) } as unknown as NodeJS.ReadStream;
    const g = new TerminalGuard({ stdout: tty as unknown as NodeJS.WriteStream, stdin });
    g.enter();
    g.enter();
    expect(tty.out).toEqual([ENTER_ALT]);
    expect(ENTER_ALT).toContain('\x1b[?1049h');
    expect(ENTER_ALT).toContain('\x1b[?25l');
    g.restore();
    g.restore();
    expect(tty.out).toEqual([ENTER_ALT, LEAVE_ALT]);
    expect(LEAVE_ALT).toContain('\x1b[?1049l');
    expect(LEAVE_ALT).toContain('\x1b[?25h');
    expect(raw).toBe(false);
  });
});
