/**
 * Text from outside (a scenario's names and texts, file names, live input, CoT uids) made safe
 * for where it goes. One function per target, used by every face that writes to it:
 *
 * - `terminalLine`: one line on a terminal (error lines, warnings, a cell of the terminal UI);
 * - `terminalText`: text of several lines on a terminal (standard output and error as a whole);
 * - `xmlText`: XML character data and attribute values (KML, CoT), well-formed XML 1.0;
 * - `htmlText`: HTML text and attribute values;
 * - `markdownText`, `markdownParagraphs`, `markdownCode`: Markdown inline text, paragraphs and code spans;
 * - `yamlQuoted`, `yamlComment`: a YAML double-quoted scalar and a YAML comment's text.
 *
 * A control character is never passed on: it is written as a visible escape (`\u001b`, `\n`,
 * `\t`, `\r`; the JSON notation, so that escaping NDJSON on its way to a terminal keeps it valid
 * JSON of the same value). The controls are C0 (ESC, BEL, CR, NUL …), DEL, C1 (U+0080–U+009F:
 * some terminals take U+009B as a CSI and U+009D as an OSC, which sets the window title), the
 * Unicode line and paragraph separators, and the bidirectional overrides and isolates (which
 * reorder what a terminal or page shows). A lone UTF-16 surrogate, which no UTF-8 file can carry,
 * is written the same way. Escaping is idempotent: its output holds no control character.
 *
 * Pure (core): no I/O.
 */

/** Every character `terminalLine` escapes. */

const CONTROL = /[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
/** The same without line feed and tab (text of several lines). */

const CONTROL_BUT_LF_TAB =
  /[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

const SHORT: Record<string, string> = { '\n': '\\n', '\t': '\\t', '\r': '\\r' };

/** The visible form of one control character. */
export function escapeControl(c: string): string {
  return SHORT[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/** Whether `s` holds a character the escapes here never let through. */
export function hasControl(s: string): boolean {
  CONTROL.lastIndex = 0;
  const r = CONTROL.test(s);
  CONTROL.lastIndex = 0;
  return r;
}

/** Printable ASCII only (and line feeds and tabs): nothing to escape, found far faster than by the patterns above. */
const PLAIN_LINE = /^[\x20-\x7e]*$/;
const PLAIN_TEXT = /^[\x20-\x7e\n\t]*$/;

/** One line on a terminal: every control character (line breaks too) escaped. */
export function terminalLine(s: string): string {
  return PLAIN_LINE.test(s) ? s : s.replace(CONTROL, escapeControl);
}

/** Text of several lines on a terminal: control characters escaped, line feeds and tabs kept. */
export function terminalText(s: string): string {
  return PLAIN_TEXT.test(s) ? s : s.replace(CONTROL_BUT_LF_TAB, escapeControl);
}

const XML_ENTITY: Record<string, string> = { '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' };

/** XML character data or an attribute value: markup characters as entities, controls escaped (XML 1.0 cannot carry most of them at all). */
export function xmlText(s: string): string {
  return terminalLine(s).replace(/[<>&"']/g, (c) => XML_ENTITY[c]);
}

const HTML_ENTITY: Record<string, string> = { '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&#39;' };

/** HTML text or an attribute value (quoted): markup characters as entities, controls escaped. */
export function htmlText(s: string): string {
  return terminalLine(s).replace(/[<>&"']/g, (c) => HTML_ENTITY[c]);
}

/**
 * Markdown inline text: a line break (with the spaces around it) becomes one space, other
 * controls are escaped, and the characters through which Markdown would make markup, a link or
 * HTML of it (`<`, `>`, `[`, `]`, `` ` ``, `|`, `\`) are backslash-escaped, so a name like `<script>` or `[x](javascript:…)` shows as written and does
 * nothing. Emphasis (`*`, `_`) is left: an id like `convoy_1` reads as written. Safe in a table cell.
 */
export function markdownText(s: string): string {
  return terminalLine(s.replace(/[^\S\n\r]*[\r\n]+[^\S\n\r]*/g, ' ')).replace(/[\\`[\]<>|]/g, '\\$&');
}

/**
 * Paragraphs of Markdown from outside (a scenario's description): each paragraph as
 * `markdownText`, and a start that would make it a heading, list or rule (`#`, `-`, `+`, `=`,
 * `1.`) escaped; paragraphs stay apart.
 */
export function markdownParagraphs(s: string): string {
  return s
    .split(/\r?\n[^\S\r\n]*\r?\n\s*/)
    .map((p) =>
      markdownText(p.trim())
        .replace(/^([#+=*_-])/, '\\$1')
        .replace(/^(\d+)([.)])/, '$1\\$2'),
    )
    .filter(Boolean)
    .join('\n\n');
}

/** A Markdown code span holding `s` (fenced with more backticks than any run inside it). */
export function markdownCode(s: string): string {
  const t = terminalLine(s.replace(/[\r\n]+/g, ' '));
  let longest = 0;
  for (const m of t.matchAll(/`+/g)) longest = Math.max(longest, m[0].length);
  const fence = '`'.repeat(longest + 1);
  const pad = t.startsWith('`') || t.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${t}${pad}${fence}`;
}

/**
 * A YAML double-quoted scalar that reads back as exactly `s`: `"` and `\` escaped, every control
 * character (and a lone surrogate) as a YAML escape.
 */
export function yamlQuoted(s: string): string {
  return `"${s.replace(/["\\]/g, '\\$&').replace(CONTROL, escapeControl)}"`;
}

/** Text for a YAML comment: one line (a line break would end the comment and start YAML). */
export function yamlComment(s: string): string {
  return terminalLine(s);
}
