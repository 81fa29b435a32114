/** XML for GPX, KML and CoT: @xmldom/xmldom, with errors that name the line and column. */
import { DOMParser, type Document, type Element } from '@xmldom/xmldom';
import { fileError } from './source.js';

/** Parse XML text; a malformed document is a ScenarioError at the line and column of the fault. */
export function parseXml(text: string, file: string): Document {
  let firstError: string | undefined;
  const parser = new DOMParser({
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


