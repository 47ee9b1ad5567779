/** The local XSIAM XQL API server (tests, local runs). */
export { startLocalXsiam, localXqlEngine } from './server.js';
export { loadEventsJsonl, parseEventsJsonl, type JsonlLoad, type JsonlProblem } from './jsonl.js';
export type { LocalXsiam, LocalXsiamOptions, LocalXsiamStats, Fault, FaultControl, XqlEndpoint, LocalApi, XqlEngine, EventRow } from './types.js';
export { XQL_ENDPOINTS, ENDPOINT_STATUSES, type EndpointStatus } from './types.js';
export { endpointsOf, MAX_ENDPOINTS_RESULT } from './endpoints.js';
