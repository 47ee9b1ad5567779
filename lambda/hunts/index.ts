export { WMIC_REMOTE_EXEC, SEED_XQL, BROADENED_XQL } from './wmic-remote-exec.js';
export { QUERY_VARIANTS, type QueryVariant, type HuntDefinition, type AttackMapping } from './types.js';
