#!/usr/bin/env node
/** The `deconflict` executable: everything lives in main.ts, this file only starts it. */
import { runCli } from './main.js';

runCli();
