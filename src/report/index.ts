/**
 * The after-action report: Markdown (default), self-contained HTML with a map picture, or JSON
 * for tools. `buildReport` gathers the data from a run (doctrine's, or a replayed session's);
 * `renderReport` writes it in a format.
 */
import { toHtml } from './html.js';
import { toMarkdown } from './markdown.js';
import type { ReportData } from './model.js';

export { buildReport, REPORT_VERSION, type ReportData, type ReportInput } from './model.js';
export { toMarkdown } from './markdown.js';
export { toHtml } from './html.js';
export { mapSvg } from './svg.js';

export const REPORT_FORMATS = ['md', 'html', 'json'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export function renderReport(data: ReportData, format: ReportFormat): string {
  if (format === 'html') return toHtml(data);
  if (format === 'json') return `${JSON.stringify(data, null, 2)}\n`;
  return toMarkdown(data);
}
