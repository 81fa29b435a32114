/** The pure core of deconflict: scenario model, geometry, ladder and engine. No terminal code. */
export { ScenarioError, formatPath, didYouMean } from './errors.js';
export { parseScenario, parseMsel, MAX_FILE_BYTES, type Msel } from './load.js';
export { Engine, simulate, type EngineOptions, type TickBatch, type Proposal, type Choice, type Decider } from './engine.js';
export { EVENT_TYPES, eventToJson, eventToNdjson, formatTimelineLine, typeLabel, type SimEvent, type EventType } from './events.js';
export { checkExpectations, type ExpectationResult } from './expect.js';
export { DEFAULT_LADDER, DEFAULT_DOCTRINE, threatScore, describeComposition, briefComposition, rungLevel, RUNG_LABEL } from './ladder.js';
export { RUNGS, CONDITIONS, COMPOSITION_KEYS, scenarioSchema, scenarioJsonSchema } from './schema.js';
export { parsePosition } from './position.js';
export { positionAt, fixIndex } from './track.js';
export { fastClock, realTimeClock, steppedClock, run$, events$, type Clock } from './stream.js';
export { geodesicDistance, geodesicDestination, geodesicAzimuth, sphereDistanceLL, metresPerDegree } from './geo/geodesic.js';
export { CircleZone, PolygonZone, LineZone, levelCrossings, type ZoneShape, type BBox } from './geo/zones.js';
export { parseDistance, parseDuration, parseSpeed, parseTime, formatTime, formatDuration, formatSpan, formatDistance } from './units.js';
export type * from './model.js';
