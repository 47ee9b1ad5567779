/**
 * TargetEvidenceSource over the XSIAM public API, using the hunt's XSIAM client:
 * 1. presence: the endpoints API (`get_endpoint`, filters `hostname` and `ip_list`, which are
 *    AND-ed, so one request each) finds the agents of the targets; it costs no query units;
 * 2. one XQL query per batch of at most 100 targets (the same start → poll → results/stream path
 *    as the hunt) for WmiPrvSE.exe children on those hosts: host names by first label, and every
 *    agent id step 1 found (this is how IP targets are selected exactly).
 * A failed part leaves its half of the evidence null and ends in a TargetEvidenceError that
 * carries the other half, so the stage can still judge what it knows.
 */
import type { EndpointFilterField, QueryResult, TimeWindow, XsiamCredentials, XsiamEndpoint } from '../../xsiam/index.js';
import { TargetEvidenceError } from '../errors.js';
import { toTargetEvents } from '../rows.js';
import { parseTarget, targetMatchesAgent, type ParsedTarget } from '../target.js';
import type { ManagedAgent, TargetEvent, TargetEvidence, TargetEvidenceRequest, TargetEvidenceSource } from '../types.js';
import { batches, buildConfirmationXql, CONFIRM_ROW_LIMIT, ipForms, MAX_TARGETS_PER_QUERY } from '../xql.js';

/** The two calls of the XSIAM client this adapter uses (XsiamClient has both). */
export interface XsiamEvidenceClient {
  query(credentials: XsiamCredentials, xql: string, window: TimeWindow, options: { deadline: number }): Promise<QueryResult>;
  getEndpoints(credentials: XsiamCredentials, field: EndpointFilterField, values: readonly string[], options: { deadline: number }):
    Promise<{ endpoints: XsiamEndpoint[]; problems: string[]; httpCalls: number }>;
}

export interface XsiamTargetEvidenceOptions {
  readonly client: XsiamEvidenceClient;
  /** Problems with single rows or endpoint records (never secrets). @default ignored */
  readonly onProblem?: (problem: string) => void;
}

/** Values sent per get_endpoint filter; the API documents no limit on the list, 100 is our cap. */
const VALUES_PER_REQUEST = 100;

/**
 * Host-name forms asked for: the API does not say whether `hostname` matching is case-sensitive
 * or how FQDNs are stored, so the first label and the name as written go in both cases.
 */
function hostnameValues(t: Extract<ParsedTarget, { kind: 'host' }>): string[] {
  return [...new Set([t.label, t.label.toUpperCase(), t.raw.toLowerCase(), t.raw.toUpperCase()])];
}

export class XsiamTargetEvidence implements TargetEvidenceSource {
  readonly #client: XsiamEvidenceClient;
  readonly #onProblem: (problem: string) => void;

  constructor(options: XsiamTargetEvidenceOptions) {
    this.#client = options.client;
    this.#onProblem = options.onProblem ?? (() => undefined);
  }

  async collect(credentials: XsiamCredentials, request: TargetEvidenceRequest, options: { readonly deadline: number }): Promise<TargetEvidence> {
    const targets = [...new Set(request.targets)].map(parseTarget).filter((t) => t.kind !== 'unchecked');
    const cost = { httpCalls: 0, queryCost: 0, queries: 0, endpointRequests: 0 };
    let agents: ManagedAgent[] | null = null;
    let events: TargetEvent[] | null = null;
    let complete = true;
    let failure: unknown = null;

    try {
      agents = await this.#presence(credentials, targets, options.deadline, cost);
    } catch (error) {
      failure = error;
    }
    try {
      events = [];
      for (const batch of batches(targets, MAX_TARGETS_PER_QUERY)) {
        const ids = (agents ?? []).filter((a) => batch.some((t) => targetMatchesAgent(t, a))).map((a) => a.agentId);
        const xql = buildConfirmationXql(batch.map((t) => t.raw), ids, request.range);
        if (xql === null) continue;
        cost.queries += 1;
        const result = await this.#client.query(credentials, xql, request.range, { deadline: options.deadline });
        cost.httpCalls += result.httpCalls;
        cost.queryCost += result.queryCost;
        if (result.rows.length >= CONFIRM_ROW_LIMIT) complete = false;
        const read = toTargetEvents(result.rows);
        for (const p of [...result.rowProblems, ...read.problems]) this.#onProblem(p);
        events.push(...read.events);
      }
    } catch (error) {
      events = null;
      failure ??= error;
    }
    const evidence: TargetEvidence = { range: request.range, events, eventsComplete: complete, agents, report: { ...cost } };
    if (failure !== null) {
      const what = agents === null && events === null ? 'presence and process events' : agents === null ? 'presence (endpoints API)' : 'process events (XQL)';
      const why = failure instanceof Error ? `${failure.name}: ${failure.message}` : 'unknown error';
      throw new TargetEvidenceError(`target confirmation could not read ${what}: ${why}`, evidence, { cause: failure });
    }
    return evidence;
  }

  async #presence(credentials: XsiamCredentials, targets: readonly ParsedTarget[], deadline: number, cost: { httpCalls: number; endpointRequests: number }): Promise<ManagedAgent[]> {
    const hostValues = [...new Set(targets.flatMap((t) => (t.kind === 'host' ? hostnameValues(t) : [])))];
    const ipValues = [...new Set(targets.flatMap((t) => (t.kind === 'ip' ? ipForms(t.ip) : [])))];
    const found = new Map<string, ManagedAgent>();
    const ask = async (field: EndpointFilterField, values: readonly string[]): Promise<void> => {
      for (const batch of batches(values, VALUES_PER_REQUEST)) {
        const reply = await this.#client.getEndpoints(credentials, field, batch, { deadline });
        cost.httpCalls += reply.httpCalls;
        cost.endpointRequests += reply.httpCalls;
        for (const p of reply.problems) this.#onProblem(p);
        for (const e of reply.endpoints) {
          // Stryker disable next-line MethodExpression: agent ips are only compared through hostIdentity(), which trims and lower-cases again
          found.set(e.endpointId, { agentId: e.endpointId, hostname: e.endpointName, ips: e.ips.map((ip) => ip.trim().toLowerCase()), status: e.status });
        }
      }
    };
    await ask('hostname', hostValues);
    await ask('ip_list', ipValues);
    return [...found.values()];
  }
}
