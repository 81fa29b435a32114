/**
 * Country borders and coastlines for context, from Natural Earth 1:50m (world-atlas TopoJSON,
 * meshed with topojson-client). Lines are cut into short chunks with bounding boxes so that a
 * view only projects the few chunks it can see. Read by the terminal UI's map and the HTML
 * report's (in io, the layer both stand on).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { mesh } from 'topojson-client';

/** minLon, minLat, maxLon, maxLat. */
export type Bounds = readonly [number, number, number, number];

export interface BorderSet {
  /** Each chunk: lon, lat interleaved. */
  chunks: Float64Array[];
  /** minLon, minLat, maxLon, maxLat per chunk. */
  boxes: Float64Array;
}

const CHUNK = 48;

export function bordersFromLines(lines: number[][][]): BorderSet {
  const chunks: Float64Array[] = [];
  const boxes: number[] = [];
  for (const line of lines) {
    for (let s = 0; s < line.length - 1; s += CHUNK) {
      const part = line.slice(s, Math.min(line.length, s + CHUNK + 1));
      const a = new Float64Array(part.length * 2);
      let minX = Infinity;
      let minY = Infinity;
      let maxX = -Infinity;
      let maxY = -Infinity;
      part.forEach((p, i) => {
        a[2 * i] = p[0];
        a[2 * i + 1] = p[1];
        if (p[0] < minX) minX = p[0];
        if (p[0] > maxX) maxX = p[0];
        if (p[1] < minY) minY = p[1];
        if (p[1] > maxY) maxY = p[1];
      });
      chunks.push(a);
      boxes.push(minX, minY, maxX, maxY);
    }
  }
  return { chunks, boxes: Float64Array.from(boxes) };
}

let cached: BorderSet | null | undefined;

/** The world's borders (read once); undefined if the atlas cannot be read. */
export function loadBorders(): BorderSet | undefined {
  if (cached !== undefined) return cached ?? undefined;
  try {
    const require = createRequire(import.meta.url);
    const file = require.resolve('world-atlas/countries-50m.json');
    type Topo = Parameters<typeof mesh>[0];
    const topo = JSON.parse(readFileSync(file, 'utf8')) as Topo;
    const m = mesh(topo, topo.objects.countries as Parameters<typeof mesh>[1]);
    cached = bordersFromLines(m.coordinates);
  } catch {
    cached = null;
  }
  return cached ?? undefined;
}

/** Indices of chunks whose box meets `b`. */
export function chunksIn(set: BorderSet, b: Bounds): number[] {
  const out: number[] = [];
  const bx = set.boxes;
  for (let i = 0, n = set.chunks.length; i < n; i++) {
    if (bx[4 * i] > b[2] || bx[4 * i + 2] < b[0] || bx[4 * i + 1] > b[3] || bx[4 * i + 3] < b[1]) continue;
    out.push(i);
  }
  return out;
}
