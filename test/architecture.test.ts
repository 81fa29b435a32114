/**
 * The layers of src/, read from the import graph itself (static imports, `export … from` and
 * dynamic `import()` alike):
 *
 *   core ← io ← training, report ← ui ← cli        (bench: core, io)
 *
 * (training, then report: a report replays sessions; training never imports report.)
 *
 * A file may import from its own layer or the ones to its left; no import cycle anywhere; core
 * imports no `node:` module, no ink and no react. A failure names the edge or the cycle.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const src = join(root, 'src');

/** Which layers each layer may import from (its own included). */
const ALLOWED: Record<string, string[]> = {
  core: ['core'],
  io: ['core', 'io'],
  training: ['core', 'io', 'training'],
  // training and report stand side by side, training to the left: a report reads sessions; training never imports report.
  report: ['core', 'io', 'training', 'report'],
  ui: ['core', 'io', 'training', 'report', 'ui'],
  cli: ['core', 'io', 'training', 'report', 'ui', 'cli'],
  bench: ['core', 'io', 'bench'],
  types: ['types'],
};

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : /\.tsx?$/.test(p) && !p.endsWith('.d.ts') ? [p] : [];
  });
}

/** The layer of a file under src/: its first folder (`index.ts` at the top is the library entry: io). */
function layerOf(file: string): string {
  const rel = relative(src, file).split('/');
  return rel.length === 1 ? 'io' : rel[0];
}

/** Every specifier a file imports: `import … from`, `export … from`, bare `import '…'` and `import('…')`. */
export function specifiers(text: string): string[] {
  // Comments are dropped first so that an example in a JSDoc block is not taken for an import.
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
  const out: string[] = [];
  const re = /\b(?:import|export)\s+(?:type\s+)?(?:[\w*{}\s,$]+?\s+from\s+)?['"]([^'"]+)['"]|\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g;
  for (let m = re.exec(code); m; m = re.exec(code)) out.push(m[1] ?? m[2]);
  return out;
}

/** A relative specifier resolved to a file of src/ (`.js` written for `.ts`/`.tsx`, as TypeScript's NodeNext wants). */
function resolveLocal(from: string, spec: string): string | undefined {
  const base = resolve(dirname(from), spec);
  for (const c of [base, base.replace(/\.js$/, '.ts'), base.replace(/\.js$/, '.tsx'), `${base}.ts`, `${base}.tsx`, join(base, 'index.ts')]) {
    try {
      if (statSync(c).isFile() && /\.tsx?$/.test(c)) return c;
    } catch {
      /* not this one */
    }
  }
  return undefined;
}

interface Graph {
  edges: Map<string, string[]>;
  external: Map<string, string[]>;
  unresolved: string[];
}

function graph(): Graph {
  const edges = new Map<string, string[]>();
  const external = new Map<string, string[]>();
  const unresolved: string[] = [];
  for (const f of files(src)) {
    const local: string[] = [];
    const ext: string[] = [];
    for (const s of specifiers(readFileSync(f, 'utf8'))) {
      if (s.startsWith('.')) {
        const to = resolveLocal(f, s);
        if (to) local.push(to);
        else unresolved.push(`${relative(root, f)} → ${s}`);
      } else ext.push(s);
    }
    edges.set(f, local);
    external.set(f, ext);
  }
  return { edges, external, unresolved };
}

/** Tarjan's strongly connected components; every component of more than one file (or a self-import) is a cycle. */
function cycles(edges: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    on.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const c: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        c.push(w);
      } while (w !== v);
      if (c.length > 1 || (edges.get(v) ?? []).includes(v)) out.push(c.map((f) => relative(root, f)).sort());
    }
  };
  for (const v of edges.keys()) if (!index.has(v)) visit(v);
  return out;
}

describe('architecture', () => {
  const g = graph();

  it('reads imports of every kind, comments aside', () => {
    const t = `import a from './a.js';\nimport type { B } from "./b.js";\nexport { c } from './c.js';\nimport './d.js';\nconst e = await import('./e.js');\n// import f from './f.js';\n/** import('./g.js') */\nexport * as h from './h.js';`;
    expect(specifiers(t)).toEqual(['./a.js', './b.js', './c.js', './d.js', './e.js', './h.js']);
  });

  it('every relative import resolves to a file of src/', () => {
    expect(g.unresolved).toEqual([]);
  });

  it(`follows the layers ${Object.keys(ALLOWED).join(', ')}: a file imports only its own layer or the ones below`, () => {
    const bad: string[] = [];
    for (const [from, tos] of g.edges) {
      const a = layerOf(from);
      for (const to of tos) {
        const b = layerOf(to);
        if (!(ALLOWED[a] ?? []).includes(b)) bad.push(`${relative(root, from)} (${a}) → ${relative(root, to)} (${b})`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('has no import cycle in src/', () => {
    expect(cycles(g.edges)).toEqual([]);
  });

  it('keeps src/core free of node:, ink and react', () => {
    const bad: string[] = [];
    for (const [f, ext] of g.external) {
      if (layerOf(f) !== 'core') continue;
      for (const s of ext)
        if (/^node:|^(fs|path|os|child_process|worker_threads|url|util|stream|events|crypto|zlib)(\/|$)|^ink(-|$|\/)|^react(-|$|\/)/.test(s))
          bad.push(`${relative(root, f)} → ${s}`);
    }
    expect(bad).toEqual([]);
  });

  it('the cycle finder finds a cycle', () => {
    const e = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a']],
      ['d', ['a']],
    ]);
    expect(cycles(e).map((c) => c.length)).toEqual([3]);
  });
});
