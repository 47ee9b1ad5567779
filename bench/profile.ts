/** Reads a V8 .cpuprofile and ranks functions by self time (where the CPU actually went). */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ROOT, round } from './support.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  hitCount?: number;
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Self time of CPU samples (idle excluded), by function. */
export interface HotSpot {
  readonly fn: string;
  readonly where: string;
  readonly selfMs: number;
  readonly selfPct: number;
}

const maps = new Map<string, SourceMap | null>();

/** The source map next to a bundled file (`<file>.map`), if there is one. */
function mapOf(path: string): SourceMap | null {
  if (!maps.has(path)) {
    try {
      maps.set(path, new SourceMap(JSON.parse(readFileSync(`${path}.map`, 'utf8'))));
    } catch {
      maps.set(path, null);
    }
  }
  return maps.get(path) ?? null;
}

function shorten(path: string): string {
  const plain = path.startsWith('file://') ? fileURLToPath(path) : path;
  return plain.startsWith(ROOT) ? relative(ROOT, plain) : plain.replace(/^.*node_modules\//, 'node_modules/');
}

/** `file:line:column` of a profile frame, mapped back to the TypeScript source when a source map exists. */
function location(url: string, line: number, column: number): string {
  if (url === '') return '(native)';
  const path = url.startsWith('file://') ? fileURLToPath(url) : url;
  const entry = mapOf(path)?.findEntry(line, column);
  if (entry && 'originalSource' in entry && entry.originalSource) {
    const source = entry.originalSource.startsWith('file://') ? fileURLToPath(entry.originalSource) : join(path, '..', entry.originalSource);
    return `${shorten(source)}:${entry.originalLine + 1}`;
  }
  return `${shorten(path)}:${line + 1}:${column + 1}`;
}

/**
 * Top `limit` functions by self time in the largest .cpuprofile of `dir` (tsx's module loader
 * runs in a worker that writes a small profile of its own; the main thread's is the big one).
 */
export function hotSpots(dir: string, limit = 15): { functions: HotSpot[]; files: HotSpot[] } {
  const file = readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .sort((a, b) => statSync(join(dir, a)).size - statSync(join(dir, b)).size)
    .pop();
  if (file === undefined) return { functions: [], files: [] };
  const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, { fn: string; where: string; us: number }>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const node = byId.get(id);
    const dt = profile.timeDeltas[i] ?? 0;
    if (node === undefined || node.callFrame.functionName === '(idle)') return;
    total += dt;
    const fn = node.callFrame.functionName || '(anonymous)';
    const where = location(node.callFrame.url, node.callFrame.lineNumber, node.callFrame.columnNumber);
    const key = `${fn}@${where}`;
    const entry = self.get(key) ?? { fn, where, us: 0 };
    entry.us += dt;
    self.set(key, entry);
  });
  const rank = (entries: Iterable<{ fn: string; where: string; us: number }>): HotSpot[] => [...entries]
    .filter((e) => e.fn !== '(program)')
    .sort((a, b) => b.us - a.us)
    .slice(0, limit)
    .map((e) => ({ fn: e.fn, where: e.where, selfMs: round(e.us / 1000, 1), selfPct: round((100 * e.us) / total, 1) }));
  // The same self time summed per source file (GC and native code as their own rows).
  const files = new Map<string, { fn: string; where: string; us: number }>();
  for (const e of self.values()) {
    const where = e.where === '(native)' ? e.fn : e.where.replace(/(?::\d+)+$/, '');
    const entry = files.get(where) ?? { fn: '', where, us: 0 };
    entry.us += e.us;
    files.set(where, entry);
  }
  return { functions: rank(self.values()), files: rank(files.values()) };
}
