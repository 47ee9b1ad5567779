/**
 * What a local run found, sorted into what the analyst reads: pairs notified, held below the
 * minimum severity, suppressed by the allowlist, and due but not sent (a failed publish).
 */
import { SEVERITIES, severityAtLeast, type Severity, type TrackedFinding } from '../../lambda/finding.js';

export interface EventsFacts {
  readonly file: string;
  readonly format: 'jsonl' | 'json-array';
  readonly rows: number;
  readonly badLines: number;
  /** Rows in the hunt's `fields` shape, taken as already filtered by the hunt's query. */
  readonly fieldsShaped: number;
}

/** What the run was asked to do, for the summary and the JSON document. */
export interface RunFacts {
  readonly variant: string;
  readonly minSeverity: Severity;
  /** `bundled` or the path given with --allowlist. */
  readonly allowlistSource: string;
  readonly allowlistEntries: number;
  /** Null for the bundled sample day and for a real tenant. */
  readonly events: EventsFacts | null;
  /** Where notifications went: the console, or an SNS topic ARN. */
  readonly sink: string;
  /** Shadow mode: the due pairs not sent are the ones the run would have sent. @default false */
  readonly shadow?: boolean;
}

export interface RunPairs {
  readonly notified: TrackedFinding[];
  readonly belowMin: TrackedFinding[];
  readonly suppressed: TrackedFinding[];
  /** At or above the minimum, not suppressed, and not notified: the sink refused them or time ran out. */
  readonly unsent: TrackedFinding[];
}

/** Most severe first, then highest risk, then source and target for a stable order. */
export function byUrgency(a: TrackedFinding, b: TrackedFinding): number {
  return SEVERITIES.indexOf(b.severity) - SEVERITIES.indexOf(a.severity)
    || b.riskScore - a.riskScore
    // equally urgent: the story's beginning first (an intrusion's first pivot before its later ones)
    || a.firstSeen - b.firstSeen
    || a.sourceHost.localeCompare(b.sourceHost) || a.targetHost.localeCompare(b.targetHost);
}

/** Sorts the due pairs of a run (as the store judged them) against what was notified. */
export function classifyPairs(due: Iterable<TrackedFinding>, notified: readonly TrackedFinding[], minSeverity: Severity): RunPairs {
  const sent = new Set(notified.map((f) => f.fingerprint));
  const pairs: RunPairs = { notified: [...notified], belowMin: [], suppressed: [], unsent: [] };
  for (const f of due) {
    if (sent.has(f.fingerprint)) continue;
    if (f.suppressed) pairs.suppressed.push(f);
    else if (!severityAtLeast(f.severity, minSeverity)) pairs.belowMin.push(f);
    else pairs.unsent.push(f);
  }
  for (const list of Object.values(pairs) as TrackedFinding[][]) list.sort(byUrgency);
  return pairs;
}
