import type { Severity } from '../finding.js';

/** One ATT&CK mapping row of a hunt. */
export interface AttackMapping {
  readonly tacticId: string;
  readonly tactic: string;
  readonly techniqueId: string;
  readonly technique: string;
}

/** Which XQL text of a hunt to run. */
export const QUERY_VARIANTS = ['seed', 'broadened'] as const;
export type QueryVariant = (typeof QUERY_VARIANTS)[number];

/** A hunt as the product runs it: its XQL and everything an analyst needs to act on a hit. */
export interface HuntDefinition {
  readonly id: string;
  /** The XQL's `// Title:` comment, else the card's `# ` heading. */
  readonly title: string;
  readonly version: string;
  readonly description: string;
  /** Base risk score from the specification, before the detector's adjustments. */
  readonly riskScore: number;
  readonly severity: Severity;
  readonly falsePositiveRate: 'low' | 'medium' | 'high';
  readonly attack: readonly AttackMapping[];
  readonly queries: Readonly<Record<QueryVariant, string>>;
  readonly falsePositives: readonly string[];
  readonly responseActions: readonly string[];
  readonly references: readonly string[];
  /** The card's `## Finding Keys`; null or absent: host and command line, else event_id. */
  readonly keyFields?: readonly string[] | null;
  /** The card the hunt was read from (`hunts/<ID>.md`); absent for a definition built in code. */
  readonly file?: string;
}
