/** The map's country borders: read in io (src/io/borders.ts), where the HTML report reads them too. */
export { bordersFromLines, chunksIn, loadBorders, type BorderSet } from '../../io/borders.js';
