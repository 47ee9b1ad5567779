/**
 * The pipeline's own work on one query result, stage by stage, with no I/O: what P1 times and
 * P5 measures. Every stage calls the product's real functions:
 *   parse    lambda/xsiam/stream.ts parseNdjson (split, JSON.parse per line, normaliseRow)
 *   detect   lambda/detect createDetector (the shipped allowlist), as the Lambda wires it
 *   decide   lambda/state validate.ts prepareFindings + dedupe.ts readStoredState/decide over an
 *            in-memory map of known items (what BatchGetItem would have returned)
 *   render   run.ts's candidate filter, then lambda/notify composeFinding for every new pair
 *            at or above the minimum severity (one message per pair, no storm digest)
 */
import { severityAtLeast, type Finding, type TrackedFinding } from '../lambda/finding.js';
import { DEFAULTS, defaultRunSettings } from '../lambda/config.js';
import { DEFAULT_ALLOWLIST, createDetector } from '../lambda/detect/index.js';
import { WMIC_REMOTE_EXEC } from '../lambda/hunts/index.js';
import { composeFinding, type SnsMessage } from '../lambda/notify/index.js';
import type { DetectionResult, NotificationContext } from '../lambda/ports.js';
import { findingKey } from '../lambda/state/keys.js';
import { decide, newFindingRecord, readStoredState, type Decision } from '../lambda/state/dedupe.js';
import { prepareFindings } from '../lambda/state/validate.js';
import { parseNdjson } from '../lambda/xsiam/stream.js';
import type { XqlRow } from '../lambda/pipeline-types.js';
import { PAYLOAD_NOW, PAYLOAD_WINDOW } from './payload.js';

export const SETTINGS = defaultRunSettings();
export const DETECTOR = createDetector({ hunt: WMIC_REMOTE_EXEC, allowlist: DEFAULT_ALLOWLIST });
/** "now" of the benchmark run: just after the payload window. */
export const RUN_NOW = PAYLOAD_NOW + 60_000;

export const CONTEXT: NotificationContext = {
  hunt: WMIC_REMOTE_EXEC,
  window: PAYLOAD_WINDOW,
  runId: 'bench-run-0001',
  totals: { findings: 0, newPairs: 0, repeats: 0, suppressed: 0 },
};

/** The client's redactor finds no secret in a benchmark payload; identity keeps the signature. */
const noSecrets = (text: string): string => text;

export function parseStage(ndjson: string): XqlRow[] {
  return parseNdjson(ndjson, 'bench-query', [], noSecrets).rows;
}

export function detectStage(rows: readonly XqlRow[]): DetectionResult {
  return DETECTOR(rows, RUN_NOW);
}

export interface Decisions {
  readonly created: TrackedFinding[];
  readonly pending: TrackedFinding[];
  readonly repeats: TrackedFinding[];
  /** Known items that need an update (new events or times): DynamoDB would write these. */
  readonly writes: number;
}

export function decideStage(findings: readonly Finding[], known: ReadonlyMap<string, Record<string, unknown>>): Decisions {
  const out: Decisions = { created: [], pending: [], repeats: [], writes: 0 };
  let writes = 0;
  for (const finding of prepareFindings(findings)) {
    const raw = known.get(findingKey(finding.huntId, finding.fingerprint));
    const d: Decision = decide(finding, raw === undefined ? undefined : readStoredState(raw, finding), RUN_NOW, SETTINGS.dedupeWindowMs);
    if (d.kind === 'create') out.created.push(d.tracked);
    else {
      if (d.change !== null) writes++;
      (d.kind === 'pending' ? out.pending : out.repeats).push(d.tracked);
    }
  }
  return { ...out, writes };
}

/** run.ts's selection (this run's verdict, suppressed and below-minimum dropped), then one message per pair. */
export function renderStage(detection: DetectionResult, decisions: Decisions): SnsMessage[] {
  const current = new Map(detection.findings.map((f) => [f.fingerprint, f]));
  const messages: SnsMessage[] = [];
  for (const tracked of [...decisions.created, ...decisions.pending]) {
    const seen = current.get(tracked.fingerprint);
    const f = seen ? { ...tracked, suppressed: seen.suppressed, riskScore: seen.riskScore, severity: seen.severity, reasons: seen.reasons } : tracked;
    if (f.suppressed || !severityAtLeast(f.severity, SETTINGS.minSeverity)) continue;
    messages.push(composeFinding(f, CONTEXT));
  }
  return messages;
}

export interface PipelineOutput {
  readonly rows: number;
  readonly findings: number;
  readonly created: number;
  readonly pending: number;
  readonly repeats: number;
  readonly writes: number;
  readonly messages: number;
}

/** All four stages; `times` (if given) gets each stage's milliseconds. */
export function runPipeline(ndjson: string, known: ReadonlyMap<string, Record<string, unknown>>, times?: Record<string, number>): PipelineOutput {
  let t = performance.now();
  const lap = (stage: string): void => {
    const now = performance.now();
    if (times) times[stage] = (times[stage] ?? 0) + now - t;
    t = now;
  };
  const rows = parseStage(ndjson);
  lap('parse');
  const detection = detectStage(rows);
  lap('detect');
  const decisions = decideStage(detection.findings, known);
  lap('decide');
  const messages = renderStage(detection, decisions);
  lap('render');
  return {
    rows: rows.length, findings: detection.findings.length, created: decisions.created.length, pending: decisions.pending.length,
    repeats: decisions.repeats.length, writes: decisions.writes, messages: messages.length,
  };
}

/** The floor: JSON.parse of every NDJSON line (split on newlines, blank lines skipped), nothing else. */
export function floorParse(ndjson: string): number {
  let n = 0;
  for (const line of ndjson.split('\n')) {
    if (line === '') continue;
    JSON.parse(line);
    n++;
  }
  return n;
}

/**
 * What the table held before this run, as BatchGetItem returns items: of the findings (in
 * fingerprint order) 5 in 10 were notified earlier, 1 in 10 is still PENDING, 1 in 10 expired
 * (counts as absent), the rest are new. Known items carry older event ids, so repeats merge.
 */
export function knownItems(ndjson: string): Map<string, Record<string, unknown>> {
  return knownItemsFromFindings(detectStage(parseStage(ndjson)).findings);
}

export function knownItemsFromFindings(all: readonly Finding[]): Map<string, Record<string, unknown>> {
  const findings = [...all].sort((a, b) => (a.fingerprint < b.fingerprint ? -1 : 1));
  const known = new Map<string, Record<string, unknown>>();
  const earlier = RUN_NOW - 24 * 3_600_000;
  findings.forEach((f, i) => {
    const slot = i % 10;
    if (slot > 6) return;
    const prior: Finding = { ...f, eventIds: [`prior-${i}-a`, `prior-${i}-b`], firstSeen: earlier, lastSeen: earlier };
    const claimedAt = slot === 6 ? RUN_NOW - SETTINGS.dedupeWindowMs - 3_600_000 : earlier;
    const record = newFindingRecord(prior, claimedAt, SETTINGS.dedupeWindowMs);
    const item = { ...record, status: slot === 5 ? 'PENDING' : 'NOTIFIED', notifiedAt: slot === 5 ? null : earlier + 1_000 };
    known.set(record.pk, JSON.parse(JSON.stringify(item)) as Record<string, unknown>);
  });
  return known;
}

export const MIN_SEVERITY = DEFAULTS.minSeverity;
