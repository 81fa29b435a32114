/**
 * Where each field of a scenario file is: the parsed value and a lookup from a field path to
 * its line and column. The semantic warnings need both (the compiled scenario keeps neither).
 */
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode } from 'yaml';
import { formatPath } from '../errors.js';

export type FieldPath = readonly (string | number)[];

export interface ScenarioSource {
  file: string;
  /** The file's value, as plain data. */
  raw: unknown;
  /** Line and column (1-based) of the value at `path`, or of its deepest parent that exists. */
  locate(path: FieldPath): { line: number; column: number };
}

/** Parse a scenario's text (YAML or JSON) keeping node positions. */
export function scenarioSource(text: string, file: string): ScenarioSource {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, keepSourceTokens: false, uniqueKeys: false });
  const raw = doc.toJS({ maxAliasCount: 200 }) as unknown;
  const locate = (path: FieldPath) => {
    let node: unknown = doc.contents;
    let off = (node as YamlNode | null)?.range?.[0] ?? 0;
    for (const p of path) {
      let next: unknown;
      if (isMap(node)) next = node.items.find((it) => isScalar(it.key) && String(it.key.value) === String(p))?.value;
      else if (isSeq(node) && typeof p === 'number') {
        const item = node.items[p];
        next = isPair(item) ? item.value : item;
      }
      const r = (next as YamlNode | null | undefined)?.range;
      if (!r) break;
      off = r[0];
      node = next;
    }
    const pos = lc.linePos(off);
    return { line: pos.line, column: pos.col };
  };
  return { file, raw, locate };
}

/** The one line a warning prints: `file:line:column: warning: field: message (hint)`. */
export function warningLine(src: Pick<ScenarioSource, 'file' | 'locate'>, path: FieldPath, message: string, hint?: string): { file: string; line: number; column: number; field: string; message: string } {
  const { line, column } = src.locate(path);
  const field = formatPath(path);
  return { file: src.file, line, column, field, message: `${src.file}:${line}:${column}: warning: ${field}: ${message}${hint ? ` (${hint})` : ''}` };
}
