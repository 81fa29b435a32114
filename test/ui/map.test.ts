import { describe, expect, test } from 'vitest';
import { Engine } from '../../src/core/engine.js';
import { loadScenario } from '../../src/io/node/load.js';
import { PolygonZone } from '../../src/core/geo/zones.js';
import { BrailleCanvas, StyleTable } from '../../src/ui/map/canvas.js';
import { MapRenderer } from '../../src/ui/map/render.js';
import { buildScene, offsetCurve } from '../../src/ui/map/scene.js';
import { fitView, niceLength, Projection } from '../../src/ui/map/view.js';
import { bordersFromLines, chunksIn } from '../../src/ui/map/borders.js';
import type { LonLat } from '../../src/core/model.js';
import { EUPHRATES, TANF } from './helpers.js';

describe('braille canvas', () => {
  test('maps each of the 2×4 dots of a cell to its braille bit', () => {
    const dots: [number, number, string][] = [
      [0, 0, '⠁'],
      [0, 1, '⠂'],
      [0, 2, '⠄'],
      [0, 3, '⡀'],
      [1, 0, '⠈'],
      [1, 1, '⠐'],
      [1, 2, '⠠'],
      [1, 3, '⢀'],
    ];
    for (const [x, y, ch] of dots) {
      const c = new BrailleCanvas(1, 1);
      c.dot(x, y, 0, 0);
      expect(c.plain()[0]).toBe(ch);
    }
    const c = new BrailleCanvas(2, 1);
    for (const [x, y] of dots) c.dot(x, y, 0, 0);
    expect(c.plain()[0]).toBe('⣿ ');
  });

  test('draws lines at full resolution, clipped, including absurdly long ones', () => {
    const c = new BrailleCanvas(10, 5);
    c.line(0, 0, 19, 19, 0, 0);
    for (let i = 0; i < 20; i++) expect(c.isSet(i, i)).toBe(true);
    const d = new BrailleCanvas(10, 5);
    const t0 = performance.now();
    d.line(-1e9, 10, 1e9, 10, 0, 0);
    expect(performance.now() - t0).toBeLessThan(50);
    for (let x = 0; x < 20; x++) expect(d.isSet(x, 10)).toBe(true);
  });

  test('styles runs of cells; colour only when asked', () => {
    const styles = new StyleTable();
    const red = styles.id({ fg: 'red' });
    const inv = styles.id({ inverse: true });
    const c = new BrailleCanvas(6, 1);
    c.put(0, 0, 'ab', red);
    c.put(3, 0, 'x', inv);
    expect(c.rows(styles, true)[0]).toBe('\x1b[31mab\x1b[0m \x1b[7mx\x1b[0m  ');
    expect(c.rows(styles, false)[0]).toBe('ab \x1b[7mx\x1b[0m  ');
  });
});

describe('scene and view', () => {
  test('the circle zone is traced at full resolution around its centre', () => {
    const sc = loadScenario(TANF);
    const scene = buildScene(sc);
    const w = 60;
    const h = 22;
    const view = fitView(scene.bounds, w * 2, h * 4);
    const r = new MapRenderer(scene);
    const fr = r.render({ engine: new Engine(sc), view, w, h, selected: -1, color: false, trailMs: 0 });
    const p = new Projection(view, w * 2, h * 4);
    let inside = 0;
    for (const q of scene.zones[0].edge[0]) {
      const x = Math.round(p.x(q[0]));
      const y = Math.round(p.y(q[1]));
      if (x < 0 || y < 0 || x >= w * 2 || y >= h * 4) continue;
      // The dot is set unless a label covers the cell.
      if (fr.canvas.text[(y >> 2) * w + (x >> 1)]) continue;
      inside++;
      expect(fr.canvas.isSet(x, y)).toBe(true);
    }
    expect(inside).toBeGreaterThan(200);
    // The band lies 10 km outside: its ring is further from the centre than the edge.
    const c = sc.zones[0].center!;
    const dEdge = Math.hypot(p.x(scene.zones[0].edge[0][0][0]) - p.x(c[0]), p.y(scene.zones[0].edge[0][0][1]) - p.y(c[1]));
    const dBand = Math.hypot(p.x(scene.zones[0].band[0][0][0]) - p.x(c[0]), p.y(scene.zones[0].band[0][0][1]) - p.y(c[1]));
    expect(dBand / dEdge).toBeCloseTo(65 / 55, 2);
  });

  test("a line's forbidden side carries ticks; its approach band lies on the permitted side", () => {
    const sc = loadScenario(EUPHRATES);
    const scene = buildScene(sc);
    const zone = scene.zones[0];
    expect(zone.kind).toBe('line');
    // The protected headquarters is on the forbidden side.
    const hq = sc.sites[0].pos;
    expect(sc.zones[0].shape.signedDistance(hq[0], hq[1])).toBeLessThan(0);
    for (const q of zone.band[0]) expect(sc.zones[0].shape.signedDistance(q[0], q[1])).toBeGreaterThan(9_000);
    const w = 60;
    const h = 22;
    const view = fitView(scene.bounds, w * 2, h * 4);
    const fr = new MapRenderer(scene).render({ engine: new Engine(sc), view, w, h, selected: -1, color: false, trailMs: 0 });
    const p = new Projection(view, w * 2, h * 4);
    // Count set dots 2 dots away from the line on each side, along its length.
    let forbidden = 0;
    let permitted = 0;
    const pts = zone.edge[0];
    for (let i = 0; i < pts.length - 1; i++) {
      const ax = p.x(pts[i][0]);
      const ay = p.y(pts[i][1]);
      const bx = p.x(pts[i + 1][0]);
      const by = p.y(pts[i + 1][1]);
      const len = Math.hypot(bx - ax, by - ay);
      const nx = -(by - ay) / len;
      const ny = (bx - ax) / len;
      for (let s = 0; s < len; s += 1) {
        const x = ax + ((bx - ax) * s) / len;
        const y = ay + ((by - ay) * s) / len;
        for (const sign of [1, -1]) {
          const qx = Math.round(x + sign * nx * 2);
          const qy = Math.round(y + sign * ny * 2);
          const lon = p.lon(qx);
          const lat = p.lat(qy);
          const side = sc.zones[0].shape.signedDistance(lon, lat) < 0 ? 'f' : 'p';
          if (fr.canvas.isSet(qx, qy)) {
            if (side === 'f') forbidden++;
            else permitted++;
          }
        }
      }
    }
    expect(forbidden).toBeGreaterThan(10);
    expect(forbidden).toBeGreaterThan(permitted * 3);
  });

  test('polygon bands are the outline offset outward by the approach width', () => {
    const ring: LonLat[] = [
      [38, 33],
      [38.5, 33],
      [38.5, 33.4],
      [38.2, 33.2],
      [38, 33.4],
      [38, 33],
    ];
    const shape = new PolygonZone([ring]);
    const out = offsetCurve(ring, true, 5000, -1);
    expect(out.length).toBeGreaterThan(ring.length);
    for (const q of out) {
      const d = shape.signedDistance(q[0], q[1]);
      expect(d).toBeGreaterThan(4900);
      expect(d).toBeLessThan(5000 * 4.1);
    }
    // Round joins: corners stay at the offset distance.
    const convex = out.filter((q) => Math.abs(shape.signedDistance(q[0], q[1]) - 5000) < 60);
    expect(convex.length).toBeGreaterThan(out.length * 0.8);
  });

  test('scale bar lengths are 1, 2 or 5 times a power of ten', () => {
    expect(niceLength(7300)).toBe(5000);
    expect(niceLength(19_999)).toBe(10_000);
    expect(niceLength(2_100)).toBe(2000);
  });

  test('border chunks are culled to the view', () => {
    const set = bordersFromLines([
      [
        [0, 0],
        [1, 1],
      ],
      [
        [50, 50],
        [51, 51],
      ],
    ]);
    expect(chunksIn(set, [-1, -1, 2, 2])).toEqual([0]);
    expect(chunksIn(set, [49, 49, 52, 52])).toEqual([1]);
  });
});

describe('units on the map', () => {
  test('units get the symbol of their rung; the selected one is drawn in reverse video with its label', () => {
    const sc = loadScenario(TANF);
    const engine = new Engine(sc);
    const scene = buildScene(sc);
    const r = new MapRenderer(scene);
    const view = fitView(scene.bounds, 120, 88);
    engine.nextEscalation();
    let fr = r.render({ engine, view, w: 60, h: 22, selected: 0, color: true });
    const rows = fr.rows.join('\n');
    // The label beside its symbol, on the side where it hides no zone edge.
    expect(rows).toMatch(/\x1b\[1;7;36m(○convoy|convoy○)\x1b\[0m/);
    while (!engine.isStruck(0)) engine.nextEscalation();
    fr = r.render({ engine, view, w: 60, h: 22, selected: 1, color: false });
    expect(fr.canvas.plain().join('\n')).toMatch(/×convoy|convoy×/);
    expect(fr.visible).toBe(2);
  });

  test('the protected site is drawn over a unit standing on it (not over the selected one)', () => {
    const sc = loadScenario(TANF);
    const engine = new Engine(sc);
    engine.step();
    const scene = buildScene(sc);
    const view = fitView(scene.bounds, 120, 88);
    const r = new MapRenderer(scene);
    // mat-patrol starts at the garrison.
    const site = (text: string[]) => text.some((l) => l.includes('■'));
    expect(site(r.render({ engine, view, w: 60, h: 22, selected: 0, color: false }).canvas.plain())).toBe(true);
    expect(site(r.render({ engine, view, w: 60, h: 22, selected: 1, color: false }).canvas.plain())).toBe(false);
  });

  test('when labels are short of budget the hottest units get them first', () => {
    const sc = loadScenario(TANF);
    const engine = new Engine(sc);
    engine.nextEscalation();
    const scene = buildScene(sc);
    const fr = new MapRenderer(scene).render({ engine, view: fitView(scene.bounds, 120, 88), w: 60, h: 22, selected: -1, color: false, maxLabels: 1 });
    const text = fr.canvas.plain().join('\n');
    expect(text).toMatch(/○convoy|convoy○/);
    expect(text).not.toContain('mat-patrol');
  });

  test('labels hide no zone edge and no other label; borders are dotted, unlike the solid edges', () => {
    for (const file of [TANF, EUPHRATES, 'scenarios/tanf-2017-06-massing.yaml']) {
      const sc = loadScenario(file);
      const engine = new Engine(sc);
      const scene = buildScene(sc);
      const r = new MapRenderer(scene);
      for (let i = 0; i < 4; i++) {
        engine.nextEscalation();
        for (const [w, h] of [
          [40, 14],
          [60, 22],
          [100, 40],
        ]) {
          const fr = r.render({ engine, view: fitView(scene.bounds, w * 2, h * 4), w, h, selected: -1, color: false });
          const c = fr.canvas;
          // Every text cell that is a letter of a label (not a symbol, the north arrow or the scale bar) stands on no zone edge.
          for (let y = 0; y < c.h - 1; y++) {
            for (let x = 0; x < c.w; x++) {
              const t = c.text[y * c.w + x];
              if (!/[A-Za-z0-9-]/.test(t) || (t === 'N' && x === c.w - 2 && y === 0)) continue;
              expect(c.bits[y * c.w + x] === 0 || c.dotPri[y * c.w + x] < 4, `${file} ${w}×${h}: '${t}' at ${x},${y} over a zone edge`).toBe(true);
            }
          }
        }
      }
    }
    // A border along latitude 33 from 36°E to 40°E: one dot in four drawn, where a zone edge is solid.
    const sc = loadScenario(TANF);
    const scene = buildScene(sc);
    const view = fitView(scene.bounds, 120, 88);
    const dots = (withBorders: boolean) => {
      const r = new MapRenderer(scene);
      if (withBorders)
        r.setBorders(
          bordersFromLines([
            [
              [36, 33],
              [40, 33],
            ],
          ]),
        );
      const c = r.render({ engine: new Engine(sc), view, w: 60, h: 22, selected: -1, color: false }).canvas;
      let n = 0;
      for (const b of c.bits) for (let k = b; k; k &= k - 1) n++;
      return n;
    };
    const p = new Projection(view, 120, 88);
    const span = Math.min(120, Math.abs(p.x(40) - p.x(36)));
    const added = dots(true) - dots(false);
    expect(added).toBeGreaterThan(span / 8);
    expect(added).toBeLessThan(span / 2);
  });
});
