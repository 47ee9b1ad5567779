/** Hunt modules: the registry, the card-only detector. What other folders may use. */
export { huntModules, huntById, HUNT_EXTENSIONS, DEFAULT_HUNT_ID } from './registry.js';
export { createCardDetector, keyFieldsOf, DEFAULT_KEY_FIELDS } from './card-detector.js';
export { EMBEDDED_HUNTS } from './embedded.js';
export type { HuntModule, HuntExtension, CardSource } from './types.js';
