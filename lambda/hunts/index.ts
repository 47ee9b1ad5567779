export { WMIC_REMOTE_EXEC, SEED_XQL, BROADENED_XQL } from './wmic-remote-exec.js';
export { QUERY_VARIANTS, type QueryVariant, type HuntDefinition, type AttackMapping } from './types.js';
export { parseCard, REQUIRED_SECTIONS, type HuntCard } from './card.js';
export { definitionOf } from './definition.js';
export { EMBEDDED_CARDS } from './cards.generated.js';
export type { CardSource } from './card-source.js';
export { HuntsError, CardError, HuntRegistryError, formatCardProblem, type CardProblem } from './errors.js';
