/** The model of what is read from other tools' files lives in the core (the loader uses it); the readers here import it from this name. */
export * from '../core/scenario/geodata.js';
