/**
 * The detector of a card-only hunt: every row the card's XQL returns is a finding, one per key.
 * The key is the card's `## Finding Keys`, else host and command line when the row carries both,
 * else the row's event_id. Risk score and severity are the card's; the allowlist applies as usual.
 */
import { createHash } from 'node:crypto';
import { capText, matchAllowlist, redactSecrets, UNKNOWN_HOST, type Allowlist } from '../detect/index.js';
import type { Finding } from '../finding.js';
import type { HuntDefinition } from '../hunts/index.js';
import type { XqlRow } from '../pipeline-types.js';
import type { DetectionResult, Detector, RowProblem } from '../ports.js';

/** The default key when the row has both fields. */
export const DEFAULT_KEY_FIELDS = ['agent_hostname', 'action_process_image_command_line'] as const;
/** Host names, users and key values are short in real telemetry; a hostile row must not make a record too big to store. */
const NAME_MAX = 512;
const COMMAND_FIELDS = new Set(['action_process_image_command_line', 'actor_process_command_line', 'causality_actor_process_command_line']);

const text = (v: unknown): string | null => {
  if (typeof v === 'string') return v === '' ? null : v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return null;
};

/** A key value as stored and shown: command lines redacted, everything capped. */
function keyValue(field: string, v: unknown): string | null {
  const t = text(v);
  if (t === null) return null;
  return COMMAND_FIELDS.has(field) ? capText(redactSecrets(t)) : capText(t, NAME_MAX);
}

/** The fields that key `row` for `hunt`. */
export function keyFieldsOf(hunt: HuntDefinition, row: XqlRow): readonly string[] {
  if (hunt.keyFields) return hunt.keyFields;
  return DEFAULT_KEY_FIELDS.every((f) => text(row[f]) !== null) ? DEFAULT_KEY_FIELDS : ['event_id'];
}

interface Fold { finding: Finding; readonly eventIds: Set<string> }

export function createCardDetector(options: { readonly hunt: HuntDefinition; readonly allowlist: Allowlist }): Detector {
  const { hunt, allowlist } = options;
  return (rows: readonly XqlRow[], now: number): DetectionResult => {
    const folds = new Map<string, Fold>();
    const problems: RowProblem[] = [];
    for (const row of rows) {
      if (row === null || typeof row !== 'object') {
        problems.push({ eventId: null, problem: 'row is not an object' });
        continue;
      }
      const eventId = text(row['event_id']);
      const fields = keyFieldsOf(hunt, row);
      const key: Record<string, string | null> = {};
      for (const f of fields) key[f] = keyValue(f, row[f]);
      if (Object.values(key).every((v) => v === null)) {
        problems.push({ eventId, problem: `none of the key fields (${fields.join(', ')}) has a value` });
        continue;
      }
      // Host names compare case-insensitively, as everywhere in the product.
      const keyText = fields.map((f) => `${f}=${f === 'agent_hostname' ? key[f]?.toLowerCase() : key[f]}`).join('\n');
      const fingerprint = createHash('sha256').update(`${hunt.id}\n${keyText}`, 'utf8').digest('hex');
      const time = typeof row['_time'] === 'number' ? row['_time'] : now;
      const known = folds.get(fingerprint);
      if (known) {
        if (eventId !== null) known.eventIds.add(capText(eventId, NAME_MAX));
        known.finding = { ...known.finding, firstSeen: Math.min(known.finding.firstSeen, time), lastSeen: Math.max(known.finding.lastSeen, time) };
        continue;
      }
      folds.set(fingerprint, { finding: findingOf(hunt, allowlist, row, key, fingerprint, time, now), eventIds: new Set(eventId === null ? [] : [capText(eventId, NAME_MAX)]) });
    }
    const findings = [...folds.values()].map((f) => ({ ...f.finding, eventIds: [...f.eventIds] }));
    return { findings, dismissed: 0, problems, expiredAllowlistEntries: [] };
  };
}

function findingOf(hunt: HuntDefinition, allowlist: Allowlist, row: XqlRow, key: Record<string, string | null>, fingerprint: string, time: number, now: number): Finding {
  const host = keyValue('agent_hostname', row['agent_hostname']) ?? UNKNOWN_HOST;
  const commandLine = keyValue('action_process_image_command_line', row['action_process_image_command_line']) ?? '';
  const user = keyValue('actor_effective_username', row['actor_effective_username']) ?? keyValue('causality_actor_primary_username', row['causality_actor_primary_username']);
  const parentImage = keyValue('actor_process_image_name', row['actor_process_image_name']);
  const causalitySha256 = keyValue('causality_actor_process_image_sha256', row['causality_actor_process_image_sha256']);
  const suppressed = matchAllowlist(allowlist, {
    sourceHost: host, targetHost: host.toLowerCase(), user, parentImage, causalitySha256, remoteCommand: commandLine,
  }, now);
  return {
    huntId: hunt.id, fingerprint, sourceHost: host, targetHost: host.toLowerCase(), remoteCommand: null, commandLine,
    user, lineUser: null, imageName: keyValue('action_process_image_name', row['action_process_image_name']), parentImage,
    parentCommandLine: keyValue('actor_process_command_line', row['actor_process_command_line']), causalitySha256,
    agentId: keyValue('agent_id', row['agent_id']), eventIds: [], firstSeen: time, lastSeen: time,
    riskScore: hunt.riskScore, severity: hunt.severity, reasons: [], suppressed, host, keyFields: key,
  };
}
