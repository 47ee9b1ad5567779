/**
 * `npm run hunt -- hunts`: the hunts of hunts/ with what the deployment's context gives each
 * (schedule, mode, minimum severity; cdk.json's `hunt:*` keys) and the last local run (--state).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { FileStateStore } from '../adapters/index.js';
import { localHunts, REPO_ROOT } from '../hunts/index.js';
import { UsageError } from './run-options.js';

export const HUNTS_USAGE = `usage: npm run hunt -- hunts [--state DIR]
  lists every hunt of hunts/: id, schedule, mode, minimum severity (cdk.json context), last local run (--state, default .hunt-state)`;

type Context = Readonly<Record<string, unknown>>;

/** A hunt's setting: its own (`hunt:hunts` → ID → key) over the stack-wide `hunt:<key>`. */
function setting(context: Context, id: string, key: string): string {
  const own = (context['hunt:hunts'] as Record<string, Record<string, unknown>> | undefined)?.[id]?.[key];
  const value = own ?? context[`hunt:${key}`];
  return typeof value === 'string' || typeof value === 'number' ? String(value) : '-';
}

export async function runHuntsCommand(args: readonly string[], io: { readonly write: (t: string) => void }): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ args: [...args], strict: true, allowPositionals: false, options: { state: { type: 'string' } } }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const context = (JSON.parse(readFileSync(join(REPO_ROOT, 'cdk.json'), 'utf8')) as { context?: Context }).context ?? {};
  const store = new FileStateStore({ dir: values.state ?? '.hunt-state' });
  const rows = [['id', 'schedule', 'mode', 'min severity', 'last run']];
  for (const hunt of localHunts()) {
    const id = hunt.card.id;
    const checkpoint = await store.readCheckpoint(id).catch(() => null);
    const last = checkpoint ? `${new Date(checkpoint.updatedAt).toISOString()} (${checkpoint.lastRunStatus})` : 'never (scheduled runs)';
    rows.push([id, setting(context, id, 'schedule'), setting(context, id, 'mode'), setting(context, id, 'minSeverity'), last]);
  }
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  io.write(`${rows.map((r) => r.map((cell, c) => cell.padEnd(widths[c]!)).join('  ').trimEnd()).join('\n')}\n`);
  return 0;
}
