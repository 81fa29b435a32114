/**
 * CPU time of the calling thread alone (Linux: /proc/thread-self/stat, in clock ticks of 10 ms),
 * so that the benchmark can tell how the work of a split run is shared between its threads even
 * when other processes keep the cores busy. undefined where /proc is not there.
 */
import { readFileSync } from 'node:fs';

/** User + system CPU milliseconds of this thread so far, or undefined. */
export function threadCpuMs(): number | undefined {
  try {
    const stat = readFileSync('/proc/thread-self/stat', 'utf8');
    // Fields after the command name (which may hold spaces, in parentheses): state is the first; utime and stime the 12th and 13th.
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) * 10;
  } catch {
    return undefined;
  }
}
