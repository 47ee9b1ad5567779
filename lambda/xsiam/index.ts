/** What other folders may use from the XSIAM client. */
export { XsiamClient, createXsiamClient } from './client.js';
export type { XsiamClientOptions } from './options.js';
export { signAdvanced, authHeaders, randomNonce } from './auth.js';
export { xsiamBaseUrl } from './base-url.js';
export { checkTenantHost, DOCUMENTED_TENANT_HOST_PATTERN, tenantHostPatternProblem, type TenantHostPolicy } from './tenant-host.js';
export { ENDPOINTS_PAGE_SIZE, type EndpointFilterField, type XsiamEndpoint } from './endpoints.js';
export { isEventTime, toEpochMs, utcFields } from './rows.js';
export {
  XsiamError,
  XsiamAuthError,
  XqlSyntaxError,
  XqlQueryFailedError,
  XsiamQuotaExceededError,
  XsiamTooManyQueriesError,
  XsiamRateLimitedError,
  XsiamServerError,
  XsiamNetworkError,
  DeadlineExceededError,
  XsiamProtocolError,
  XsiamConfigError,
  XsiamRequestError,
  type XsiamCall,
} from './errors.js';
export type { QueryResult, TimeWindow, XqlRow, XsiamCredentials } from './types.js';
