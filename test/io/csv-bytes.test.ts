/**
 * The CSV reader of bytes (src/io/csv-bytes.ts) against the reader of text (readCsv): on any file
 * it reads, the same tracks, fixes, properties, positions and notes, whatever the size of the
 * chunks it reads (a line cut anywhere, a buffer that grows); what it does not read it leaves to
 * the text (undefined), and the plain files it is for it does read.
 */
import fc from 'fast-check';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readCsvBytes } from '../../src/io/csv-bytes.js';
import { readCsv } from '../../src/io/csv.js';
import { parseGeoText, readGeoFile } from '../../src/io/read.js';
import type { GeoData } from '../../src/io/geodata.js';

const shape = (d: GeoData) => ({
  file: d.file,
  notes: d.notes,
  tracks: d.tracks.map((t) => ({ name: t.name, what: t.what, at: t.at, props: t.props, tidied: t.tidied, problem: t.problem, fixes: t.fixes })),
});

const attempt = (f: () => GeoData) => {
  try {
    return shape(f());
  } catch (e) {
    return String(e);
  }
};

const bytes = (text: string) => Buffer.from(text, 'latin1');

const num = (lim: number) =>
  fc.oneof(
    { arbitrary: fc.double({ min: -lim, max: lim, noNaN: true }).chain((x) => fc.integer({ min: 0, max: 9 }).map((k) => x.toFixed(k))), weight: 30 },
    fc.double({ min: -lim * 1.2, max: lim * 1.2, noNaN: true }).map(String),
    fc.integer({ min: -lim, max: lim }).map((x) => `${x}.`),
    fc.constantFrom('-0', '+1.5', '.5', '-.25', '0x10', '1e1', '', ' 12.5', '12.5 ', 'x', '1234567890123456.5', '-', 'Infinity'),
  );
const time = fc.oneof(
  { arbitrary: fc.integer({ min: 0, max: 3600 }).map((s) => new Date(Date.UTC(2017, 4, 18, 6) + s * 1000).toISOString().replace('.000', '')), weight: 30 },
  fc.integer({ min: 1495087200, max: 1495090800 }).map(String),
  fc.constantFrom(
    '2017-05-18T06:00:00.5Z',
    '2017-05-18 06:00:00',
    '2017-02-30T06:00:00Z',
    '2016-02-29T23:59:59Z',
    '0099-05-18T06:00:00Z',
    '2017-05-18T06:00:00+02:00',
    ' 2017-05-18T06:00:01Z ',
    '2017-05-18T24:00:00Z',
    'noon',
    '',
  ),
);
const unit = fc.oneof({ arbitrary: fc.constantFrom('u1', 'u2', 'u3'), weight: 20 }, fc.constantFrom(' u1', 'u1 ', 'unit one', '', 'u1"', 'ü'));
const delimiters = [',', ';', '\t', '|'];

describe('CSV read from its bytes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'deconflict-csv-bytes-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('gives what the text reader gives, or leaves the file to it', () => {
    const header = fc.oneof(
      fc.constant(['unit', 'time', 'lat', 'lon']),
      fc.constant(['lon', 'lat', 'time', 'id', 'speed']),
      fc.constant(['time', 'latitude', 'longitude']),
      fc.constant(['name', 'when', 'y', 'x', 'note']),
      fc.constant(['unit', 'time', 'lat', 'lat']),
      fc.constant(['unit', 'lat', 'lon']),
    );
    const junk = fc.constantFrom('\n', '   \n', '# comment\n', '\r', '"', '\t', '\x01', ',', ' ');
    fc.assert(
      fc.property(
        header,
        fc.constantFrom(...delimiters),
        fc.array(fc.tuple(unit, time, num(90), num(180), fc.constantFrom('', 'x', ' 7 ')), { minLength: 0, maxLength: 12 }),
        fc.oneof({ arbitrary: fc.constant([] as [number, string][]), weight: 3 }, fc.array(fc.tuple(fc.nat(30), junk), { maxLength: 3 })),
        fc.boolean(),
        fc.oneof(fc.integer({ min: 1, max: 64 }), fc.constant(1 << 20)),
        (names, d, rows, mangle, end, chunk) => {
          const lines = rows.map(([u, t, lat, lon, extra]) =>
            names
              .map((n) =>
                ['unit', 'id', 'name'].includes(n)
                  ? u
                  : ['time', 'when'].includes(n)
                    ? t
                    : ['lat', 'latitude', 'y'].includes(n)
                      ? lat
                      : ['lon', 'longitude', 'x'].includes(n)
                        ? lon
                        : extra,
              )
              .join(d),
          );
          let text = `${names.join(d)}\n${lines.join('\n')}${end ? '\n' : ''}`;
          for (const [at, j] of mangle) {
            const k = Math.min(text.length, at * 7);
            text = text.slice(0, k) + j + text.slice(k);
          }
          const quick = readCsvBytes(bytes(text), 'f.csv', {}, chunk);
          if (quick !== undefined) expect(shape(quick), JSON.stringify(text)).toEqual(attempt(() => readCsv(text, 'f.csv')));
        },
      ),
      { numRuns: 3000, seed: 181 },
    );
  });

  it('reads the plain files it is for (one unit after another, or interleaved, spaces around fields, blank lines)', () => {
    const row = fc.tuple(fc.constantFrom('a', 'b', 'c', 'd'), fc.integer({ min: 0, max: 600 }), num(90), num(180));
    fc.assert(
      fc.property(
        fc.array(row, { minLength: 1, maxLength: 40 }),
        fc.boolean(),
        fc.boolean(),
        fc.integer({ min: 1, max: 100 }),
        (rows, spaced, blank, chunk) => {
          const ok = rows.filter(
            ([, , lat, lon]) =>
              /^[-+]?(\d+\.?\d*|\.\d+)$/.test(lat.trim()) &&
              Math.abs(Number(lat)) <= 90 &&
              /^[-+]?(\d+\.?\d*|\.\d+)$/.test(lon.trim()) &&
              Math.abs(Number(lon)) <= 180,
          );
          fc.pre(ok.length > 0 && new Set(ok.map((r) => r[0])).size < 3);
          const sp = spaced ? ' ' : '';
          const lines = ok.map(([u, s, lat, lon]) =>
            [u, new Date(Date.UTC(2017, 4, 18, 6) + s * 1000).toISOString().replace('.000', ''), lat, lon].map((f) => `${sp}${f}${sp}`).join(','),
          );
          const text = `${blank ? '\n  \n' : ''}unit,time,lat,lon\n${lines.join(blank ? '\n\n' : '\n')}\n`;
          const quick = readCsvBytes(bytes(text), 'f.csv', {}, chunk);
          expect(quick, text).toBeDefined();
          expect(shape(quick!)).toEqual(shape(readCsv(text, 'f.csv')));
        },
      ),
      { numRuns: 500, seed: 182 },
    );
  });

  it('leaves to the text what is not plain ASCII, and a file read from disk gives what its text gives', () => {
    expect(readCsvBytes(Buffer.from('unit,time,lat,lon\nü,2017-05-18T06:00:00Z,1,2\n', 'utf8'), 'f.csv')).toBeUndefined();
    for (const chunk of [1, 2, 3, 1 << 20]) expect(readCsvBytes(bytes('PK,time,lat,lon\nu,2017-05-18T06:00:00Z,1,2\n'), 'f.csv', {}, chunk)).toBeUndefined();
    expect(readCsvBytes(bytes('\nPK,time,lat,lon\nu,2017-05-18T06:00:00Z,1,2\n'), 'f.csv', {}, 1)).toBeDefined();
    expect(readCsvBytes(bytes('unit,time,lat,lon\nu,2017-05-18T06:00:00Z,1,2\r\n'), 'f.csv')).toBeUndefined();
    expect(readCsvBytes(bytes('  \n \n'), 'f.csv')).toBeUndefined();
    const files = [
      'unit,time,lat,lon\nu1,2017-05-18T06:00:00Z,33.5,38.6\nu1,2017-05-18T06:01:00Z,33.6,38.7\nu2,2017-05-18T06:00:00Z,33.5,38.6\n',
      'unit,time,lat,lon\nu1,2017-05-18T06:00:00Z,"33.5",38.6\n',
      'unit,time,lat,lon\nu1,2017-05-18T06:00:00Z,95,38.6\n',
      'unit,time,lat\nu1,2017-05-18T06:00:00Z,33.5\n',
      '#time,lat,lon\n2017-05-18T06:00:00Z,33.5,38.6\n',
      'unit;time;lat;lon\nu1;2017-05-18T06:00:00Z;33.5;38.6;9\n',
    ];
    files.forEach((text, i) => {
      const path = join(dir, `f${i}.csv`);
      writeFileSync(path, text);
      expect(
        attempt(() => readGeoFile(path, { displayName: 'f.csv' })),
        text,
      ).toEqual(attempt(() => parseGeoText(text, 'csv', 'f.csv')));
    });
  });
});
