/**
 * The `confirmation` object of the public JSON outputs (SNS `default`, `--output json`): the
 * Confirmation with `time` as ISO 8601. Fields are only ever added, never renamed or dropped.
 * Text here is raw event data: renderers (email, Slack) sanitise it like every other field.
 */
import type { Confirmation, ConfirmationStatus } from './types.js';

/** One-line headline per status, for the email's ON THE TARGET section and the Slack line. */
export const CONFIRMATION_HEADLINES: Readonly<Record<ConfirmationStatus, string>> = {
  confirmed: 'Confirmed: the remote command started on the target',
  'not-seen': 'Not seen: the target reports to XSIAM, but the command did not start there',
  unmanaged: 'Unmanaged: no XSIAM agent on the target (blind spot)',
  unavailable: 'Unavailable: the target side could not be checked',
};

export function confirmationJson(c: Confirmation): Record<string, unknown> {
  return {
    status: c.status, target: c.target, eventId: c.eventId, time: c.time === null ? null : new Date(c.time).toISOString(),
    process: c.process, commandLine: c.commandLine, user: c.user, agentId: c.agentId, agentHostname: c.agentHostname,
    detail: c.detail,
  };
}
