import { describe, expect, it } from 'vitest';
import { formatDistance, formatDuration, formatTime, parseDistance, parseDuration, parseIsoUtc, parseSpeed, parseTime } from '../../src/core/units.js';

describe('quantities', () => {
  it('parses distances in m, km, nm and mi', () => {
    expect(parseDistance('55km')).toBe(55_000);
    expect(parseDistance('250 m')).toBe(250);
    expect(parseDistance('1nm')).toBe(1852);
    expect(parseDistance('2.5KM')).toBe(2500);
    expect(parseDistance(300)).toBe(300);
    expect(parseDistance('-5km')).toBeUndefined();
    expect(parseDistance('55 kilometres')).toBeUndefined();
    expect(parseDistance(Number.NaN)).toBeUndefined();
  });

  it('parses durations, including compound ones', () => {
    expect(parseDuration('10s')).toBe(10_000);
    expect(parseDuration('15m')).toBe(900_000);
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('2d')).toBe(172_800_000);
    expect(parseDuration('10')).toBeUndefined();
    expect(parseDuration('1h 30x')).toBeUndefined();
  });

  it('parses speeds into metres per second', () => {
    expect(parseSpeed('36km/h')).toBeCloseTo(10, 10);
    expect(parseSpeed('10m/s')).toBe(10);
    expect(parseSpeed('1kn')).toBeCloseTo(1852 / 3600, 10);
    expect(parseSpeed('0km/h')).toBeUndefined();
  });

  it('parses UTC times only, and times after the start', () => {
    expect(parseIsoUtc('2017-05-18T09:00:00Z')).toBe(Date.UTC(2017, 4, 18, 9));
    expect(parseIsoUtc('2017-05-18T09:00Z')).toBe(Date.UTC(2017, 4, 18, 9));
    expect(parseIsoUtc('2017-05-18T09:00:00.5Z')).toBe(Date.UTC(2017, 4, 18, 9, 0, 0, 500));
    expect(parseIsoUtc('2017-05-18T09:00:00+03:00')).toBeUndefined();
    expect(parseIsoUtc('2017-02-30T09:00:00Z')).toBeUndefined();
    expect(parseIsoUtc('2017-05-18 25:00:00Z')).toBeUndefined();
    const start = Date.UTC(2017, 4, 18, 6);
    expect(parseTime('+1h30m', start)).toBe(start + 5_400_000);
    expect(parseTime('+1h30m')).toBeUndefined();
  });

  it('formats for people', () => {
    expect(formatTime(Date.UTC(2017, 4, 18, 9))).toBe('2017-05-18T09:00:00Z');
    expect(formatTime(Date.UTC(2017, 4, 18, 9, 0, 0, 250))).toBe('2017-05-18T09:00:00.250Z');
    expect(formatDuration(3_900_000)).toBe('1h05m');
    expect(formatDuration(750_000)).toBe('12m30s');
    expect(formatDuration(45_000)).toBe('45s');
    expect(formatDistance(850)).toBe('850 m');
    expect(formatDistance(12_400)).toBe('12.4 km');
    expect(formatDistance(-2100)).toBe('-2.1 km');
  });
});
