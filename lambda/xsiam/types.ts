/** Credentials for the XSIAM public API, as stored in the secret. Never log or echo these. */
export interface XsiamCredentials {
  /** Tenant FQDN (`acme.xdr.us.paloaltonetworks.com`, giving `https://api-acme...`) or a full API base URL. */
  readonly tenant: string;
  readonly apiKeyId: string;
  readonly apiKey: string;
  readonly keyType: 'standard' | 'advanced';
}

// The pipeline's own types, re-exported so importers of this module keep working.
export type { QueryResult, TimeWindow, XqlRow } from '../pipeline-types.js';
