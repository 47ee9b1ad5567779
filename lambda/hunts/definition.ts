/** A card turned into the definition the pipeline runs: its query variants and what it says. */
import type { HuntCard } from './card.js';
import type { HuntDefinition, QueryVariant } from './types.js';

/**
 * The definition of a card. `variants` are a module's extra XQL texts (the WMIC hunt's
 * broadened query); a variant a hunt does not have runs the card's own query.
 */
export function definitionOf(card: HuntCard, variants: Partial<Record<QueryVariant, string>> = {}): HuntDefinition {
  return {
    id: card.id, title: card.title, version: card.version, description: card.description,
    riskScore: card.riskScore, severity: card.severity, falsePositiveRate: card.falsePositiveRate,
    attack: card.attack, queries: { seed: card.xql, broadened: variants.broadened ?? card.xql },
    falsePositives: card.falsePositives, responseActions: card.responseActions, references: card.references,
    keyFields: card.keyFields, file: card.file,
  };
}
