import { describe, expect, it } from 'vitest';
import { ScenarioError } from '../../src/core/errors.js';
import { Problems } from '../../src/core/scenario/problems.js';

const fault = (field: string, ownTrack = false, line = 5) =>
  new ScenarioError({ file: 'shared.csv', line, column: 30, field, message: "'3x8.4' is not a longitude", ownTrack });

describe('Problems: one problem in a shared file, said once', () => {
  it('for the first field that refers to it when no field owns the faulty track', () => {
    const pr = new Problems();
    pr.add(fault('units[0].track'));
    pr.add(fault('units[1].track'));
    expect(pr.list.map((e) => e.field)).toEqual(['units[0].track']);
  });

  it("for the field whose track holds it, in the first one's place among the others", () => {
    const pr = new Problems();
    pr.add(fault('units[0].track'));
    pr.add(fault('units[0].name', false, 9));
    pr.add(fault('units[1].track', true));
    pr.add(fault('units[2].track'));
    pr.add(fault('units[3].track', true));
    expect(pr.list.map((e) => e.field)).toEqual(['units[1].track', 'units[0].name']);
  });
});
