/** What a hunt module is: a card, and what the card cannot say (a detector, target-side evidence). */
import type { TargetEvidenceSource, XsiamEvidenceClient } from '../confirm/index.js';
import type { Allowlist } from '../detect/index.js';
import type { HuntDefinition, QueryVariant } from '../hunts/index.js';
import type { Detector, Log, PairJoin } from '../ports.js';
export type { CardSource } from '../hunts/index.js';

/** The TypeScript beside a card: everything optional; a card without one runs on its own. */
export interface HuntExtension {
  /** The card's ID this module belongs to. */
  readonly id: string;
  /** Extra XQL variants (the WMIC hunt's broadened query). */
  readonly variants?: Partial<Record<QueryVariant, string>>;
  /** @default the card's default keying (lambda/modules/card-detector.ts) */
  readonly detector?: (hunt: HuntDefinition, allowlist: Allowlist) => Detector;
  /** Target-side evidence for the confirm stage. @default none: the stage is skipped */
  readonly evidence?: (client: XsiamEvidenceClient, log: Log) => TargetEvidenceSource;
  /**
   * Stored pairs of another hunt explain this hunt's findings: a finding a stored pair explains
   * joins that pair's incident as its evidence instead of being notified. @default none
   */
  readonly pairJoin?: { readonly pairHuntId: string; readonly suppression: PairJoin['suppression'] };
}

/** A hunt the product runs: its card, the detector to use, and its evidence source if it has one. */
export interface HuntModule {
  readonly card: HuntDefinition;
  readonly detector: (allowlist: Allowlist) => Detector;
  readonly evidence?: (client: XsiamEvidenceClient, log: Log) => TargetEvidenceSource;
  readonly pairJoin?: PairJoin;
}

