import mgrs from 'mgrs';
import { describe, expect, it } from 'vitest';
import { parsePosition } from '../../src/core/position.js';

describe('positions', () => {
  it('accepts [lon, lat], {lat, lon} and MGRS, all as [lon, lat]', () => {
    expect(parsePosition([38.61778, 33.50583])).toEqual({ ok: true, value: [38.61778, 33.50583] });
    expect(parsePosition({ lat: 33.50583, lon: 38.61778 })).toEqual({ ok: true, value: [38.61778, 33.50583] });
    const r = parsePosition('37S DT 64499 07430');
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.value[0]).toBeCloseTo(38.61778, 4);
      expect(r.value[1]).toBeCloseTo(33.50583, 4);
    }
    // Spaces are optional and letters may be lower case.
    const r2 = parsePosition('37sdt6449907430');
    expect(r2.ok && r.ok && r2.value[0] === r.value[0]).toBe(true);
  });

  it('round-trips MGRS references made by the mgrs library', () => {
    for (const p of [
      [38.61778, 33.50583],
      [40.37, 35.33],
      [-73.98, 40.75],
      [151.2, -33.86],
    ] as [number, number][]) {
      const ref = mgrs.forward(p, 5);
      const r = parsePosition(ref);
      expect(r.ok).toBe(true);
      if (r.ok) {
        expect(Math.abs(r.value[0] - p[0])).toBeLessThan(0.0001);
        expect(Math.abs(r.value[1] - p[1])).toBeLessThan(0.0001);
      }
    }
  });

  it('explains out-of-range and swapped coordinates', () => {
    const r = parsePosition([33.5, 138.6]);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.problem.message).toMatch(/latitude 138.6 is out of range/);
      expect(r.problem.sub).toEqual([1]);
    }
    const s = parsePosition([33.50583, 98.61778]);
    expect(!s.ok && s.problem.hint).toMatch(/swapped/);
    const t = parsePosition({ lat: 33.5, lon: 190 });
    expect(!t.ok && t.problem.message).toMatch(/longitude 190/);
  });

  it('rejects invalid MGRS with a hint', () => {
    for (const bad of ['37S DT 6449 07430', '99Z XX 1 1', 'hello', '37S II 12345 67890']) {
      const r = parsePosition(bad);
      expect(r.ok, bad).toBe(false);
      if (!r.ok) expect(r.problem.hint).toBeTruthy();
    }
  });

  it('rejects other shapes', () => {
    expect(parsePosition([1]).ok).toBe(false);
    expect(parsePosition([1, 'a']).ok).toBe(false);
    expect(parsePosition({ lat: 1 }).ok).toBe(false);
    expect(parsePosition({ lat: 1, lon: 2, alt: 3 }).ok).toBe(false);
    expect(parsePosition(42).ok).toBe(false);
    expect(parsePosition(null).ok).toBe(false);
  });
});
