/**
 * What every full-screen app needs: a render whenever its screen source changes, the terminal's
 * size as it changes, and the country borders once the first frame is up.
 */
import { useEffect, useState, useSyncExternalStore } from 'react';
import { loadBorders, type BorderSet } from '../map/borders.js';
import type { ScreenSource } from '../playback/source.js';
import type { ScreenStream } from '../screen.js';

/** The source's version, re-rendering when it changes (once per burst of changes). */
export function useSourceVersion(source: Pick<ScreenSource, 'subscribe' | 'getVersion'>): number {
  return useSyncExternalStore(source.subscribe, source.getVersion);
}

/** The screen's size in cells, following resizes. */
export function useScreenSize(screen: ScreenStream): { cols: number; rows: number } {
  const [size, setSize] = useState({ cols: screen.columns, rows: screen.rows });
  useEffect(() => {
    const onResize = () => setSize({ cols: screen.columns, rows: screen.rows });
    screen.on('resize', onResize);
    return () => {
      screen.off('resize', onResize);
    };
  }, [screen]);
  return size;
}

/** The country borders, loaded after the first frame is on screen (reading the atlas takes a few tens of milliseconds); never with `skip`. */
export function useLazyBorders(skip = false): BorderSet | undefined {
  const [borders, setBorders] = useState<BorderSet | undefined>();
  useEffect(() => {
    if (skip) return;
    const t = setTimeout(() => setBorders(loadBorders()), 0);
    return () => clearTimeout(t);
  }, [skip]);
  return borders;
}
