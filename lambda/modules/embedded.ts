/** The hunts the Lambda bundle carries: every card of hunts/ embedded at build time, with its module. */
import { EMBEDDED_CARDS } from '../hunts/index.js';
import { huntModules } from './registry.js';
import type { HuntModule } from './types.js';

export const EMBEDDED_HUNTS: readonly HuntModule[] = huntModules(EMBEDDED_CARDS);
