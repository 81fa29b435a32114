#!/usr/bin/env node
/** The `deconflict` executable: the command tree lives in main.ts (and ./commands/), this file only starts it. */
import { runCli } from './main.js';

runCli();
