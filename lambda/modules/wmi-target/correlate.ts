/**
 * Which wmic pair explains a WmiPrvSE.exe child: a `wmic /node:<target> process call create <cmd>`
 * launch the WMIC hunt sees, whose target is the child's host, whose command is the child's
 * command line (as Windows runs it), and which started within the confirmation range before the
 * child (the same range the WMIC hunt's target confirmation uses: lambda/confirm/range.ts).
 */
import { DEFAULT_TIMING, parseTarget, sameCommand, targetMatchesAgent, type ConfirmTiming } from '../../confirm/index.js';
import { analyzeCommandLine } from '../../detect/index.js';
import type { XqlRow } from '../../pipeline-types.js';

/** One remote wmic launch of the query's rows. */
export interface WmicLaunch {
  readonly sourceHost: string;
  readonly eventId: string | null;
  readonly time: number;
  readonly targets: readonly string[];
  readonly remoteCommand: string;
}

/** The remote wmic launches among `rows` (rows that are not one are left to the caller). */
export function wmicLaunches(rows: readonly XqlRow[]): WmicLaunch[] {
  const launches: WmicLaunch[] = [];
  for (const row of rows) {
    const a = analyzeCommandLine(row);
    if (!a.remoteExec || a.remoteCommand === null || a.time === null) continue;
    launches.push({ sourceHost: a.sourceHost ?? '', eventId: a.eventId, time: a.time, targets: a.remoteTargets, remoteCommand: a.remoteCommand });
  }
  return launches;
}

/** The launch that explains a child started on `host` at `time` running `commandLine`; null when none does. */
export function explainingLaunch(
  launches: readonly WmicLaunch[], child: { readonly host: string; readonly time: number; readonly commandLine: string },
  timing: ConfirmTiming = DEFAULT_TIMING,
): WmicLaunch | null {
  const agent = { hostname: child.host, ips: [] };
  return launches.find((l) =>
    child.time >= l.time - timing.skewMs && child.time <= l.time + timing.followMs
    && l.targets.some((t) => targetMatchesAgent(parseTarget(t), agent))
    && sameCommand(l.remoteCommand, child.commandLine)) ?? null;
}
