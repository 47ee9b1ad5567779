/** xdr_data rows of the confirmation query → TargetEvents. A row without an id or time is skipped and reported. */
import type { XqlRow } from '../xsiam/index.js';
import { ipList } from './target.js';
import type { TargetEvent } from './types.js';

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : null);

function epoch(v: unknown): number | null {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && /^\d+$/.test(v)) return Number(v);
  return null;
}

/** The usable rows as TargetEvents, and a line per row that could not be used. */
export function toTargetEvents(rows: readonly XqlRow[]): { events: TargetEvent[]; problems: string[] } {
  const events: TargetEvent[] = [];
  const problems: string[] = [];
  rows.forEach((row, i) => {
    const eventId = str(row.event_id);
    const time = epoch(row._time);
    if (eventId === null || time === null) {
      problems.push(`confirmation row ${i}: ${eventId === null ? 'no event_id' : 'no readable _time'}; skipped`);
      return;
    }
    events.push({
      eventId,
      time,
      agentId: str(row.agent_id),
      agentHostname: str(row.agent_hostname),
      agentIps: [...ipList(row.agent_ip_addresses), ...ipList(row.agent_ip_addresses_v6)],
      process: str(row.action_process_image_name),
      processPath: str(row.action_process_image_path),
      commandLine: str(row.action_process_image_command_line),
      user: str(row.action_process_username),
    });
  });
  return { events, problems };
}
