/** Read any supported file into tracks, shapes and points. */
import { readCsv, type CsvColumns } from './csv.js';
import { dropEndMarkers, type GeoData } from './geodata.js';
import { readGeoJson } from './geojson.js';
import { readGpx } from './gpx.js';
import { readKml } from './kml.js';
import { readCsvFile } from './csv-bytes.js';
import { checkFormatSize, detectFormat, fileError, MAX_FORMAT_BYTES, readText, TRACK_FORMATS, type TrackFormat } from './source.js';

export interface ReadOptions {
  /** The format; by default from the extension, else from the content. */
  format?: TrackFormat;
  /** CSV column names. */
  columns?: CsvColumns;
  /** Name shown in messages (default: the path). */
  displayName?: string;
}

/** Parse text in a known format. */
export function parseGeoText(text: string, format: TrackFormat, file: string, columns?: CsvColumns): GeoData {
  const data =
    format === 'gpx'
      ? readGpx(text, file)
      : format === 'kml'
        ? readKml(text, file)
        : format === 'geojson'
          ? readGeoJson(text, file)
          : readCsv(text, file, columns);
  dropEndMarkers(data);
  return data;
}

/** Read a GPX, KML, GeoJSON or CSV file. Problems are ScenarioErrors naming the file, line and column. */
export function readGeoFile(path: string, opts: ReadOptions = {}): GeoData {
  const name = opts.displayName ?? path;
  // The format from the option or the extension is known before reading, so its limit is checked
  // on the file's size; a format told from the content is checked once the text is read.
  const known = opts.format ?? detectFormat(path, '');
  if (known === 'csv') {
    // A plain CSV is read from its bytes, a chunk at a time (csv-bytes.ts); any other, as text.
    const data = readCsvFile(path, name, opts.columns, MAX_FORMAT_BYTES.csv);
    if (data) {
      dropEndMarkers(data);
      return data;
    }
  }
  const text = readText(path, name, known);
  const format = known ?? detectFormat(path, text);
  if (!format)
    throw fileError(
      name,
      1,
      1,
      'cannot tell what format this file is in',
      `name it .gpx, .kml, .geojson or .csv, or give the format (one of ${TRACK_FORMATS.join(', ')})`,
    );
  if (!known) checkFormatSize(Buffer.byteLength(text), format, name);
  return parseGeoText(text, format, name, opts.columns);
}
