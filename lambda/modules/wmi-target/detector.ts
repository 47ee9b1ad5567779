/**
 * The target-side WMI hunt's detector: one finding per (target host, child command line) of the
 * processes WmiPrvSE.exe started. The host is the target, where the evidence is. A child that a
 * wmic pair of the same rows explains (correlate.ts) is that pair's evidence: it is kept and
 * counted as suppressed (`wmic-pair`), never notified on its own. wmic rows themselves are dismissed.
 */
import { createHash } from 'node:crypto';
import { capText, matchAllowlist, redactSecrets, scoreOf, UNKNOWN_HOST, type Allowlist } from '../../detect/index.js';
import type { Finding, Suppression, TrackedFinding } from '../../finding.js';
import type { HuntDefinition } from '../../hunts/index.js';
import type { XqlRow } from '../../pipeline-types.js';
import type { DetectionResult, Detector, RowProblem } from '../../ports.js';
import { explainingLaunch, wmicLaunches, type WmicLaunch } from './correlate.js';
import { childReasons } from './reasons.js';

const NAME_MAX = 512;
/** The WMIC hunt, whose pairs explain children (named here only as the owner of the suppression). */
export const WMIC_PAIR_OWNER = 'HuntQuery-Windows-WMIC-RemoteExec';

const text = (v: unknown, max = NAME_MAX): string | null => (typeof v === 'string' && v !== '' ? capText(v, max) : null);
const isChild = (row: XqlRow): boolean => (text(row['actor_process_image_name']) ?? '').toLowerCase().replaceAll('"', '').split('\\').pop()?.trim() === 'wmiprvse.exe';

/** The suppression of a child the launch explains (kept and counted like an allowlisted finding). */
export function explainedBy(launch: WmicLaunch, host: string): Suppression {
  return {
    entryId: 'wmic-pair', owner: WMIC_PAIR_OWNER, expires: '9999-12-31',
    reason: capText(`the wmic pair ${launch.sourceHost} → ${host} explains it (wmic event ${launch.eventId ?? 'unknown'}): evidence of that pair, not a new alert`, 600),
  };
}

/**
 * The suppression of a child a stored wmic pair explains (lambda/run/stages/join.ts): the child
 * joins that pair's incident as its evidence.
 */
export function explainedByStoredPair(pair: TrackedFinding, incidentId: string, child: Finding): Suppression {
  return {
    entryId: 'wmic-pair', owner: WMIC_PAIR_OWNER, expires: '9999-12-31',
    reason: capText(`the wmic pair ${pair.sourceHost} → ${child.host ?? child.targetHost} explains it (incident ${incidentId}): evidence of that pair, joined to its incident, not a new alert`, 600),
  };
}

interface Fold { finding: Finding; readonly eventIds: Set<string>; explained: Suppression | null }

export function createWmiTargetDetector(options: { readonly hunt: HuntDefinition; readonly allowlist: Allowlist }): Detector {
  const { hunt, allowlist } = options;
  return (rows: readonly XqlRow[], now: number): DetectionResult => {
    const problems: RowProblem[] = [];
    const objects = rows.filter((row, i) => {
      const ok = row !== null && typeof row === 'object';
      if (!ok) problems.push({ eventId: null, problem: `row ${i} is not an object` });
      return ok;
    });
    const children = objects.filter(isChild);
    const launches = wmicLaunches(objects.filter((r) => !isChild(r)));
    const folds = new Map<string, Fold>();
    for (const row of children) {
      const eventId = text(row['event_id']);
      const raw = row['action_process_image_command_line'];
      if (typeof raw !== 'string' || raw.trim() === '') {
        problems.push({ eventId, problem: 'a WmiPrvSE.exe child without a command line' });
        continue;
      }
      const host = text(row['agent_hostname']) ?? UNKNOWN_HOST;
      const time = typeof row['_time'] === 'number' ? row['_time'] : now;
      const launch = explainingLaunch(launches, { host, time, commandLine: raw });
      const commandLine = capText(redactSecrets(raw));
      const fingerprint = createHash('sha256').update(`${hunt.id}\n${host.toLowerCase()}\n${commandLine.replace(/\s+/g, ' ').trim().toLowerCase()}`, 'utf8').digest('hex');
      const known = folds.get(fingerprint);
      if (known) {
        if (eventId !== null) known.eventIds.add(eventId);
        // One event nothing explains is enough to make the finding the hunt's own.
        if (launch === null) known.explained = null;
        known.finding = { ...known.finding, firstSeen: Math.min(known.finding.firstSeen, time), lastSeen: Math.max(known.finding.lastSeen, time) };
        continue;
      }
      folds.set(fingerprint, {
        finding: childFinding(hunt, allowlist, row, { host, commandLine, fingerprint, time }, now),
        eventIds: new Set(eventId === null ? [] : [eventId]), explained: launch === null ? null : explainedBy(launch, host),
      });
    }
    const findings = [...folds.values()].map((f) => ({ ...f.finding, eventIds: [...f.eventIds], suppressed: f.finding.suppressed ?? f.explained }));
    return { findings, dismissed: objects.length - children.length, problems, expiredAllowlistEntries: [] };
  };
}

function childFinding(hunt: HuntDefinition, allowlist: Allowlist, row: XqlRow, k: { host: string; commandLine: string; fingerprint: string; time: number }, now: number): Finding {
  const user = text(row['actor_effective_username']) ?? text(row['causality_actor_primary_username']);
  const imageName = text(row['action_process_image_name']);
  const parentImage = text(row['actor_process_image_name']);
  const causalitySha256 = text(row['causality_actor_process_image_sha256']);
  const reasons = childReasons({ imageName, imagePath: text(row['action_process_image_path'], 2048), commandLine: k.commandLine, user });
  const { riskScore, severity } = scoreOf(hunt.riskScore, reasons);
  const target = k.host.toLowerCase();
  const parentLine = text(row['actor_process_command_line'], 8192);
  const suppressed = matchAllowlist(allowlist, { sourceHost: k.host, targetHost: target, user, parentImage, causalitySha256, remoteCommand: k.commandLine }, now);
  return {
    huntId: hunt.id, fingerprint: k.fingerprint, sourceHost: k.host, targetHost: target, remoteCommand: k.commandLine, commandLine: k.commandLine,
    user, lineUser: null, imageName, parentImage, parentCommandLine: parentLine && capText(redactSecrets(parentLine)),
    causalitySha256, agentId: text(row['agent_id']), eventIds: [], firstSeen: k.time, lastSeen: k.time,
    riskScore, severity, reasons, suppressed, host: k.host,
    keyFields: { agent_hostname: k.host, action_process_image_command_line: k.commandLine },
  };
}
