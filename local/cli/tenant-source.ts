/**
 * Where a local run's events come from (a real tenant, an events file, or the bundled sample day)
 * and the guard that keeps the fictional sample day off a real SNS topic unless asked for with
 * `--sample`. A tenant configuration that is incomplete or misspelt is named, never silently
 * replaced by the sample day.
 */
import { CLI_ENV, ConfigError, loadCliTenant } from '../../lambda/config.js';
import type { XsiamCredentials } from '../../lambda/xsiam/index.js';
import { RunRefusedError } from './errors.js';
import { tenantEnv } from './run-inputs.js';

/** The key-file variable the CLI reads besides CLI_ENV (run-inputs.ts). */
const KEY_FILE = 'XSIAM_API_KEY_FILE';
const KNOWN: readonly string[] = [...Object.values(CLI_ENV), KEY_FILE];
/** Variables a tenant configuration cannot do without (XSIAM_KEY_TYPE has a default). */
const REQUIRED: readonly (readonly string[])[] = [[CLI_ENV.tenant], [CLI_ENV.apiKeyId], [KEY_FILE, CLI_ENV.apiKey]];

export type EventsSource =
  | { readonly kind: 'tenant'; readonly tenant: string }
  | { readonly kind: 'events-file'; readonly file: string }
  | { readonly kind: 'sample-day' };

export interface SourceChoice {
  readonly tenant: XsiamCredentials | null;
  readonly source: EventsSource;
}

/** Levenshtein distance, capped: names are short, and only distances up to 2 matter. */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const row = [i];
    for (let j = 1; j <= b.length; j += 1) {
      row[j] = Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length] ?? 0;
}

/** Set variables that look like a tenant variable but are not one, each with the name it most likely meant. */
export function nearMisses(env: Readonly<Record<string, string | undefined>>): { name: string; meant: string }[] {
  const found: { name: string; meant: string }[] = [];
  for (const [name, value] of Object.entries(env)) {
    if (!value?.trim() || KNOWN.includes(name)) continue;
    const upper = name.toUpperCase();
    const ranked = KNOWN.map((k) => ({ k, d: distance(upper, k) })).sort((x, y) => x.d - y.d);
    const best = ranked[0];
    if (best === undefined) continue;
    if (best.d <= 2 || (upper.startsWith('XSIAM') && best.d <= 4)) found.push({ name: name.slice(0, 60), meant: best.k });
  }
  return found;
}

function hints(env: Readonly<Record<string, string | undefined>>): string {
  const misses = nearMisses(env);
  return misses.length === 0 ? '' : ` (${misses.map((m) => `${m.name} is set: did you mean ${m.meant}?`).join(' ')})`;
}

function missing(env: Readonly<Record<string, string | undefined>>): string[] {
  return REQUIRED.filter((names) => names.every((n) => !env[n]?.trim())).map((names) => names.join(' or '));
}

/**
 * The tenant (validated) or the local source, refusing the mix-ups an operator can make:
 * `--sns-topic` without a tenant, an events file or `--sample`; `--sample` with a tenant or a file;
 * a tenant configuration with problems (each named once, with any near-miss variable).
 */
export async function chooseSource(
  options: { readonly snsTopicArn: string | null; readonly sample: boolean; readonly eventsFile: string | null },
  rawEnv: Readonly<Record<string, string | undefined>>,
  warn: (text: string) => void,
): Promise<SourceChoice> {
  const env = await tenantEnv(rawEnv);
  const configured = KNOWN.some((n) => rawEnv[n]?.trim());
  const tenantSet = Boolean(rawEnv[CLI_ENV.tenant]?.trim());
  if (options.sample && options.eventsFile !== null) throw new RunRefusedError('--sample and --events both given: choose one source of events');
  if (options.sample && tenantSet) throw new RunRefusedError(`--sample hunts the bundled sample day, but ${CLI_ENV.tenant} is set: unset it, or drop --sample to hunt the tenant`);
  let tenant: XsiamCredentials | null;
  try {
    tenant = loadCliTenant(env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    throw new RunRefusedError(`the XSIAM tenant configuration is incomplete: ${err.problems.join('; ')}${hints(rawEnv)}`);
  }
  if (tenant) return { tenant, source: { kind: 'tenant', tenant: tenant.tenant } };
  const source: EventsSource = options.eventsFile === null ? { kind: 'sample-day' } : { kind: 'events-file', file: options.eventsFile };
  const gaps = missing(rawEnv);
  if (options.snsTopicArn !== null && !options.sample && (configured || nearMisses(rawEnv).length > 0 || options.eventsFile === null)) {
    throw new RunRefusedError(
      `--sns-topic publishes to a real topic, but no XSIAM tenant is configured: ${gaps.join(', ')} ${gaps.length === 1 ? 'is' : 'are'} not set${hints(rawEnv)}. `
      + `Set ${CLI_ENV.tenant}, ${CLI_ENV.apiKeyId} and ${KEY_FILE} (or ${CLI_ENV.apiKey}) to hunt your tenant`
      + `${options.eventsFile === null ? ', give --events FILE to publish findings from your own events,' : ''} or add --sample to send the bundled fictional sample day, marked SAMPLE`);
  }
  if (configured || nearMisses(rawEnv).length > 0) {
    warn(`hunt: no XSIAM tenant: ${gaps.join(', ')} ${gaps.length === 1 ? 'is' : 'are'} not set${hints(rawEnv)}; hunting ${describeSource(source)} instead\n`);
  }
  return { tenant: null, source };
}

/** The source in words, for the summary and for "no rows were read" (never the key). */
export function describeSource(source: EventsSource): string {
  switch (source.kind) {
    case 'tenant': return `the XSIAM tenant ${source.tenant}`;
    case 'events-file': return `the events file ${source.file}`;
    case 'sample-day': return 'the bundled sample day';
  }
}

/**
 * Where the data was, for `--output json` (`dataSource`): the kind and its location (tenant host,
 * events file path, or the sample day), and the time range queried.
 */
export function dataSourceJson(source: EventsSource, queried: { from: number; to: number }): Record<string, unknown> {
  const location = source.kind === 'tenant' ? source.tenant : source.kind === 'events-file' ? source.file : 'bundled';
  return { kind: source.kind, location, queried: { from: new Date(queried.from).toISOString(), to: new Date(queried.to).toISOString() } };
}

/** "No rows were read" in words: where the data was, the range queried, and what to check. */
export function noRowsMessage(source: EventsSource, queried: { from: number; to: number }, explicitRange: boolean): string {
  const range = `${new Date(queried.from).toISOString()} → ${new Date(queried.to).toISOString()}`;
  const check = source.kind === 'tenant'
    ? 'check the range (events reach XSIAM after an ingest lag) and that the tenant holds xdr_data of Windows endpoints'
    : explicitRange ? 'check --from/--to against the times of the events' : 'check the events';
  return `No rows were read: ${describeSource(source)} returned nothing for ${range}; ${check}.`;
}
