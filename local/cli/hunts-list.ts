/**
 * `npm run hunt -- hunts`: the hunts of hunts/ with what the deployment's context gives each
 * (schedule, mode, minimum severity, routing: a hunt's own `hunt:hunts.<id>` value over the
 * stack-wide `hunt:<key>`, validated by the synth's own code) and the last local run (--state).
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_SCHEDULE } from '../../infra/context.js';
import { parseHuntSettings } from '../../infra/hunt-settings.js';
import { DEFAULTS } from '../../lambda/config.js';
import { FileStateStore } from '../adapters/index.js';
import { localHunts, REPO_ROOT } from '../hunts/index.js';
import { UsageError } from './run-options.js';

export const HUNTS_USAGE = `usage: npm run hunt -- hunts [--state DIR] [--cdk-json FILE]
  lists every hunt of hunts/: id, schedule, mode, minimum severity, routing (the context of FILE, default cdk.json:
  a hunt's own hunt:hunts.<id> setting over the stack-wide hunt:<key>), last local run (--state, default .hunt-state)`;

type Context = Readonly<Record<string, unknown>>;

/** A stack-wide `hunt:<key>` as the synth reads it: a non-empty string or number, else the default. */
function stackWide(context: Context, key: string, fallback: string): string {
  const value = context[`hunt:${key}`];
  return (typeof value === 'string' && value.trim() !== '') || typeof value === 'number' ? String(value).trim() : fallback;
}

export async function runHuntsCommand(args: readonly string[], io: { readonly write: (t: string) => void; readonly error: (t: string) => void }): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ args: [...args], strict: true, allowPositionals: false, options: { state: { type: 'string' }, 'cdk-json': { type: 'string' } } }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const file = values['cdk-json'] === undefined ? join(REPO_ROOT, 'cdk.json') : resolve(values['cdk-json']);
  const context = (JSON.parse(readFileSync(file, 'utf8')) as { context?: Context }).context ?? {};
  const { hunts, problems } = parseHuntSettings(context['hunt:hunts']);
  if (problems.length > 0) {
    io.error(`${file}: the synth would stop on these (fix them, then list again):\n  - ${problems.join('\n  - ')}\n`);
    return 1;
  }
  const own = new Map(hunts.map((h) => [h.id, h]));
  const store = new FileStateStore({ dir: values.state ?? '.hunt-state' });
  const rows = [['id', 'schedule', 'mode', 'min severity', 'routing', 'last run']];
  for (const hunt of localHunts()) {
    const id = hunt.card.id;
    const h = own.get(id);
    const checkpoint = await store.readCheckpoint(id).catch(() => null);
    const last = checkpoint ? `${new Date(checkpoint.updatedAt).toISOString()} (${checkpoint.lastRunStatus})` : 'never (scheduled runs)';
    rows.push([
      id,
      h?.schedule?.expression ?? stackWide(context, 'schedule', DEFAULT_SCHEDULE),
      h?.mode ?? stackWide(context, 'mode', DEFAULTS.mode),
      h?.minSeverity ?? stackWide(context, 'minSeverity', DEFAULTS.minSeverity),
      h?.routing ?? 'shared',
      last,
    ]);
  }
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  io.write(`${rows.map((r) => r.map((cell, c) => cell.padEnd(widths[c]!)).join('  ').trimEnd()).join('\n')}\n`);
  return 0;
}
