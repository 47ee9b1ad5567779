/** The cards of hunts/ on this machine: reading, embedding, validating. What other folders may use. */
export { readCardSources, localHunts, embeddedUpToDate, embeddedModuleText, testFileOf, cardName, HUNTS_DIR, REPO_ROOT, EMBEDDED_MODULE } from './sources.js';
