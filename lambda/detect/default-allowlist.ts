/** The allowlist shipped with the code (lambda/hunts/allowlist.json), validated at import. */
import allowlistJson from '../hunts/allowlist.json' with { type: 'json' };
import { loadAllowlist, type Allowlist } from './allowlist.js';

/** Parsed from lambda/hunts/allowlist.json; esbuild bundles the file into the Lambda. */
export const DEFAULT_ALLOWLIST: Allowlist = loadAllowlist(allowlistJson);
