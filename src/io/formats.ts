/** The export formats, on their own so the command line can list them without loading the exporters. */
export const EXPORT_FORMATS = ['geojson', 'kml', 'cot'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
