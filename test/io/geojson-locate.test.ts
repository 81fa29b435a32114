/**
 * The GeoJSON reader finds a message's line and column by scanning the text down one path (no
 * second parser reads the file on the error path). It must find what a YAML parser with
 * positions finds, on any JSON and any path, including paths that lead nowhere.
 */
import fc from 'fast-check';
import { isMap, isSeq, LineCounter, parseDocument, type Node as YamlNode } from 'yaml';
import { describe, expect, it } from 'vitest';
import { makeLocator } from '../../src/io/geojson.js';

/** The reference: positions from the yaml library (JSON is YAML), deepest parent found. */
function reference(text: string, p: (string | number)[]): { line: number; column: number } {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, uniqueKeys: false });
  let node: unknown = doc.contents;
  let off = (node as YamlNode | null)?.range?.[0] ?? 0;
  for (const k of p) {
    if (isMap(node)) {
      const pair = node.items.find((it) => String((it.key as { value?: unknown })?.value) === String(k));
      if (!pair) break;
      node = pair.value;
    } else if (isSeq(node) && typeof k === 'number') {
      node = node.items[k];
    } else break;
    const r = (node as YamlNode | null)?.range;
    if (!r) break;
    off = r[0];
  }
  const pos = lc.linePos(off);
  return { line: pos.line, column: pos.col };
}

describe('locating a GeoJSON path', () => {
  it('agrees with a YAML parser with positions', () => {
    const key = fc.constantFrom('type', 'features', 'geometry', 'coordinates', 'properties', 'name', 'a"b', 'é');
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), fc.array(fc.oneof(key, fc.nat({ max: 4 })), { maxLength: 5 }), fc.constantFrom(0, 1, 2), (v, p, indent) => {
        const text = JSON.stringify(v, null, indent);
        expect(makeLocator(text)(p), `${text}\n${JSON.stringify(p)}`).toEqual(reference(text, p));
      }),
      { numRuns: 1000, seed: 21 },
    );
  });

  it('finds a point deep in a large file', () => {
    const features = Array.from({ length: 2000 }, (_, i) => ({
      type: 'Feature',
      properties: { name: `p${i}` },
      geometry: { type: 'Point', coordinates: [38 + i / 1e4, 33] },
    }));
    const text = JSON.stringify({ type: 'FeatureCollection', features }, null, 1);
    const where = makeLocator(text)(['features', 1500, 'geometry', 'coordinates']);
    const line = text.split('\n')[where.line - 1];
    expect(line.slice(where.column - 1)).toMatch(/^\[/);
    expect(text.split('\n').slice(0, where.line).join('\n')).toContain('"p1500"');
  });
});
