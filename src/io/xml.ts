/** XML for GPX, KML and CoT: @xmldom/xmldom, with errors that name the line and column. */
import { createRequire } from 'node:module';
import type { Document, Element } from '@xmldom/xmldom';
import { fileError, lineColAt } from './source.js';

/**
 * xmldom, loaded (from node_modules, not the bundle) when XML is first read: most runs read no
 * GPX, KML or CoT, and its evaluation (a frozen table of every HTML entity) cost every start-up
 * about 30 ms.
 */
let loaded: typeof import('@xmldom/xmldom') | undefined;
const xmldom = () => (loaded ??= createRequire(import.meta.url)('@xmldom/xmldom') as typeof import('@xmldom/xmldom'));

/** Deepest element nesting read (GPX needs 4, KML a dozen or so; a DOM and togeojson recurse into it). */
export const MAX_XML_DEPTH = 200;
/**
 * Most elements read. A DOM costs over a kilobyte per node, so 7.6 MiB of empty elements would
 * take gigabytes; a GPX track point is about three elements, so this allows some 130,000 points,
 * more than the 8 MiB format limit holds.
 */
export const MAX_XML_ELEMENTS = 400_000;

/**
 * Nesting and element count, in one pass over the text before any parser sees it (comments,
 * CDATA, processing instructions, declarations and quoted attribute values are skipped).
 */
function checkShape(text: string, file: string): void {
  let depth = 0;
  let elements = 0;
  const fault = (at: number, message: string, hint: string) => {
    const lc = lineColAt(text, at);
    return fileError(file, lc.line, lc.column, message, hint);
  };
  for (let i = text.indexOf('<'); i >= 0; i = text.indexOf('<', i + 1)) {
    const next = text.charCodeAt(i + 1);
    if (next === 33 /* ! */) {
      const end = text.startsWith('<!--', i)
        ? text.indexOf('-->', i + 4)
        : text.startsWith('<![CDATA[', i)
          ? text.indexOf(']]>', i + 9)
          : text.indexOf('>', i + 2);
      if (end < 0) return; // the parser reports it
      i = end;
      continue;
    }
    if (next === 63 /* ? */) {
      const end = text.indexOf('?>', i + 2);
      if (end < 0) return;
      i = end;
      continue;
    }
    // A tag: find its end outside quoted attribute values.
    let j = i + 1;
    let quote = 0;
    for (; j < text.length; j++) {
      const c = text.charCodeAt(j);
      if (quote) {
        if (c === quote) quote = 0;
      } else if (c === 34 || c === 39) quote = c;
      else if (c === 62 /* > */) break;
    }
    if (j >= text.length) return;
    if (next === 47 /* / */) depth = Math.max(0, depth - 1);
    else {
      if (++elements > MAX_XML_ELEMENTS)
        throw fault(i, `the file has more than ${MAX_XML_ELEMENTS.toLocaleString('en')} elements`, 'split it, or convert the track to CSV (unit,time,lat,lon)');
      if (text.charCodeAt(j - 1) !== 47 /* self-closing */ && ++depth > MAX_XML_DEPTH) {
        throw fault(i, `elements nest more than ${MAX_XML_DEPTH} deep here`, 'GPX and KML files nest a few levels; this is not a file a mapping tool wrote');
      }
    }
    i = j;
  }
}

/** Parse XML text; a malformed document is a ScenarioError at the line and column of the fault. */
export function parseXml(text: string, file: string): Document {
  checkShape(text, file);
  let firstError: string | undefined;
  const parser = new (xmldom().DOMParser)({
    onError: (level, msg) => {
      if (level === 'warning') return;
      firstError ??= msg;
      // Entity and structure errors stop parsing; their position is on the thrown ParseError.
      throw new Error(msg);
    },
  });
  let doc: Document;
  try {
    doc = parser.parseFromString(text, 'text/xml');
  } catch (e) {
    const loc = (e as { locator?: { lineNumber?: number; columnNumber?: number } }).locator;
    const msg = (firstError ?? (e as Error).message).split('\n')[0].replace(/^\[xmldom \w+\]\s*/, '');
    throw fileError(file, loc?.lineNumber ?? 1, loc?.columnNumber ?? 1, `malformed XML: ${msg}`);
  }
  if (!doc.documentElement) throw fileError(file, 1, 1, 'malformed XML: no root element');
  return doc;
}

/** Where an element starts in its file. */
export function at(el: Element | null | undefined): { line: number; column: number } {
  return { line: (el as { lineNumber?: number } | null)?.lineNumber ?? 1, column: (el as { columnNumber?: number } | null)?.columnNumber ?? 1 };
}

/** Elements by local name (any namespace prefix), in document order. */
export function elements(root: Document | Element, localName: string): Element[] {
  const out: Element[] = [];
  const all = root.getElementsByTagName('*');
  for (let i = 0; i < all.length; i++) {
    const el = all[i];
    if ((el.localName ?? el.nodeName.replace(/^.*:/, '')) === localName) out.push(el);
  }
  return out;
}

/** Direct child elements by local name. */
export function children(el: Element, localName: string): Element[] {
  const out: Element[] = [];
  for (let n = el.firstChild; n; n = n.nextSibling) {
    if (n.nodeType === 1 && ((n as Element).localName ?? n.nodeName.replace(/^.*:/, '')) === localName) out.push(n as Element);
  }
  return out;
}

/** Text of the first child element with this local name. */
export function childText(el: Element, localName: string): string | undefined {
  const c = children(el, localName)[0];
  return c?.textContent?.trim() || undefined;
}
