/** The cards of hunts/ on this machine: reading, embedding, validating. What other folders may use. */
export { readCardSources, localHunts, embeddedUpToDate, embeddedModuleText, testFileOf, cardName, HUNTS_DIR, REPO_ROOT, EMBEDDED_MODULE } from './sources.js';
export { checkCard, type CardCheck } from './validate.js';
export { checkHunts, type CheckReport } from './check-all.js';
export { parseTestRows, runTestRows, type TestRow, type TestFailure, type RowExpectation } from './card-tests.js';
