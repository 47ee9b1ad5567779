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
  /** Lowest severity notified; null: the run settings' default (high). */
  readonly minSeverity: Severity | null;
}

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export const RUN_USAGE = `usage: npm run hunt [-- run] [options]
  --events FILE        hunt over these xdr_data rows (JSONL) instead of the bundled sample day
  --state DIR          embedded state store folder (default .hunt-state)
  --from T --to T      window to hunt (ISO 8601 or epoch ms); default: the whole sample day or file
  --output text|json   json: stdout is one JSON document (summary + notifications)
  --variant seed|broadened   which XQL to run (default seed, the specification's query)
  --sns-topic ARN      publish to this real SNS topic (AWS credentials from the usual chain)
  --min-severity low|medium|high|critical   lowest severity notified (default high)
Real tenant: set XSIAM_TENANT, XSIAM_API_KEY_ID, XSIAM_API_KEY and XSIAM_KEY_TYPE.`;

export function parseRunOptions(args: readonly string[]): RunOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...args],
      strict: true,
      allowPositionals: false,
      options: {
        events: { type: 'string' }, state: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' },
        output: { type: 'string' }, variant: { type: 'string' }, 'sns-topic': { type: 'string' }, 'min-severity': { type: 'string' },
      },
    }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const output = values.output ?? 'text';
  if (output !== 'text' && output !== 'json') throw new UsageError(`--output must be text or json (got "${output}")`);
  const variant = values.variant ?? 'seed';
  if (!(QUERY_VARIANTS as readonly string[]).includes(variant)) throw new UsageError(`--variant must be one of ${QUERY_VARIANTS.join(', ')} (got "${variant}")`);
  const from = values.from === undefined ? null : parseTime('--from', values.from);
  const to = values.to === undefined ? null : parseTime('--to', values.to);
  if (from !== null && to !== null && from >= to) throw new UsageError('--from must be before --to');
  const minSeverity = values['min-severity'] ?? null;
  if (minSeverity !== null && !(SEVERITIES as readonly string[]).includes(minSeverity)) throw new UsageError(`--min-severity must be one of ${SEVERITIES.join(', ')} (got "${minSeverity.slice(0, 40)}")`);
  const topic = values['sns-topic'] ?? null;
  if (topic !== null && !/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[\w-]{1,256}$/.test(topic)) throw new UsageError('--sns-topic must be an SNS topic ARN');
  return {
    eventsFile: values.events ?? null, stateDir: values.state ?? '.hunt-state', from, to, output,
    variant: variant as QueryVariant, snsTopicArn: topic, minSeverity: minSeverity as Severity | null,
  };
}

function parseTime(flag: string, value: string): number {
  const ms = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  if (!Number.isFinite(ms)) throw new UsageError(`${flag} must be an ISO 8601 time or epoch milliseconds (got "${value.slice(0, 40)}")`);
  return ms;
}
