/**
 * The Ink root of the replay and live UI: reads the screen source (re-rendering when it reports a
 * change), turns keys and clicks into commands, and builds the screen as one prebuilt string per
 * row. The terminal UI hands the rows to the screen writer (`paint`); without it they are laid
 * out as one <Text> per row.
 */
import { useApp, useInput } from 'ink';
import { useLayoutEffect, useMemo, useRef, useState } from 'react';
import { applyKeys } from '../commands/dispatch.js';
import { keysOf } from '../keys.js';
import { computeLayout } from '../layout.js';
import type { BorderSet } from '../map/borders.js';
import { applyMouse, parseMouse, type Hits } from '../mouse.js';
import type { FrameContext } from '../screen/context.js';
import { commandEnv } from '../screen/env.js';
import { buildFrame, composeScreen } from '../screen/frame.js';
import { initialUi, type UiState } from '../state.js';
import { useSourceVersion } from './hooks.js';
import { Rows } from './Rows.js';

export interface AppProps {
  /** What the frames are built from (the screen source among it). */
  frames: FrameContext;
  cols: number;
  rows: number;
  borders?: BorderSet;
  /** Overrides of the initial UI state (tests). */
  initial?: Partial<UiState>;
  /** Called with the time a frame took to build, ms. */
  onFrame?: (ms: number) => void;
  /**
   * Where the rows go. Without it the rows are rendered as Ink <Text> rows (component tests);
   * the terminal UI passes the screen writer, which diffs rows itself (see screen.ts for why).
   */
  paint?: (lines: string[]) => void;
}

export function App({ frames, cols, rows, borders, initial, onFrame, paint }: AppProps) {
  const session = frames.session;
  useSourceVersion(session);
  // The scenario's warnings (what cannot be meant, what the loader changed) are shown once, at the start.
  const [ui, setUi] = useState<UiState>(() => ({
    ...initialUi(session.engine.scenario.units.length),
    ...(session.engine.scenario.warnings?.length ? { overlay: 'warnings' as const } : {}),
    ...initial,
  }));
  const uiRef = useRef(ui);
  const layout = useMemo(() => computeLayout(cols, rows), [cols, rows]);
  const env = useMemo(() => commandEnv(frames, layout), [frames, layout]);
  const envRef = useRef(env);
  envRef.current = env;
  // What the last frame drawn put where: a click means what it was on.
  const hitsRef = useRef<Hits>({ tableUnits: [], logNewest: 0, logRows: 0, unitOnMap: () => -1 });
  const { exit } = useApp();

  useInput((input, key) => {
    const mouse = parseMouse(input);
    const next = mouse
      ? applyMouse(mouse, uiRef.current, envRef.current, hitsRef.current, frames.commands)
      : applyKeys(keysOf(input, key), uiRef.current, envRef.current, frames.commands);
    if (next !== uiRef.current) {
      uiRef.current = next;
      setUi(next);
    }
    if (next.quit) {
      session.playback?.pause();
      exit();
    }
  });

  const t0 = performance.now();
  // Borders must be known before the first frame that can show them.
  frames.setBorders(borders);
  const frame = buildFrame(frames, ui, layout, env);
  hitsRef.current = frame.hits;
  const lines = composeScreen(frame, layout, frames.color);
  onFrame?.(performance.now() - t0);
  useLayoutEffect(() => {
    paint?.(lines);
  });
  if (paint) return null;
  return <Rows lines={lines} cols={layout.cols} height={layout.height} />;
}
