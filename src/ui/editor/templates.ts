/** What a new file starts from: `--template blank` (the default) or `--template tanf`. */
import type { View } from '../map/view.js';

export const TEMPLATES = ['blank', 'tanf'] as const;
export type TemplateName = (typeof TEMPLATES)[number];

/** A blank scenario: the header only; sites, zones and units are added as they are drawn. */
export const BLANK = `# A deconflict scenario (docs/scenario-format.md), started with \`deconflict edit\`.
title: New scenario
start: 2025-01-01T06:00:00Z
end: +6h
tick: 10s
seed: 1
`;

/** Where a blank scenario's map looks first (unless --at says otherwise): the At Tanf garrison, the reference case. */
export const HOME: View = { lon: 38.61778, lat: 33.50583, mpd: 750 };

/** `--at LAT,LON`: the centre of a new scenario's map. */
export function parseAt(s: string): View | undefined {
  const m = /^\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*$/.exec(s);
  if (!m) return undefined;
  const lat = Number(m[1]);
  const lon = Number(m[2]);
  if (Math.abs(lat) > 85 || Math.abs(lon) > 180) return undefined;
  return { lon, lat, mpd: HOME.mpd };
}
