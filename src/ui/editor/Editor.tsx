/**
 * The editor's Ink root: keys and mouse reports become commands of the key table, and the screen
 * is one <Text> per prebuilt row (at most rows - 1 of them).
 */
import { Box, Text, useApp, useInput } from 'ink';
import { memo, useMemo, useRef, useState } from 'react';
import { keysOf } from '../keys.js';
import type { BorderSet } from '../map/borders.js';
import { parseMouse } from '../mouse.js';
import { Projection, type View } from '../map/view.js';
import { applyEditorKeys, type EditorEnv } from './commands.js';
import { EditorFrame, editorLayout } from './frame.js';
import { follow, initialEditor, type EditorState } from './state.js';

export interface EditorProps {
  file: string;
  text: string;
  cols: number;
  rows: number;
  color?: boolean;
  baseDir?: string;
  /** Where a new, empty scenario's map looks first. */
  home?: View;
  /** Country borders under the map (none in tests). */
  borders?: BorderSet;
  /** Write the text; returns a message, or throws an Error whose message is shown. */
  save(text: string, force: boolean): string;
  /** Called with every new state (tests). */
  onState?: (s: EditorState) => void;
}

const Row = memo(function Row({ text }: { text: string }) {
  return <Text wrap="truncate">{text}</Text>;
});

export function Editor({ file, text, cols, rows, color = false, baseDir, home, borders, save, onState }: EditorProps) {
  const frame = useMemo(() => new EditorFrame(file, color, baseDir, borders), [file, color, baseDir, borders]);
  const layout = useMemo(() => editorLayout(cols, rows), [cols, rows]);
  const [state, setState] = useState<EditorState>(() => initialEditor(text, frame.fit(text, layout.map, home ?? { lon: 0, lat: 0, mpd: 500 })));
  const ref = useRef(state);
  const { exit } = useApp();
  const refused = useRef(false);

  const env: EditorEnv = {
    map: layout.map,
    helpLines: frame.helpLines(cols - 2).length,
    fit: () => frame.fit(ref.current.text, layout.map, ref.current.view),
    units: () => frame.result(ref.current.text).scenario?.units.length ?? 0,
    unitEnd: (u) => {
      const tr = frame.result(ref.current.text).scenario?.units[u]?.track;
      return tr && tr.t.length ? [tr.lon[tr.t.length - 1], tr.lat[tr.t.length - 1]] : undefined;
    },
    save: (s) => {
      try {
        const msg = save(s.text, refused.current);
        refused.current = false;
        return { ...s, saved: s.text, message: msg };
      } catch (e) {
        // A refusal (the file changed on disk) is overridden by saving again.
        refused.current = true;
        return { ...s, message: (e as Error).message };
      }
    },
  };

  useInput((input, key) => {
    let next = ref.current;
    const m = parseMouse(input);
    if (m) {
      if (m.release) return;
      // The map's inner area starts at row 2, column 1.
      const x = m.x - 1;
      const y = m.y - 2;
      const inMap = x >= 0 && y >= 0 && x < layout.map.w && y < layout.map.h;
      if (m.button === 'wheelup' || m.button === 'wheeldown') next = applyEditorKeys([m.button === 'wheelup' ? '+' : '-'], next, env);
      else if (m.button === 'left' && inMap && !next.form && !next.help) {
        const p = new Projection(next.view, layout.map.w * 2, layout.map.h * 4);
        next = follow({ ...next, cursor: [p.lon(x * 2 + 1), p.lat(y * 4 + 2)] }, layout.map);
        // A click places the tool's point where it is, as enter does.
        if (next.tool !== 'browse') next = applyEditorKeys(['enter'], next, env);
      }
    } else next = applyEditorKeys(keysOf(input, key), next, env);
    if (next !== ref.current) {
      ref.current = next;
      setState(next);
      onState?.(next);
    }
    if (next.quit) exit();
  });

  const lines = frame.build(state, layout);
  return (
    <Box flexDirection="column" width={cols} height={Math.min(rows - 1, lines.length)} overflow="hidden">
      {lines.slice(0, rows - 1).map((l, i) => (
        <Row key={i} text={l} />
      ))}
    </Box>
  );
}
