/** Options of `npm run hunt` (the `run` command), parsed and validated up front. */
import { parseArgs } from 'node:util';
import { SEVERITIES, type Severity } from '../../lambda/finding.js';
import { QUERY_VARIANTS, type QueryVariant } from '../../lambda/hunts/index.js';

export interface RunOptions {
  readonly eventsFile: string | null;
  readonly stateDir: string;
  readonly from: number | null;
  readonly to: number | null;
  readonly output: 'text' | 'json';
  readonly variant: QueryVariant;
  readonly snsTopicArn: string | null;
  /** Overrides the run settings' minimum severity (a preview of tuning). Null: the default. */
  readonly minSeverity: Severity | null;
  /** A local allowlist file used instead of the bundled one, validated the same way. */
  readonly allowlistFile: string | null;
  /** `notified`: the triage table lists notified pairs; `all`: also below-minimum and suppressed ones. */
  readonly show: 'notified' | 'all';
  /** Print each notification in full after the triage table. */
  readonly details: boolean;
  /** Consent to a run of more than MAX_QUERIES_WITHOUT_YES queries. */
  readonly yes: boolean;
  /** Shadow mode: a full run that sends nothing and reports `wouldNotify`. */
  readonly shadow: boolean;
  /** The bundled sample day, asked for by name: the only way it reaches an SNS topic (marked SAMPLE). */
  readonly sample: boolean;
  /** `--hunt ID`: run only this hunt of hunts/. Null: every hunt. */
  readonly hunt: string | null;
}

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Above this many queries a run asks for --yes (a year back is 1,461 queries at the default window). */
export const MAX_QUERIES_WITHOUT_YES = 20;
/** How far ahead of this machine's clock --from/--to may be (clock skew), in ms. */
export const FUTURE_SLACK_MS = 60_000;
/** The earliest time accepted: XSIAM did not exist before, and earlier values are typos. */
const EARLIEST = Date.UTC(2000, 0, 1);

export const RUN_USAGE = `usage: npm run hunt [-- run] [options]
  --events FILE        hunt over your own xdr_data rows instead of the bundled sample day:
                       JSONL or a JSON array; _time as epoch ms, ISO 8601 or "YYYY-MM-DD HH:MM:SS.mmm UTC"
  --state DIR          embedded state store folder (default .hunt-state)
  --from T --to T      window to hunt (ISO 8601 or epoch ms); default: the whole sample day or file
  --output text|json   json: stdout is one JSON document (summary + notifications)
  --min-severity low|medium|high|critical   notify from this severity (default high)
  --allowlist FILE     try this allowlist instead of the bundled one (validated like it)
  --show notified|all  all: also list pairs held below the minimum or suppressed (with the entry)
  --details            print every notification in full after the triage table
  --variant seed|broadened   which XQL to run (default seed, the specification's query)
  --yes                run even when the window needs more than ${MAX_QUERIES_WITHOUT_YES} queries
  --sns-topic ARN      publish to this real SNS topic (AWS credentials from the usual chain); needs a
                       tenant (below), --events FILE, or --sample
  --sample             hunt the bundled fictional sample day (the default without a tenant or --events);
                       with --sns-topic its messages are marked SAMPLE
  --shadow             shadow mode: count what would be notified (wouldNotify), send nothing
  --hunt ID            run only this hunt of hunts/ (default: every hunt, the flagship first)
Real tenant: set XSIAM_TENANT, XSIAM_API_KEY_ID, XSIAM_KEY_TYPE and XSIAM_API_KEY_FILE (a file holding
the key) or XSIAM_API_KEY; never put the key on the command line.`;

export function parseRunOptions(args: readonly string[], now: number = Date.now()): RunOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...args],
      strict: true,
      allowPositionals: false,
      options: {
        events: { type: 'string' }, state: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' },
        output: { type: 'string' }, variant: { type: 'string' }, 'sns-topic': { type: 'string' },
        'min-severity': { type: 'string' }, allowlist: { type: 'string' }, show: { type: 'string' },
        details: { type: 'boolean' }, yes: { type: 'boolean' },
        shadow: { type: 'boolean' }, sample: { type: 'boolean' },
        hunt: { type: 'string' },
      },
    }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const output = values.output ?? 'text';
  if (output !== 'text' && output !== 'json') throw new UsageError(`--output must be text or json (got "${output}")`);
  const variant = values.variant ?? 'seed';
  if (!(QUERY_VARIANTS as readonly string[]).includes(variant)) throw new UsageError(`--variant must be one of ${QUERY_VARIANTS.join(', ')} (got "${variant}")`);
  const minSeverity = values['min-severity'] ?? null;
  if (minSeverity !== null && !(SEVERITIES as readonly string[]).includes(minSeverity)) {
    throw new UsageError(`--min-severity must be one of ${SEVERITIES.join(', ')} (got "${minSeverity.slice(0, 40)}")`);
  }
  const show = values.show ?? 'notified';
  if (show !== 'notified' && show !== 'all') throw new UsageError(`--show must be notified or all (got "${show.slice(0, 40)}")`);
  const from = values.from === undefined ? null : parseTime('--from', values.from, now);
  const to = values.to === undefined ? null : parseTime('--to', values.to, now);
  if (from !== null && to !== null && from >= to) throw new UsageError('--from must be before --to');
  const topic = values['sns-topic'] ?? null;
  if (topic !== null && !/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[\w-]{1,256}$/.test(topic)) throw new UsageError('--sns-topic must be an SNS topic ARN');
  return {
    eventsFile: values.events ?? null, stateDir: values.state ?? '.hunt-state', from, to, output,
    variant: variant as QueryVariant, snsTopicArn: topic,
    minSeverity: minSeverity as Severity | null, allowlistFile: values.allowlist ?? null, show,
    details: values.details ?? false, yes: values.yes ?? false,
    shadow: values.shadow === true, sample: values.sample === true,
    hunt: values.hunt ?? null,
  };
}

/** A time option: ISO 8601 or epoch ms, from 2000 up to a minute past now (a hunt cannot see the future). */
export function parseTime(flag: string, value: string, now: number): number {
  const shown = value.slice(0, 40);
  const ms = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  if (!Number.isFinite(ms)) throw new UsageError(`${flag} must be an ISO 8601 time or epoch milliseconds (got "${shown}")`);
  if (ms < EARLIEST || ms > 8.64e15) throw new UsageError(`${flag} is out of range (got "${shown}"): give a time from 2000-01-01 to now`);
  if (ms > now + FUTURE_SLACK_MS) {
    throw new UsageError(`${flag} ${new Date(ms).toISOString()} is in the future (now is ${new Date(now).toISOString()}): a hunt can only read events that happened`);
  }
  return ms;
}
