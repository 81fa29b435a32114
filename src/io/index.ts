/** Import from and export to other tools, and live input (docs/import-export.md). */
export { readGeoFile, parseGeoText, type ReadOptions } from './read.js';
export { TRACK_FORMATS, parseFixTime, type TrackFormat } from './source.js';
export type { GeoData, ImportedTrack, ImportedShape, ImportedPoint, Fix } from './geodata.js';
export type { CsvColumns } from './csv.js';
export { trackFromRef, shapeFromRef, type TrackRef, type ShapeRef } from '../core/scenario/refs.js';
export { starterScenario, type StarterInput, type StarterOptions } from './starter.js';
export { RUNG_COLOR, type ExportInput } from './common.js';
export { toGeoJson, toGeoJsonText } from './export-geojson.js';
export { toKml, kmlColor } from './export-kml.js';
export { toCot, toCotText, cotAlert, cotUnitReport, CotUdpSender, parseHostPort, type CotOptions } from './export-cot.js';
export { parseCotEvent, splitCotStream, type CotFix } from './cot-read.js';
export { LiveRun, type LiveOptions, type LiveClock, type LiveStats } from './live.js';
