/**
 * Realistic result payloads for the benchmarks: N rows shaped like what the seed query returns.
 *
 * Templates are the rows the hunt's real seed XQL selects from the bundled sample day (run by the
 * local XQL engine): remote creates by an intruder, an SCCM push, helpdesk gpupdate, local
 * `/node:localhost` creates and a `/?` near miss. Each generated row copies a template and gives it
 * a unique event id, a time inside a six-hour window and a source host and /node: target drawn
 * from pools, so dedupe keys vary. Rows fall into N/10 "pair slots" (each slot = one source,
 * target list and template), so each finding folds about ten events, as a busy window would.
 */
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { SEED_XQL } from '../lambda/hunts/wmic-remote-exec.js';
import { sampleDay } from '../local/sample-day/index.js';
import { jsonRow, streamRow } from '../local/xsiam/serialise.js';
import { parseXql, runXql } from '../local/xql/index.js';

/** A fixed clock for every benchmark payload, so runs are comparable. */
export const PAYLOAD_NOW = Date.UTC(2026, 0, 15, 12);
const HOUR = 3_600_000;
/** The window the rows fall in (the hunt's maximum window is six hours). */
export const PAYLOAD_WINDOW = { from: PAYLOAD_NOW - 6 * HOUR, to: PAYLOAD_NOW } as const;

type Row = Record<string, unknown>;

/** A small deterministic PRNG (mulberry32): payloads are the same on every run. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

let cachedTemplates: readonly Row[] | null = null;

/** The seed query's result over the sample day (48 rows), through the real local XQL engine. */
export function templates(): readonly Row[] {
  if (cachedTemplates) return cachedTemplates;
  const day = sampleDay(PAYLOAD_NOW);
  cachedTemplates = runXql(parseXql(SEED_XQL), day, { window: { from: PAYLOAD_NOW - 24 * HOUR, to: PAYLOAD_NOW }, now: PAYLOAD_NOW });
  return cachedTemplates;
}

const DEPTS = ['ENG', 'FIN', 'HR', 'MKT', 'OPS', 'SALES', 'LEGAL', 'IT'];
const NODE = /\/node:\s*("[^"]*"|[^\s]+)/i;
const LOCAL = /^(?:"?(?:localhost|\.|127\.0\.0\.1)"?)$/i;

function workstation(k: number): string {
  return `WS-${DEPTS[k % DEPTS.length]}-${String(k).padStart(4, '0')}`;
}

/** A /node: value; names with '-' are quoted, as wmic requires. */
function target(k: number): string {
  if (k % 4 === 3) return `10.${20 + (k % 7)}.${(k >>> 3) % 250}.${(k % 250) + 2}`;
  const name = k % 4 === 0 ? `SRV-${String(k % 900).padStart(3, '0')}` : workstation(k * 7 + 11);
  return `"${name}"`;
}

const agentIds = new Map<string, string>();
function agentId(host: string): string {
  let id = agentIds.get(host);
  if (id === undefined) {
    id = createHash('md5').update(host).digest('hex');
    agentIds.set(host, id);
  }
  return id;
}

/** Replaces the /node: value of `line` for pair slot `slot` (local nodes and lists keep their shape). */
function retarget(line: string, slot: number): string {
  const m = NODE.exec(line);
  if (!m || m[1] === undefined || LOCAL.test(m[1])) return line;
  const count = m[1].split(',').length;
  const targets = Array.from({ length: count }, (_, j) => target(slot * 3 + j));
  return line.replace(NODE, `/node:${targets.join(',')}`);
}

/** N xdr_data rows as the seed query returns them (plain values: `_time` in epoch ms, nulls as null). */
export function generateRows(n: number, seed = 0x5eed): Row[] {
  const tpl = templates();
  const random = rng(seed);
  const slots = Math.max(1, Math.round(n / 10));
  const span = PAYLOAD_WINDOW.to - PAYLOAD_WINDOW.from - 60_000;
  const rows: Row[] = new Array<Row>(n);
  for (let i = 0; i < n; i++) {
    const slot = Math.floor(random() * slots);
    const t = tpl[slot % tpl.length] as Row;
    const time = PAYLOAD_WINDOW.from + Math.floor(random() * span);
    // Management-agent templates keep their server (one SCCM pushes to many targets).
    const source = t['actor_process_image_name'] === 'CcmExec.exe' ? String(t['agent_hostname']) : workstation(slot % 3000);
    const id = Buffer.alloc(16);
    id.writeBigUInt64BE(BigInt(time), 0);
    id.writeUInt32BE(i, 12);
    rows[i] = {
      ...t,
      _time: time,
      insert_timestamp: time + 1_000 + (i % 90_000),
      agent_hostname: source,
      agent_id: agentId(source),
      event_id: id.toString('base64'),
      action_process_image_command_line: retarget(String(t['action_process_image_command_line']), slot),
    };
  }
  return rows;
}

/** A payload in the forms the client receives it. */
export interface Payload {
  readonly rows: number;
  /** NDJSON as `get_query_results_stream` sends it after gunzip (XSIAM's "realistic" value forms). */
  readonly ndjson: string;
  readonly ndjsonBytes: number;
  /** The same rows as one inline `get_query_results` JSON reply (for the one-shot JSON.parse reference). */
  readonly json: string;
  readonly gzip: Buffer;
}

/**
 * Serialises rows the way XSIAM's stream does: `_time` as "YYYY-MM-DD HH:MM:SS.mmm UTC", numbers
 * as strings, null as "NULL" (the local server's realistic mode, local/xsiam/serialise.ts).
 */
export function toNdjson(rows: readonly Row[]): string {
  let out = '';
  for (const r of rows) out += JSON.stringify(streamRow(r, true)) + '\n';
  return out;
}

export function buildPayload(n: number): Payload {
  const rows = generateRows(n);
  const ndjson = toNdjson(rows);
  const json = JSON.stringify({
    reply: { status: 'SUCCESS', number_of_results: n, query_cost: { '1098781949': 0.01 }, remaining_quota: 4.9, results: { data: rows.map((r) => jsonRow(r, true)) } },
  });
  return { rows: n, ndjson, ndjsonBytes: Buffer.byteLength(ndjson, 'utf8'), json, gzip: gzipSync(ndjson) };
}
