/**
 * The Ink root: reads the session (re-rendering when it reports a change), turns keys into
 * commands, and builds the screen as one prebuilt string per row. The live UI hands the rows
 * to the screen writer (`paint`); without it they are laid out as one <Text> per row.
 */
import { Box, Text, useApp, useInput } from 'ink';
import { memo, useLayoutEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { applyKeys } from './commands.js';
import { composeScreen, type FrameBuilder } from './frame.js';
import { keysOf } from './keys.js';
import { computeLayout } from './layout.js';
import type { BorderSet } from './map/borders.js';
import { applyMouse, parseMouse } from './mouse.js';
import { initialUi, type UiState } from './state.js';

export interface AppProps {
  builder: FrameBuilder;
  cols: number;
  rows: number;
  borders?: BorderSet;
  /** Overrides of the initial UI state (tests). */
  initial?: Partial<UiState>;
  /** Called with the time a frame took to build, ms. */
  onFrame?: (ms: number) => void;
  /**
   * Where the rows go. Without it the rows are rendered as Ink <Text> rows (component tests);
   * the live UI passes the screen writer, which diffs rows itself (see screen.ts for why).
   */
  paint?: (lines: string[]) => void;
}

const Row = memo(function Row({ text }: { text: string }) {
  return <Text wrap="truncate">{text}</Text>;
});

export function App({ builder, cols, rows, borders, initial, onFrame, paint }: AppProps) {
  const session = builder.session;
  useSyncExternalStore(session.subscribe, session.getVersion);
  // The scenario's warnings (what cannot be meant, what the loader changed) are shown once, at the start.
  const [ui, setUi] = useState<UiState>(() => ({ ...initialUi(session.engine.scenario.units.length), ...(session.engine.scenario.warnings?.length ? { overlay: 'warnings' as const } : {}), ...initial }));
  const uiRef = useRef(ui);
  const layout = useMemo(() => computeLayout(cols, rows), [cols, rows]);
  const env = useMemo(() => builder.env(layout), [builder, layout]);
  const envRef = useRef(env);
  envRef.current = env;
  const { exit } = useApp();

  useInput((input, key) => {
    const mouse = parseMouse(input);
    const next = mouse ? applyMouse(mouse, uiRef.current, envRef.current, builder.hits, builder.commands) : applyKeys(keysOf(input, key), uiRef.current, envRef.current, builder.commands);
    if (next !== uiRef.current) {
      uiRef.current = next;
      setUi(next);
    }
    if (next.quit) {
      session.pause();
      exit();
    }
  });

  const t0 = performance.now();
  // Borders must be known before the first frame that can show them.
  builder.setBorders(borders);
  const lines = composeScreen(builder.build(ui, layout, env), layout, builder.color);
  onFrame?.(performance.now() - t0);
  useLayoutEffect(() => {
    paint?.(lines);
  });
  if (paint) return null;
  return (
    <Box flexDirection="column" width={layout.cols} height={Math.min(layout.height, Math.max(1, lines.length))} overflow="hidden">
      {lines.map((l, i) => (
        <Row key={i} text={l} />
      ))}
    </Box>
  );
}
