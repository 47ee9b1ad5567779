/**
 * The triage table: one line per pair — source → target, severity, score, what ran — sorted by
 * severity then risk and grouped by source host (a host's pairs follow its most urgent one).
 */
import type { TrackedFinding } from '../../lambda/finding.js';
import { lateNotice } from '../../lambda/notify/index.js';
import { byUrgency, type RunPairs } from './run-report.js';

const WIDTH = 160;

/** One line of text: control, bidi and zero-width characters shown as [U+XXXX], tabs as spaces. */
export function oneLine(text: string): string {
  return text.replace(/\t/g, ' ').replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g,
    (c) => `[U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}]`);
}

/** Groups by source host; groups ordered by their most urgent pair, pairs inside by urgency. */
export function groupBySource(findings: readonly TrackedFinding[]): TrackedFinding[] {
  const groups = new Map<string, TrackedFinding[]>();
  for (const f of [...findings].sort(byUrgency)) {
    const key = f.sourceHost.toLowerCase();
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  return [...groups.values()].flat();
}

function row(f: TrackedFinding, note = ''): string {
  const pair = oneLine(`${f.sourceHost} → ${f.targetHost}`);
  const ran = oneLine(f.remoteCommand ?? '(no command on the line)');
  const line = `  ${f.severity.toUpperCase().padEnd(8)} ${String(f.riskScore).padStart(4)}  ${pair.padEnd(34)} ${ran}${note}`;
  const late = lateNotice(f);
  // Its own line, so a long command cannot cut it off: the events reached XSIAM late (a laptop off the network).
  return `${line.length > WIDTH ? `${line.slice(0, WIDTH - 1)}…` : line}${late === null ? '' : `\n${' '.repeat(16)}↳ ${late} (its events reached XSIAM late)`}`;
}

function table(title: string, findings: readonly TrackedFinding[], note: (f: TrackedFinding) => string = () => ''): string[] {
  if (findings.length === 0) return [];
  let lastSource = '';
  const lines = ['', title, `  ${'SEVERITY'.padEnd(8)} ${'RISK'.padStart(4)}  ${'SOURCE → TARGET'.padEnd(34)} WHAT RAN`];
  for (const f of groupBySource(findings)) {
    if (lastSource !== '' && f.sourceHost.toLowerCase() !== lastSource) lines.push('');
    lastSource = f.sourceHost.toLowerCase();
    lines.push(row(f, note(f)));
  }
  return lines;
}

/** The triage tables: notified pairs; with `all`, the held and suppressed ones too. */
export function formatTriage(pairs: RunPairs, show: 'notified' | 'all', minSeverity: string, shadow = false): string {
  const lines = table(`Notified host pairs (${pairs.notified.length}), most urgent first, grouped by source host:`, pairs.notified);
  if (pairs.notified.length === 0) lines.push('', shadow ? 'Shadow mode: nothing was sent in this run.' : 'No host pair was notified in this run.');
  // In shadow mode a due pair that was not sent is one the run would have sent: nothing failed.
  lines.push(...table(shadow
    ? `Would have sent (${pairs.unsent.length}), most urgent first; shadow mode sent nothing, and they stay new for a live run:`
    : `NOT SENT — the notification failed (${pairs.unsent.length}); they stay PENDING for the next run:`, pairs.unsent));
  if (show === 'all') {
    lines.push(...table(`Held below the minimum severity ${minSeverity} (${pairs.belowMin.length}):`, pairs.belowMin));
    lines.push(...table(`Suppressed by the allowlist (${pairs.suppressed.length}):`, pairs.suppressed,
      (f) => (f.suppressed ? `   [allowlist: ${oneLine(f.suppressed.entryId)}]` : '')));
  }
  return `${lines.join('\n')}\n`;
}
